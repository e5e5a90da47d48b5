package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// What a reviewer and a partner ran into (issue 21), each as a check.

// TestErrorPagesForBrowsers: an unknown path, a wrong method, an expired or
// altered shared link are a page to a browser and JSON to an API client; a
// known page asked with a trailing slash goes to the page; /favicon.ico is
// the logo.
func TestErrorPagesForBrowsers(t *testing.T) {
	e := startEnv(t, false)
	p := e.client(t)
	p.signIn("P1")
	r := p.post("/portal/P1/reports/"+idP1June+"/link", nil)
	m := regexpLink.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no link on the page: %d", r.code)
	}
	link, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
	if err != nil {
		t.Fatal(err)
	}
	q := link.Query()
	sig, first := q.Get("sig"), "x"
	if strings.HasPrefix(sig, "x") { // altered, never to itself
		first = "y"
	}
	altered := link.Path + "?" + url.Values{"exp": {q.Get("exp")}, "sig": {first + sig[1:]}}.Encode()
	secret, err := e.cat.LinkSecret(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	expired := link.Path + "?" + url.Values{"exp": {"1000"}, "sig": {auth.SignLink(secret, idP1June, 1000)}}.Encode()
	stranger := e.client(t) // someone the link was sent to: no session

	const html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, tc := range []struct {
		name     string
		c        *client
		method   string
		path     string
		code     int
		wantPage []string // in the page a browser gets
		wantJSON string   // in the JSON an API client gets
	}{
		{"unknown desk path", stranger, "GET", "/desk/nope", 404, []string{"404 · Not Found", "does not exist", `href="/sign-in?next=%2Fdesk%2Fnope"`}, `"error": "no such path"`},
		{"unknown portal path", p, "GET", "/portal/P1/nope", 404, []string{"404 · Not Found", "Back to your start page", `aria-label="Main"`}, `"error": "no such path"`},
		{"the address of the link form", p, "GET", "/portal/P1/reports/" + idP1June + "/link", 405, []string{"405 · Method Not Allowed", "cannot be opened on its own", `href="/portal/P1/reports">Back to Reports`}, `"error": "method not allowed; allowed: POST"`},
		{"an expired shared link", stranger, "GET", expired, 410, []string{"410 · Gone", "has expired", "Ask the person who sent it for a new one"}, `"error": "download link expired"`},
		{"an altered shared link", stranger, "GET", altered, 403, []string{"403 · Forbidden", "not valid", "Copy the whole link again"}, `"error": "invalid download link"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.c.do(tc.method, tc.path, nil, map[string]string{"Accept": html})
			if r.code != tc.code || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Fatalf("browser: %d %s, want %d text/html", r.code, r.header.Get("Content-Type"), tc.code)
			}
			for _, w := range tc.wantPage {
				if !strings.Contains(r.body, w) {
					t.Errorf("browser: the page lacks %q", w)
				}
			}
			if r.header.Get("Content-Security-Policy") == "" {
				t.Error("the error page has no security headers")
			}
			r = tc.c.do(tc.method, tc.path, nil, map[string]string{"Accept": "application/json"})
			if r.code != tc.code || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") || !strings.Contains(r.body, tc.wantJSON) {
				t.Fatalf("API client: %d %s %q, want %d with %s", r.code, r.header.Get("Content-Type"), r.body, tc.code, tc.wantJSON)
			}
		})
	}
	t.Run("trailing slash", func(t *testing.T) {
		for path, want := range map[string]string{"/desk/sla/": "/desk/sla", "/portal/P1/reports/?x=1": "/portal/P1/reports?x=1"} {
			r := p.get(path)
			if r.code != http.StatusMovedPermanently || r.header.Get("Location") != want {
				t.Errorf("%s: %d to %q, want 301 to %s", path, r.code, r.header.Get("Location"), want)
			}
		}
	})
	// The link form posts to the reports page's own address: the address the
	// browser shows afterwards opens the page again (never a 405); another
	// partner's report is still no such report.
	t.Run("link form posts to the page", func(t *testing.T) {
		p.get("/portal/P1/reports")
		r := p.post("/portal/P1/reports", url.Values{"rid": {idP1June}})
		if r.code != http.StatusOK || !strings.Contains(r.body, "/v1/links/"+idP1June+"?exp=") {
			t.Fatalf("POST /portal/P1/reports rid=%s: %d, want 200 with the link", idP1June, r.code)
		}
		if !strings.Contains(r.body, `<form method="post" action="/portal/P1/reports" class="inline">`) {
			t.Fatal("the page's link forms do not post to the page's address")
		}
		if r := p.get("/portal/P1/reports"); r.code != http.StatusOK {
			t.Fatalf("reopening the address after the form: %d", r.code)
		}
		if r := p.post("/portal/P1/reports", url.Values{"rid": {idP2June}}); r.code != http.StatusNotFound || strings.Contains(r.body, "/v1/links/") {
			t.Fatalf("P1 linking P2's report: %d", r.code)
		}
	})
	t.Run("favicon", func(t *testing.T) {
		r := stranger.get("/favicon.ico")
		if r.code != http.StatusOK || r.header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(r.body, "<svg") {
			t.Fatalf("/favicon.ico: %d %s", r.code, r.header.Get("Content-Type"))
		}
	})
}

// TestSessionEndedSaysWhy: a session that ended sends the person to the
// sign-in page, which says why; signing in again returns to the page they
// were on; signing out is confirmed.
func TestSessionEndedSaysWhy(t *testing.T) {
	e := startEnv(t, false)
	// A reviewer's token per case, and one to sign in again with (the service
	// reads the tokens at its start).
	for _, who := range []string{"rewards-revoked", "rewards-bad cookie", "rewards-again"} {
		tok, info, err := e.cat.CreateToken(context.Background(), auth.RoleRewards, "", who)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[who], e.ids[who] = tok, info.ID
	}
	e.restart(t)
	for _, tc := range []struct {
		name  string
		end   func(c *client)
		ended string
		says  string
	}{
		{"revoked", func(*client) {
			if err := e.cat.RevokeToken(context.Background(), e.ids["rewards-revoked"]); err != nil {
				t.Fatal(err)
			}
		}, "revoked", "its token was revoked"},
		{"bad cookie", func(c *client) {
			u, _ := url.Parse(e.base)
			c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "insights_session", Value: "not-a-session", Path: "/"}})
		}, "invalid", "no longer valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.client(t)
			c.signIn("rewards-" + tc.name)
			tc.end(c)
			r := c.get("/desk/unlocks/PGA2:tier-1?x=1")
			loc := r.header.Get("Location")
			want := "/sign-in?" + url.Values{"ended": {tc.ended}, "next": {"/desk/unlocks/PGA2:tier-1?x=1"}}.Encode()
			if r.code != http.StatusSeeOther || loc != want {
				t.Fatalf("%d to %q, want 303 to %q", r.code, loc, want)
			}
			r = c.get(loc)
			if r.code != http.StatusOK || !strings.Contains(r.body, tc.says) || !strings.Contains(r.body, "go back to the page you were on") ||
				!strings.Contains(r.body, `name="next" value="/desk/unlocks/PGA2:tier-1?x=1"`) {
				t.Fatalf("sign-in page: %d; want it to say %q and keep the page", r.code, tc.says)
			}
			// Said once: the dead cookie is dropped, so the next visit is a plain sign-in.
			if r := c.get("/desk/"); strings.Contains(r.header.Get("Location"), "ended=") {
				t.Fatalf("the ended session is reported again: %q", r.header.Get("Location"))
			}
			r = c.do(http.MethodPost, "/sign-in", url.Values{"token": {e.tokens["rewards-again"]}, "next": {"/desk/unlocks/PGA2:tier-1?x=1"}}, nil)
			if r.code != http.StatusSeeOther || r.header.Get("Location") != "/desk/unlocks/PGA2:tier-1?x=1" {
				t.Fatalf("signing in again: %d to %q, want the page the person was on", r.code, r.header.Get("Location"))
			}
			if r := c.get("/desk/unlocks/PGA2:tier-1?x=1"); r.code != http.StatusOK {
				t.Fatalf("back on the page: %d", r.code)
			}
		})
	}
	t.Run("a form sent after the session ended", func(t *testing.T) {
		c := e.client(t)
		c.signIn("P1")
		u, _ := url.Parse(e.base)
		c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "insights_session", Value: "gone", Path: "/"}})
		r := c.do(http.MethodPost, "/portal/P1/reports/"+idP1June+"/link", url.Values{"csrf": {c.csrf}},
			map[string]string{"Referer": e.base + "/portal/P1/reports"})
		if want := "/sign-in?ended=invalid&next=%2Fportal%2FP1%2Freports"; r.code != http.StatusSeeOther || r.header.Get("Location") != want {
			t.Fatalf("%d to %q, want 303 to %s", r.code, r.header.Get("Location"), want)
		}
	})
	t.Run("idle", func(t *testing.T) {
		now := time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC)
		ss := newSessions(nil, 2*time.Hour, 12*time.Hour, func() time.Time { return now })
		id, _, err := ss.create(context.Background(), auth.Principal{TokenID: "t", Role: auth.RoleRewards}, "")
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(3 * time.Hour)
		if s, why, err := ss.lookup(context.Background(), id); s != nil || why != endedIdle || err != nil {
			t.Fatalf("after 3 idle hours: %v %q %v, want ended idle", s, why, err)
		}
		for d, want := range map[time.Duration]string{2 * time.Hour: "2 hours", time.Hour: "1 hour", 90 * time.Minute: "90 minutes"} {
			if got := durationText(d); got != want {
				t.Errorf("%s in words: %q, want %q", d, got, want)
			}
		}
	})
	t.Run("signed out", func(t *testing.T) {
		c := e.client(t)
		c.signIn("P2")
		r := c.post("/sign-out", nil)
		if r.code != http.StatusSeeOther || r.header.Get("Location") != "/sign-in?signed_out=1" {
			t.Fatalf("sign out: %d to %q", r.code, r.header.Get("Location"))
		}
		if r := c.get("/sign-in?signed_out=1"); !strings.Contains(r.body, "You are signed out") {
			t.Fatal("the sign-in page does not confirm the sign-out")
		}
		if r := c.get("/sign-in"); strings.Contains(r.body, "You are signed out") || strings.Contains(r.body, `id="ended"`) {
			t.Fatal("a plain sign-in page says the person was signed out")
		}
	})
}

// TestRefusalAtTheTop: a refused decision is said at the top of the page, the
// field at fault is marked for focus and what the reviewer typed is kept.
func TestRefusalAtTheTop(t *testing.T) {
	e := startEnv(t, false)
	c := e.client(t)
	c.signIn("rewards")
	c.get("/desk/unlocks/PGA2:tier-1")
	for _, tc := range []struct {
		name      string
		form      url.Values
		says      string
		focus     *regexp.Regexp
		keptBy    string
		keptNote  string
		keptRadio string
	}{
		{"not ready", url.Values{"decision": {"approve"}, "by": {"Ann Lee"}, "note": {"phone checked twice"}}, "no phone number",
			mustRegexp(`<input type="radio" name="decision" value="approve" checked required data-focus`), "Ann Lee", "phone checked twice", "approve"},
		{"nobody named", url.Values{"decision": {"defer"}, "by": {"  "}, "note": {"waiting"}}, "Say who decides",
			mustRegexp(`<input id="by" name="by"[^>]* data-focus aria-invalid="true"`), "", "waiting", "defer"},
		{"no decision", url.Values{"by": {"Ann Lee"}, "note": {"hmm"}}, "Choose a decision",
			mustRegexp(`value="approve"\s+required data-focus`), "Ann Lee", "hmm", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.post("/desk/unlocks/PGA2:tier-1", tc.form)
			if r.code != http.StatusUnprocessableEntity {
				t.Fatalf("%d, want 422", r.code)
			}
			top := strings.Index(r.body, `id="decide-error"`)
			facts := strings.Index(r.body, `id="facts-h"`)
			if top < 0 || facts < 0 || top > facts || !strings.Contains(r.body[top:facts], tc.says) {
				t.Fatalf("the refusal is not at the top, before the unlock's facts (at %d, facts at %d)", top, facts)
			}
			if got := strings.Count(r.body, "data-focus"); got != 1 || !tc.focus.MatchString(r.body) {
				t.Fatalf("field at fault: %d marked, want the one matching %s", got, tc.focus)
			}
			if !strings.Contains(r.body, `id="by" name="by" type="text" value="`+tc.keptBy+`"`) || !strings.Contains(r.body, ">"+tc.keptNote+"</textarea>") {
				t.Fatal("what the reviewer typed is not kept")
			}
			if tc.keptRadio != "" && !strings.Contains(r.body, `value="`+tc.keptRadio+`" checked`) {
				t.Fatalf("the chosen decision %s is not kept", tc.keptRadio)
			}
		})
	}
}

// TestSLAOverdueFirst: the SLA lists put the overdue rows (nobody contacted)
// before the contacted-late ones, say what "Days" counts, count the overdue
// items in the navigation, and the queue does not call a company with an
// overdue or late offer "on track".
func TestSLAOverdueFirst(t *testing.T) {
	e := startEnv(t, false)
	// One more offer of Contoso, live long ago and contacted late, with more
	// days than Fabrikam's overdue one: sorted by days it would come first.
	testkit.Exec(t, e.store, `INSERT INTO offers VALUES ('contoso-old', 'P1', 'Contoso Old', 'Transact', 'AZUREMARKETPLACE', DATE '2023-01-01', 1)`)
	// Northwind activated its Tier 1 benefits the day the unlock was approved
	// (the 7-day clock starts at the partner's activation) and nobody called.
	testkit.Exec(t, e.store, `INSERT INTO benefit_activations (benefit_key, pga_id, unlock_id, tier, period, listing_type, benefit, activated_by, activated_at)
		VALUES ('PGA3:tier-1:1:co-marketing', 'PGA3', 'PGA3:tier-1', 'Tier 1', 1, 'Transact', 'co-marketing', 'partner token', TIMESTAMP '2025-05-02 09:00:00')`)
	c := e.client(t)
	c.signIn("rewards")
	r := c.get("/desk/sla")
	offers := r.body[strings.Index(r.body, `id="offers-h"`):]
	fab, late := strings.Index(offers, "Fabrikam CRM"), strings.Index(offers, "Contoso Old")
	if fab < 0 || late < 0 || fab > late {
		t.Fatalf("offers: the overdue Fabrikam CRM (at %d) must come before the contacted-late Contoso Old (at %d)", fab, late)
	}
	if !strings.Contains(r.body, "Days: from the day the offer went live to the company's first contact, or to today") {
		t.Fatal(`the offers list does not say what "Days" counts`)
	}
	if !strings.Contains(r.body, "Days: from the activation to the contact, or to today") {
		t.Fatal(`the activation list does not say what "Days" counts`)
	}
	// Overdue: Northwind's activation (approved, never contacted) and Fabrikam's offer.
	badge := mustRegexp(`href="/desk/sla"[^>]*>SLA lists <span class="nav-badge">(\d+)<span class="sr-only"> overdue</span>`)
	for _, path := range []string{"/desk/", "/desk/sla", "/desk/tiers", "/desk/packs"} {
		m := badge.FindStringSubmatch(c.get(path).body)
		if m == nil || m[1] != "2" {
			t.Fatalf("%s: navigation badge %v, want 2 overdue", path, m)
		}
	}
	if !strings.Contains(r.body, "<strong class=\"bad-text\">2 overdue</strong>") {
		t.Fatal("the page's count differs from the badge's")
	}
	q := c.get("/desk/").body
	row := func(company string) string {
		i := strings.Index(q, company)
		if i < 0 {
			t.Fatalf("%s not in the queue", company)
		}
		j := strings.Index(q[i:], "</tr>")
		return q[i : i+j]
	}
	if f := row("Fabrikam Inc"); !strings.Contains(f, "overdue: escalate") || strings.Contains(f, "on track") {
		t.Fatalf("Fabrikam (an offer overdue) in the queue: %q", f)
	}
	if cl := row("Contoso Ltd"); !strings.Contains(cl, "contacted late") || strings.Contains(cl, "on track") {
		t.Fatalf("Contoso (offers contacted late) in the queue: %q", cl)
	}
}

// TestAttributionGroupsSuffixedIDs: pid-<GUID>-<suffix> and pid-<GUID>_<suffix>
// found on deployments are listed under their GUID, once.
func TestAttributionGroupsSuffixedIDs(t *testing.T) {
	e := startEnv(t, false)
	testkit.Exec(t, e.store, `INSERT INTO attr_deployments (deployment_id, "timestamp", subscription_id, token_seq, tokens_found, source, raw_token, kind, tracking_id, status, reason, multiple, opted_out, partner_id, pga_id, offer_id, tags_usage) VALUES
		('dep-6', TIMESTAMP '2025-06-10 10:00:00', 'SUB-A', 1, 1, 'deployment_name', 'pid-aaaaaaaa-2222-3333-4444-555555555555-3s629i6212r5c', 'partner_center', 'pid-aaaaaaaa-2222-3333-4444-555555555555-3s629i6212r5c', 'unregistered', 'not registered, nor is its GUID', false, false, NULL, NULL, NULL, false),
		('dep-7', TIMESTAMP '2025-06-11 10:00:00', 'SUB-A', 1, 1, 'deployment_name', 'pid-AAAAAAAA-2222-3333-4444-555555555555_v5_caf', 'partner_center', 'pid-AAAAAAAA-2222-3333-4444-555555555555_v5_caf', 'unregistered', 'not registered, nor is its GUID', false, false, NULL, NULL, NULL, false)`)
	c := e.client(t)
	c.signIn("P1")
	body := c.get("/portal/P1/attribution").body
	unreg := body[strings.Index(body, `id="unreg-h"`):]
	if !strings.Contains(unreg, "Not registered: 1 to register if yours") {
		t.Fatalf("the unregistered list does not hold one ID: %q", unreg[:min(len(unreg), 200)])
	}
	if n := strings.Count(unreg, "<code>pid-aaaaaaaa-2222-3333-4444-555555555555</code>"); n != 1 {
		t.Fatalf("the GUID is listed %d times, want once", n)
	}
	if !strings.Contains(unreg, "also found with a suffix: pid-AAAAAAAA-2222-3333-4444-555555555555_v5_caf, pid-aaaaaaaa-2222-3333-4444-555555555555-3s629i6212r5c") {
		t.Fatal("the suffixed forms are not named under their GUID")
	}
	m := mustRegexp(`<code>pid-aaaaaaaa-2222-3333-4444-555555555555</code>.*?</td><td[^>]*>[^<]*</td><td class="num"[^>]*>(\d+)</td>`).FindStringSubmatch(unreg)
	if m == nil || m[1] != strconv.Itoa(3) {
		t.Fatalf("deployments under the GUID: %v, want 3 (the bare form and the two suffixed)", m)
	}
}

// TestPortalHeaderAndProjection: the portal's header names the partner; the
// projection says what it projects.
func TestPortalHeaderAndProjection(t *testing.T) {
	e := startEnv(t, false)
	for who, want := range map[string][]string{
		"P1": {`<span class="who">Contoso Apps</span>`, "Tier 2 projected", "2025-12", "if the monthly pace stays as it is"},
		"P2": {`<span class="who">Fabrikam</span>`, "Tier 2 projected", "Not in sight", "the trailing total does not reach Tier 2"},
	} {
		c := e.client(t)
		c.signIn(who)
		body := c.get("/portal/" + who + "/").body
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the tier page lacks %q", who, w)
			}
		}
		if strings.Contains(body, "Partner "+who) || strings.Contains(body, "not at current pace") {
			t.Errorf("%s: the page still shows the id or the raw projection", who)
		}
	}
}
