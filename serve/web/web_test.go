package web

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/serve/download"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

func TestSignInAndCookieFlags(t *testing.T) {
	e := startEnv(t, false)
	c := e.client(t)

	r := c.get("/desk/")
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/sign-in?next=%2Fdesk%2F" {
		t.Fatalf("signed out GET /desk/: %d to %q, want 303 to the sign-in page", r.code, r.header.Get("Location"))
	}
	r = c.do(http.MethodPost, "/sign-in", url.Values{"token": {"mi_0000000000000000_" + strings.Repeat("x", 43)}}, nil)
	if r.code != http.StatusUnauthorized || !strings.Contains(r.body, "not valid") {
		t.Fatalf("wrong token: %d, want 401 with a message", r.code)
	}
	if _, err := sessionCookie(r.header); err == nil {
		t.Fatal("a refused sign-in set a session cookie")
	}

	r = c.do(http.MethodPost, "/sign-in", url.Values{"token": {e.tokens["rewards"]}, "next": {"/desk/sla"}}, nil)
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/desk/sla" {
		t.Fatalf("sign in: %d to %q", r.code, r.header.Get("Location"))
	}
	ck, err := sessionCookie(r.header)
	if err != nil {
		t.Fatal(err)
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Secure || ck.Path != "/" || ck.Name != "insights_session" {
		t.Fatalf("cookie over http: %+v, want HttpOnly, SameSite=Strict, Path=/, not Secure", ck)
	}
	if strings.Contains(ck.Value, e.tokens["rewards"]) || len(ck.Value) < 40 {
		t.Fatalf("cookie value %q: want a random session id, not the token", ck.Value)
	}
	if strings.Contains(e.logs.String(), e.tokens["rewards"]) {
		t.Fatal("the token reached the log")
	}
	if r := c.get("/desk/sla"); r.code != http.StatusOK || !strings.Contains(r.body, "SLA lists") {
		t.Fatalf("signed in GET /desk/sla: %d", r.code)
	}
	// An open redirect through next= is refused: the start page instead.
	r = c.do(http.MethodPost, "/sign-in", url.Values{"token": {e.tokens["rewards"]}, "next": {"//evil.example/x"}}, nil)
	if r.header.Get("Location") != "/" {
		t.Fatalf("next=//evil.example: redirected to %q", r.header.Get("Location"))
	}
}

func TestSecureCookieOverTLS(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      Config
		tls      bool
		wantName string
	}{
		{"https request", Config{}, true, secureCookieName},
		{"behind an https proxy", Config{SecureCookies: true}, false, secureCookieName},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := startEnv(t, true)
			api, err := download.New(download.Config{OutRoot: e.out, LinkSecret: []byte(strings.Repeat("k", 32)), LinkTTL: time.Hour}, e.cat, nil)
			if err != nil {
				t.Fatal(err)
			}
			h := New(tc.cfg, e.store, api, nil).Handler()
			req := httptest.NewRequest(http.MethodPost, "/sign-in", strings.NewReader("token="+url.QueryEscape(e.tokens["rewards"])))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.tls {
				req.TLS = &tls.ConnectionState{}
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			ck, err := sessionCookie(rec.Header())
			if err != nil {
				t.Fatalf("%d: %v", rec.Code, err)
			}
			if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Name != tc.wantName {
				t.Fatalf("cookie %+v: want Secure, HttpOnly, SameSite=Strict, named %s", ck, tc.wantName)
			}
		})
	}
}

func TestCSRF(t *testing.T) {
	e := startEnv(t, false)
	c := e.client(t)
	c.signIn("rewards")
	path := "/desk/unlocks/" + url.PathEscape("PGA2:tier-1")
	form := func() url.Values {
		return url.Values{"decision": {"defer"}, "by": {"Mallory"}, "note": {"forged"}}
	}
	for _, tc := range []struct {
		name string
		csrf string
		hdr  map[string]string
	}{
		{"no form token", "", nil},
		{"wrong form token", "x" + c.csrf, nil},
		{"cross-site with the right token", c.csrf, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"foreign origin with the right token", c.csrf, map[string]string{"Origin": "https://evil.example"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := form()
			f.Set("csrf", tc.csrf)
			if tc.csrf == "" {
				f.Del("csrf")
			}
			r := c.do(http.MethodPost, path, f, tc.hdr)
			if r.code != http.StatusForbidden {
				t.Fatalf("forged post: %d, want 403", r.code)
			}
		})
	}
	h, err := rewards.History(context.Background(), e.store, "PGA2:tier-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 0 {
		t.Fatalf("a forged post recorded %d decisions", len(h))
	}
	// Sign-out is a form too: a cross-site post cannot sign anyone out.
	if r := c.do(http.MethodPost, "/sign-out", url.Values{"csrf": {c.csrf}}, map[string]string{"Sec-Fetch-Site": "cross-site"}); r.code != http.StatusForbidden {
		t.Fatalf("cross-site sign-out: %d", r.code)
	}
	// The same post from the page itself is recorded.
	f := form()
	f.Set("note", "genuine")
	if r := c.post(path, f); r.code != http.StatusSeeOther {
		t.Fatalf("genuine post: %d %s", r.code, r.body)
	}
}

func TestRevocationEndsSessionAtOnce(t *testing.T) {
	e := startEnv(t, false)
	c := e.client(t)
	c.signIn("P1")
	if r := c.get("/portal/P1/reports"); r.code != http.StatusOK {
		t.Fatalf("before revocation: %d", r.code)
	}
	if err := e.cat.RevokeToken(context.Background(), e.ids["P1"]); err != nil {
		t.Fatal(err)
	}
	if r := c.get("/portal/P1/reports"); r.code != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/sign-in") {
		t.Fatalf("after revocation: %d to %q, want 303 to sign-in", r.code, r.header.Get("Location"))
	}
	if r := c.get("/portal/P1/reports/" + idP1June); r.code == http.StatusOK {
		t.Fatal("a download still works after revocation")
	}
	if r := c.do(http.MethodPost, "/sign-in", url.Values{"token": {e.tokens["P1"]}}, nil); r.code != http.StatusUnauthorized {
		t.Fatalf("sign in with a revoked token: %d", r.code)
	}
}

// TestSignedInAcrossARestart: a reviewer and a partner signed in before
// `serve` restarts are still signed in after it, and a form loaded before the
// restart still posts (its form token is the session's).
func TestSignedInAcrossARestart(t *testing.T) {
	e := startEnv(t, false)
	desk, portal := e.client(t), e.client(t)
	desk.signIn("rewards")
	portal.signIn("P1")
	if r := desk.get("/desk/unlocks/PGA2:tier-1"); r.code != http.StatusOK {
		t.Fatalf("unlock page: %d", r.code)
	}
	e.restart(t)
	if r := portal.get("/portal/P1/reports"); r.code != http.StatusOK {
		t.Fatalf("partner after the restart: %d to %q, want the page", r.code, r.header.Get("Location"))
	}
	r := desk.post("/desk/unlocks/PGA2:tier-1", url.Values{"decision": {"defer"}, "by": {"Ann"}, "note": {"after a restart"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("decision posted from a form loaded before the restart: %d, want 303", r.code)
	}
	if r := desk.get(r.header.Get("Location")); r.code != http.StatusOK || !strings.Contains(r.body, `value="Ann"`) {
		t.Fatalf("after the decision: %d, want the page with the reviewer's name remembered", r.code)
	}
}

func TestSignOutEndsSession(t *testing.T) {
	e := startEnv(t, false)
	c := e.client(t)
	c.signIn("rewards")
	u, _ := url.Parse(e.base)
	old := c.http.Jar.Cookies(u)
	r := c.post("/sign-out", nil)
	if r.code != http.StatusSeeOther {
		t.Fatalf("sign out: %d", r.code)
	}
	if ck, err := sessionCookie(r.header); err != nil || ck.MaxAge >= 0 {
		t.Fatalf("sign out must expire the cookie: %+v %v", ck, err)
	}
	// Replaying the old cookie does not work: the session is gone on the download.
	c.http.Jar.SetCookies(u, old)
	if r := c.get("/desk/"); r.code != http.StatusSeeOther {
		t.Fatalf("old cookie after sign-out: %d, want a redirect to sign-in", r.code)
	}
}

// TestIsolationSweep opens every partner page, download and link action with
// every session and every partner id and report id: only what is one's own
// answers 200; everything else is 404, the same as for what does not exist.
// The sessions are people signed in through the identity provider (a
// company's people see every publisher profile of their company, nobody
// else's) and, in the setup with no provider, partners' and the rewards
// team's tokens (a token sees its one profile).
func TestIsolationSweep(t *testing.T) {
	type who = isolationWho
	t.Run("people", func(t *testing.T) {
		e := startPeopleEnv(t, false)
		sweepIsolation(t, func(key string) *client { return e.personClient(t, key) }, []who{
			{"contoso-admin", []string{"P1", "P1b"}, false},
			{"contoso-viewer", []string{"P1", "P1b"}, false},
			{"fabrikam-admin", []string{"P2"}, false},
			{"newco-admin", nil, false}, // a company with no publisher profile yet
			{"reviewer", nil, true},
			{"radmin", nil, true},
		})
		// Contoso's people never see Fabrikam's data on their own pages either.
		for _, key := range []string{"contoso-admin", "contoso-viewer"} {
			c := e.personClient(t, key)
			for _, page := range []string{"/portal/P1/", "/portal/P1/reports", "/portal/P1/attribution", "/portal/P1b/", "/portal/P1b/reports", "/portal/P1b/attribution", "/portal/P1/rewards", "/people"} {
				r := c.get(page)
				for _, foreign := range []string{"Fabrikam", "fabrikam.example", idP2June, "pid-99999999", "pid-ffff"} {
					if strings.Contains(r.body, foreign) {
						t.Errorf("%s: %s shows %q of another company", key, page, foreign)
					}
				}
			}
		}
	})
	t.Run("tokens, no provider", func(t *testing.T) {
		e := startEnv(t, false)
		sweepIsolation(t, func(key string) *client { c := e.client(t); c.signIn(key); return c }, []who{
			{"P1", []string{"P1"}, false},
			{"P2", []string{"P2"}, false},
			{"rewards", nil, true},
		})
	})
}

// isolationWho is a session of the sweep and what is its own.
type isolationWho struct {
	key      string
	partners []string // the portals it may open
	rewards  bool     // the desk
}

// sweepIsolation is TestIsolationSweep's sweep for each session of whos.
func sweepIsolation(t *testing.T, signIn func(key string) *client, whos []isolationWho) {
	t.Helper()
	partners := []string{"P1", "P1b", "P2", "P3", "nobody", "p1", "PGA1"}
	reportIDs := []string{idP1June, idP1JuneCSV, idP1May, idP2June, idPack, "000000000000000000000000", "../../etc"}
	owner := map[string]string{idP1June: "P1", idP1JuneCSV: "P1", idP1May: "P1", idP2June: "P2"}
	for _, w := range whos {
		c := signIn(w.key)
		for _, p := range partners {
			mine := slices.Contains(w.partners, p)
			base := "/portal/" + url.PathEscape(p)
			for _, page := range []string{"/", "/reports", "/attribution", "/rewards"} {
				want := http.StatusNotFound
				if mine {
					want = http.StatusOK
				}
				if r := c.get(base + page); r.code != want {
					t.Errorf("%s GET %s%s: %d, want %d", w.key, base, page, r.code, want)
				}
			}
			for _, id := range reportIDs {
				want := http.StatusNotFound
				if mine && owner[id] == p {
					want = http.StatusOK
				}
				if r := c.get(base + "/reports/" + url.PathEscape(id)); r.code != want {
					t.Errorf("%s download %s of %s: %d, want %d", w.key, id, p, r.code, want)
				}
				r := c.post(base+"/reports/"+url.PathEscape(id)+"/link", nil)
				if r.code != want || (want == http.StatusOK) != strings.Contains(r.body, "/v1/links/"+id) {
					t.Errorf("%s link %s of %s: %d, want %d", w.key, id, p, r.code, want)
				}
			}
		}
		for _, page := range []string{"/desk/", "/desk/sla", "/desk/tiers", "/desk/packs", "/desk/unlocks/PGA1:tier-1", "/desk/packs/" + idPack, "/desk/contact", "/desk/assistance", "/desk/outbox"} {
			want := http.StatusNotFound
			if w.rewards {
				want = http.StatusOK
			}
			if r := c.get(page); r.code != want {
				t.Errorf("%s GET %s: %d, want %d", w.key, page, r.code, want)
			}
		}
		if !w.rewards {
			if r := c.post("/desk/unlocks/PGA1:tier-1", url.Values{"decision": {"approve"}, "by": {"x"}}); r.code != http.StatusNotFound {
				t.Errorf("%s posting a decision: %d, want 404", w.key, r.code)
			}
		}
	}
}

func TestDownloadAndLink(t *testing.T) {
	e := startEnv(t, false)
	c := e.client(t)
	c.signIn("P1")
	r := c.get("/portal/P1/reports/" + idP1June)
	if r.code != http.StatusOK || r.body != string(e.p1Excel) || !strings.Contains(r.header.Get("Content-Disposition"), "insights_2025-06.xlsx") {
		t.Fatalf("download: %d %q %q", r.code, r.header.Get("Content-Disposition"), r.body)
	}
	r = c.post("/portal/P1/reports/"+idP1June+"/link", nil)
	m := regexpLink.FindStringSubmatch(r.body)
	if r.code != http.StatusOK || m == nil {
		t.Fatalf("link: %d, no link on the page", r.code)
	}
	link := strings.ReplaceAll(m[1], "&amp;", "&")
	res, err := http.Get(link) // no session, no token: the link is the permission
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", link, res.StatusCode)
	}
}

func TestDecisionRules(t *testing.T) {
	e := startEnv(t, false)
	c := e.client(t)
	c.signIn("rewards")
	ctx := context.Background()

	// Fabrikam's contact has no phone: approve is refused with the reason, as the CLI refuses it.
	r := c.post("/desk/unlocks/PGA2:tier-1", url.Values{"decision": {"approve"}, "by": {"Ann"}, "note": {"looks fine"}})
	if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "not ready for activation") || !strings.Contains(r.body, "no phone number") {
		t.Fatalf("approve of an unready unlock: %d, want 422 with the reason", r.code)
	}
	if !strings.Contains(r.body, "looks fine") {
		t.Fatal("the refused form lost the note")
	}
	if h, _ := rewards.History(ctx, e.store, "PGA2:tier-1"); len(h) != 0 {
		t.Fatalf("refused approve recorded: %+v", h)
	}
	for _, tc := range []struct{ name, decision, by string }{
		{"no decision", "", "Ann"}, {"unknown decision", "maybe", "Ann"}, {"nobody", "defer", "  "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := c.post("/desk/unlocks/PGA2:tier-1", url.Values{"decision": {tc.decision}, "by": {tc.by}}); r.code != http.StatusUnprocessableEntity {
				t.Fatalf("%d, want 422", r.code)
			}
		})
	}
	if r := c.post("/desk/unlocks/NOPE:tier-9", url.Values{"decision": {"defer"}, "by": {"Ann"}}); r.code != http.StatusNotFound {
		t.Fatalf("unknown unlock: %d", r.code)
	}
	// Deferring is recorded and the unlock stays in the queue; approving a ready one takes it out.
	if r := c.post("/desk/unlocks/PGA2:tier-1", url.Values{"decision": {"defer"}, "by": {"Ann"}, "note": {"waiting for a phone number"}}); r.code != http.StatusSeeOther {
		t.Fatalf("defer: %d", r.code)
	}
	if r := c.post("/desk/unlocks/PGA1:tier-1", url.Values{"decision": {"approve"}, "by": {"Ann"}, "note": {"contact verified"}}); r.code != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", r.code, r.body)
	}
	// Approving it again is refused, showing the approve in force; nothing is recorded.
	r = c.post("/desk/unlocks/PGA1:tier-1", url.Values{"decision": {"approve"}, "by": {"Bo"}})
	if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "already approved by Ann") {
		t.Fatalf("second approve: %d, want 422 naming the approve in force", r.code)
	}
	q := c.get("/desk/")
	if !strings.Contains(q.body, "Fabrikam Inc") || strings.Contains(q.body, "Contoso Ltd") {
		t.Fatal("queue: want the deferred Fabrikam unlock and not the approved Contoso one")
	}
	h, err := rewards.History(ctx, e.store, "PGA1:tier-1")
	if err != nil || len(h) != 1 || h[0].Decision != "approve" || h[0].By != "Ann" || h[0].Note != "contact verified" {
		t.Fatalf("history: %+v %v", h, err)
	}
	if !strings.Contains(e.logs.String(), `"token_id":"`+e.ids["rewards"]+`"`) {
		t.Fatal("the access log does not name the session's token id")
	}
}

var regexpLink = mustRegexp(`value="(http://[^"]+/v1/links/[^"]+)"`)

func TestJSONErrorsForNonBrowsers(t *testing.T) {
	e := startEnv(t, false)
	for _, path := range []string{"/no/such/page", "/desk/", "/portal/P1/"} {
		res, err := http.Get(e.base + path)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]string
		err = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if err != nil || body["error"] == "" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s without Accept: text/html: %d %v %v, want a JSON error", path, res.StatusCode, body, err)
		}
	}
	// The pages' requests are in the API's access log with their route.
	if !strings.Contains(e.logs.String(), `"route":"GET /desk/{$}"`) {
		t.Errorf("no access log line for the desk: %s", e.logs.String())
	}
}

// TestEmptyStates renders every page on a database with no data: each
// explains what will appear and how.
func TestEmptyStates(t *testing.T) {
	e := startEnv(t, true)
	rw := e.client(t)
	rw.signIn("rewards")
	p := e.client(t)
	p.signIn("P1")
	for _, tc := range []struct {
		c    *client
		path string
		want []string
	}{
		{rw, "/desk/", []string{"Nothing to review", "No transform has run yet"}},
		{rw, "/desk/sla", []string{"No transform has run yet", "No breach"}},
		{rw, "/desk/tiers", []string{"No tiers yet", "0 of 0 companies"}},
		{rw, "/desk/packs", []string{"No review pack yet", "insights review-pack"}},
		{p, "/portal/P1/", []string{"No tier status yet", "No billed sales yet"}},
		{p, "/portal/P1/reports", []string{"No reports yet"}},
		{p, "/portal/P1/attribution", []string{"No tracking ID is registered", "Nothing attributed yet", "Nothing to fix"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := tc.c.get(tc.path)
			if r.code != http.StatusOK {
				t.Fatalf("%d", r.code)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("no %q on the empty page", w)
				}
			}
			if !strings.Contains(r.body, "<h1>") {
				t.Error("no heading")
			}
		})
	}
	if r := rw.get("/desk/unlocks/PGA1:tier-1"); r.code != http.StatusNotFound {
		t.Fatalf("unlock on an empty database: %d", r.code)
	}
}

// TestAttributionFollowsTransformRuns: the attribution view is kept in memory
// between transform runs and recomputed after the next one.
func TestAttributionFollowsTransformRuns(t *testing.T) {
	e := startEnv(t, false)
	c := e.client(t)
	c.signIn("P1")
	if r := c.get("/portal/P1/attribution"); strings.Contains(r.body, "pid-new-bad") {
		t.Fatal("not seeded yet")
	}
	testkit.Exec(t, e.store, `INSERT INTO transform_runs VALUES ('run-1', DATE '2025-06-30', TIMESTAMP '2025-07-01 01:00:00', TIMESTAMP '2025-07-01 01:05:00', 'succeeded', 20, NULL)`)
	testkit.Exec(t, e.store, `INSERT INTO attr_deployments (deployment_id, "timestamp", subscription_id, token_seq, tokens_found, source, raw_token, kind, status, reason, multiple, opted_out, tags_usage)
		VALUES ('dep-9', TIMESTAMP '2025-06-20 10:00:00', 'sub-a', 1, 1, 'user_agent', 'pid-new-bad', 'malformed', 'malformed', 'not a GUID', false, false, false)`)
	if r := c.get("/portal/P1/attribution"); !strings.Contains(r.body, "pid-new-bad") {
		t.Fatal("a new transform run did not refresh the attribution view")
	}
	testkit.Exec(t, e.store, `UPDATE attr_deployments SET status = 'attributed' WHERE deployment_id = 'dep-9'`)
	if r := c.get("/portal/P1/attribution"); !strings.Contains(r.body, "pid-new-bad") {
		t.Fatal("between runs the view must come from memory")
	}
	testkit.Exec(t, e.store, `INSERT INTO transform_runs VALUES ('run-2', DATE '2025-06-30', TIMESTAMP '2025-07-02 01:00:00', TIMESTAMP '2025-07-02 01:05:00', 'succeeded', 20, NULL)`)
	if r := c.get("/portal/P1/attribution"); strings.Contains(r.body, "pid-new-bad") {
		t.Fatal("the next run did not refresh the view")
	}
}

func TestPortalOrdering(t *testing.T) {
	e := startEnv(t, false)
	c := e.client(t)
	c.signIn("P1")
	r := c.get("/portal/P1/reports")
	if i, j := strings.Index(r.body, "insights_2025-06.xlsx"), strings.Index(r.body, "orders_monthly_2025-06.csv"); i < 0 || j < 0 || i > j {
		t.Fatal("reports: the month's workbook must come before its data files")
	}
	if i, j := strings.Index(r.body, ">2025-06 <"), strings.Index(r.body, ">2025-05 <"); i < 0 || j < 0 || i > j {
		t.Fatal("reports: newest month first")
	}
	for _, tc := range []struct{ query, month, want string }{
		{"", "2025-06", "<td class=\"num\">30</td>"},
		{"?month=2025-05", "2025-05", "<td class=\"num\">0</td>"},
		{"?month=1999-01", "2025-06", "<td class=\"num\">30</td>"},
		{"?month=%3Cscript%3E", "2025-06", "<td class=\"num\">30</td>"},
	} {
		r := c.get("/portal/P1/attribution" + tc.query)
		if !strings.Contains(r.body, "<h3 id=\"detail-h\">"+tc.month+" by tracking ID</h3>") || !strings.Contains(r.body, tc.want) {
			t.Errorf("attribution%s: want %s in detail", tc.query, tc.month)
		}
		if strings.Contains(r.body, "<script>") {
			t.Errorf("attribution%s: the query reached the page unescaped", tc.query)
		}
	}
}
