package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// oidcEnv is the service with sign-in through a real provider (Hydra), the
// small marketplace seeded, and people (env.withPeople); ids are the people's
// ids by key.
type oidcEnv struct {
	*env
	ids map[string]string // person key → person id
}

func startOIDCEnv(t *testing.T, tokenSignIn bool) *oidcEnv {
	t.Helper()
	e := startEnvWith(t, envOptions{people: true, tokenSignIn: tokenSignIn})
	return &oidcEnv{env: e, ids: e.personIDs}
}

// browserClient is a cookie-keeping client that follows redirects, except
// into the callback when stop is set (to tamper with it).
func browserClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second}
}

// toCallback runs a sign-in as user up to the provider's redirect into the
// callback, and returns that URL (not yet visited).
func (e *env) toCallback(t *testing.T, c *http.Client, u hydraUser, next string) string {
	t.Helper()
	e.idp.signInAs(u)
	var callback string
	c.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/sign-in/callback" {
			callback = req.URL.String()
			return http.ErrUseLastResponse
		}
		return nil
	}
	defer func() { c.CheckRedirect = nil }()
	start := e.base + "/sign-in/oidc"
	if next != "" {
		start += "?next=" + url.QueryEscape(next)
	}
	resp := get(t, c, start)
	if callback == "" {
		t.Fatalf("the provider did not come back to the callback: %d %s", resp.code, resp.body)
	}
	return callback
}

type answer struct {
	code int
	body string
	url  string
}

func get(t *testing.T, c *http.Client, u string) answer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(b), resp.Request.URL.String()}
}

func post(t *testing.T, c *http.Client, u string, form url.Values) answer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(b), resp.Request.URL.String()}
}

var metaRefresh = regexp.MustCompile(`http-equiv="refresh" content="0;url=([^"]*)"`)

// signIn signs user in and follows the continue page; it returns the page landed on.
func (e *env) signIn(t *testing.T, c *http.Client, key, next string) answer {
	t.Helper()
	cb := e.toCallback(t, c, e.users[key], next)
	a := get(t, c, cb)
	m := metaRefresh.FindStringSubmatch(a.body)
	if a.code != http.StatusOK || m == nil {
		t.Fatalf("callback for %s: %d %s", key, a.code, a.body)
	}
	dest := strings.ReplaceAll(m[1], "&amp;", "&")
	if !strings.HasPrefix(dest, "/") {
		t.Fatalf("the continue page leaves the site: %q", dest)
	}
	return get(t, c, e.base+dest)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, body string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form token in:\n%s", body)
	}
	return m[1]
}

// TestOIDCSignIn: each role signs in through the provider and lands on its
// pages, sees what its role allows and nothing else; a role change and a
// removal count on the next request; sign-out ends the session and the
// provider's.
func TestOIDCSignIn(t *testing.T) {
	e := startOIDCEnv(t, false)
	ctx := context.Background()

	t.Run("the sign-in page offers the provider, not tokens", func(t *testing.T) {
		a := get(t, browserClient(t), e.base+"/sign-in")
		if !strings.Contains(a.body, `href="/sign-in/oidc"`) || strings.Contains(a.body, `id="token"`) {
			t.Fatalf("sign-in page:\n%s", a.body)
		}
		a = post(t, browserClient(t), e.base+"/sign-in", url.Values{"token": {e.tokens["rewards"]}})
		if a.code != http.StatusNotFound || !strings.Contains(a.body, "token sign-in is off") {
			t.Fatalf("token sign-in with a provider: %d %s", a.code, a.body)
		}
	})
	t.Run("tokens keep working for the API", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, e.base+"/v1/reports", nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens["P1"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("download API with a token: %d", resp.StatusCode)
		}
	})
	t.Run("reviewer lands on the desk, no People page", func(t *testing.T) {
		c := browserClient(t)
		a := e.signIn(t, c, "reviewer", "")
		if !strings.HasSuffix(a.url, "/desk/") || !strings.Contains(a.body, "Review queue") || strings.Contains(a.body, `href="/people"`) {
			t.Fatalf("reviewer landed on %s:\n%s", a.url, a.body)
		}
		if a := get(t, c, e.base+"/people"); a.code != http.StatusNotFound {
			t.Errorf("reviewer opens /people: %d", a.code)
		}
		if a := get(t, c, e.base+"/portal/P1/"); a.code != http.StatusNotFound {
			t.Errorf("reviewer opens a portal: %d", a.code)
		}
	})
	t.Run("partner admin lands on the company's portal, sees both profiles, not another company", func(t *testing.T) {
		c := browserClient(t)
		a := e.signIn(t, c, "contoso-admin", "")
		if !strings.HasSuffix(a.url, "/portal/P1/") || !strings.Contains(a.body, `href="/people"`) {
			t.Fatalf("partner admin landed on %s:\n%s", a.url, a.body)
		}
		for path, want := range map[string]int{"/portal/P1b/": 200, "/portal/P1/reports": 200, "/portal/P2/": 404, "/desk/": 404, "/people": 200} {
			if got := get(t, c, e.base+path); got.code != want {
				t.Errorf("%s: %d, want %d", path, got.code, want)
			}
		}
		a = get(t, c, e.base+"/people")
		if !strings.Contains(a.body, "vic@contoso.example") || strings.Contains(a.body, "bo@fabrikam.example") || strings.Contains(a.body, "rita@rewards.example") {
			t.Errorf("a partner admin's People page shows other companies:\n%s", a.body)
		}
		// Adds a person to their own company, whatever company the form names.
		a = post(t, c, e.base+"/people", url.Values{"csrf": {csrfOf(t, a.body)}, "email": {"new@contoso.example"}, "name": {"New Person"}, "role": {"viewer"}, "company": {"PGA2"}})
		if a.code != http.StatusOK || !strings.Contains(a.body, "New Person added as Viewer") {
			t.Fatalf("add: %d %s", a.code, a.body)
		}
		added, err := auth.FindPerson(ctx, e.people, "new@contoso.example")
		if err != nil || added.PGAID != "PGA1" {
			t.Fatalf("added %+v %v", added, err)
		}
		// Nobody of another company can be changed (404, as if absent).
		a = post(t, c, e.base+"/people/"+e.ids["fabrikam-admin"]+"/remove", url.Values{"csrf": {csrfOf(t, a.body)}})
		if a.code != http.StatusNotFound {
			t.Errorf("remove another company's person: %d", a.code)
		}
		a = get(t, c, e.base+"/people")
		if !strings.Contains(a.body, "New Person (new@contoso.example)</td><td>added as Viewer</td><td>"+e.ids["contoso-admin"]) {
			t.Errorf("the People page's history lacks the add:\n%s", a.body)
		}
		if strings.Contains(a.body, "bo@fabrikam.example") {
			t.Errorf("the People page's history shows another company's changes")
		}
		changes, _ := e.people.Changes(ctx, added.ID)
		if len(changes) != 1 || changes[0].By != e.ids["contoso-admin"] {
			t.Errorf("history of the add: %+v", changes)
		}
	})
	t.Run("viewer's POST is refused", func(t *testing.T) {
		c := browserClient(t)
		a := e.signIn(t, c, "contoso-viewer", "")
		if strings.Contains(a.body, `href="/people"`) {
			t.Errorf("a viewer sees the People entry")
		}
		a = post(t, c, e.base+"/people", url.Values{"csrf": {csrfOf(t, a.body)}, "email": {"x@contoso.example"}, "role": {"partner_admin"}})
		if a.code != http.StatusForbidden || !strings.Contains(a.body, "may look but not change") {
			t.Fatalf("viewer POST: %d %s", a.code, a.body)
		}
		if _, err := auth.FindPerson(ctx, e.people, "x@contoso.example"); err == nil {
			t.Error("the viewer's POST added a person")
		}
		if !strings.Contains(e.logs.String(), `"msg":"change refused: not an admin"`) {
			t.Error("no log line for the refused POST")
		}
	})
	t.Run("second company sees only its company", func(t *testing.T) {
		c := browserClient(t)
		a := e.signIn(t, c, "fabrikam-admin", "/portal/P1/")
		if a.code != http.StatusNotFound {
			t.Errorf("Fabrikam's admin opens Contoso's portal: %d", a.code)
		}
		if a := get(t, c, e.base+"/"); !strings.HasSuffix(a.url, "/portal/P2/") {
			t.Errorf("Fabrikam's start page: %s", a.url)
		}
	})
	t.Run("role change and removal count on the next request", func(t *testing.T) {
		c := browserClient(t)
		e.signIn(t, c, "contoso-admin", "")
		p, _ := e.people.Person(ctx, e.ids["contoso-admin"])
		if _, err := auth.SetRole(ctx, e.people, "test", p, auth.RoleViewer, time.Now()); err != nil {
			t.Fatal(err)
		}
		if a := get(t, c, e.base+"/people"); a.code != http.StatusNotFound {
			t.Errorf("after the role change to viewer, /people: %d", a.code)
		}
		p, _ = e.people.Person(ctx, e.ids["contoso-admin"])
		if _, err := auth.RemovePerson(ctx, e.people, "test", p, time.Now()); err != nil {
			t.Fatal(err)
		}
		a := get(t, c, e.base+"/portal/P1/")
		if !strings.Contains(a.url, "/sign-in") {
			t.Errorf("a removed person still sees %s", a.url)
		}
		if !strings.Contains(e.logs.String(), `"msg":"session ended: person removed"`) {
			t.Error("no log line for the ended session")
		}
	})
	t.Run("matched by the provider's account after the first sign-in, whatever its email", func(t *testing.T) {
		c := browserClient(t)
		e.signIn(t, c, "fabrikam-admin", "")
		// The provider now gives Bo another email (renamed, or not verified):
		// the bound account (issuer, subject) is what counts.
		u := e.users["fabrikam-admin"]
		u.Email, u.Verified = "bo.chen@fabrikam.example", false
		c2 := browserClient(t)
		a := get(t, c2, e.toCallback(t, c2, u, ""))
		if m := metaRefresh.FindStringSubmatch(a.body); a.code != http.StatusOK || m == nil {
			t.Fatalf("Bo with another email: %d %s", a.code, a.body)
		}
		if a := get(t, c2, e.base+"/"); !strings.HasSuffix(a.url, "/portal/P2/") {
			t.Errorf("Bo landed on %s", a.url)
		}
		if p, _ := e.people.Person(ctx, e.ids["fabrikam-admin"]); p.Email != "bo@fabrikam.example" || p.Subject != "sub-fabrikam-admin" {
			t.Errorf("the person changed: %+v", p)
		}
	})
	t.Run("rewards admin manages everyone; sign-out ends the provider's session too", func(t *testing.T) {
		c := browserClient(t)
		e.signIn(t, c, "radmin", "")
		a := get(t, c, e.base+"/people")
		if a.code != 200 || !strings.Contains(a.body, "bo@fabrikam.example") || !strings.Contains(a.body, "rita@rewards.example") {
			t.Fatalf("rewards admin's People page: %d", a.code)
		}
		a = post(t, c, e.base+"/people/"+e.ids["reviewer"]+"/role", url.Values{"csrf": {csrfOf(t, a.body)}, "role": {"admin"}})
		if a.code != 200 || !strings.Contains(a.body, "Rita Reviewer is now Rewards admin") {
			t.Fatalf("role change: %d %s", a.code, a.body)
		}
		a = post(t, c, e.base+"/sign-out", url.Values{"csrf": {csrfOf(t, a.body)}})
		m := metaRefresh.FindStringSubmatch(a.body)
		if m == nil || !strings.HasPrefix(strings.ReplaceAll(m[1], "&amp;", "&"), e.idp.issuer+"oauth2/sessions/logout?") {
			t.Fatalf("sign-out does not go to the provider's sign-out: %s", a.body)
		}
		a = get(t, c, strings.ReplaceAll(m[1], "&amp;", "&"))
		if !strings.Contains(a.url, "/sign-in?signed_out=1") {
			t.Errorf("after the provider's sign-out: %s", a.url)
		}
		if a := get(t, c, e.base+"/desk/"); !strings.Contains(a.url, "/sign-in") {
			t.Errorf("signed out, /desk/ is %s", a.url)
		}
	})
	// Last: the restart's server stops with its subtest.
	t.Run("a person's session survives a restart of the service, with their role", func(t *testing.T) {
		c := browserClient(t)
		e.signIn(t, c, "radmin", "")
		e.restart(t)
		a := get(t, c, e.base+"/people")
		if a.code != http.StatusOK || !strings.Contains(a.body, "rita@rewards.example") {
			t.Fatalf("after a restart, the rewards admin's /people: %d %s", a.code, a.url)
		}
		if a := get(t, c, e.base+"/desk/"); a.code != http.StatusOK || !strings.HasSuffix(a.url, "/desk/") {
			t.Errorf("after a restart, /desk/: %d %s", a.code, a.url)
		}
	})
}

// TestOIDCRefusals: every bad callback is refused with a page that says what
// happened, a log line with its reason, and no session.
func TestOIDCRefusals(t *testing.T) {
	e := startOIDCEnv(t, false)
	ctx := context.Background()
	if err := e.people.SetTenant(ctx, auth.Tenant{PGAID: "PGA3", TenantID: "tid-shared", Added: time.Now(), By: "t"}, true); err != nil {
		t.Fatal(err)
	}
	if err := e.people.SetTenant(ctx, auth.Tenant{PGAID: "PGA2", TenantID: "tid-shared", Added: time.Now(), By: "t"}, true); err != nil {
		t.Fatal(err)
	}
	withUser := func(key string, edit func(*hydraUser)) hydraUser {
		u := e.users[key]
		edit(&u)
		return u
	}
	tests := []struct {
		name   string
		run    func(t *testing.T, c *http.Client) answer
		code   int
		reason string
		page   string
	}{
		{"wrong state", func(t *testing.T, c *http.Client) answer {
			cb := e.toCallback(t, c, e.users["reviewer"], "")
			return get(t, c, regexp.MustCompile(`state=[^&]+`).ReplaceAllString(cb, "state=forged"))
		}, 400, "state_mismatch", "did not start in this browser"},
		{"reused state", func(t *testing.T, c *http.Client) answer {
			// Signed in once in one browser; the callback replayed in another.
			c0 := browserClient(t)
			cb := e.toCallback(t, c0, e.users["reviewer"], "")
			if a := get(t, c0, cb); a.code != 200 {
				t.Fatalf("first use: %d", a.code)
			}
			// Even with the state cookie put back, a state is good once.
			u, _ := url.Parse(cb)
			c.Jar.SetCookies(u, []*http.Cookie{{Name: stateCookie, Value: u.Query().Get("state"), Path: "/"}})
			return get(t, c, cb)
		}, 400, "state_unknown_or_reused", "already been used"},
		{"wrong nonce", func(t *testing.T, c *http.Client) answer {
			cb := e.toCallback(t, c, e.users["reviewer"], "")
			if _, err := e.store.Exec(ctx, `UPDATE oidc_logins SET nonce = 'another sign-in'`); err != nil {
				t.Fatal(err)
			}
			return get(t, c, cb)
		}, 401, "nonce", "belongs to another sign-in"},
		{"expired ID token", func(t *testing.T, c *http.Client) answer {
			cb := e.toCallback(t, c, e.users["reviewer"], "")
			e.skew.Store(int64(3 * time.Hour))
			defer e.skew.Store(0)
			return get(t, c, cb)
		}, 401, "id_token", "has expired"},
		{"code used twice", func(t *testing.T, c *http.Client) answer {
			// The code and PKCE verifier of one sign-in, replayed under a fresh state.
			c0 := browserClient(t)
			cb := e.toCallback(t, c0, e.users["reviewer"], "")
			if a := get(t, c0, cb); a.code != 200 {
				t.Fatalf("first use: %d", a.code)
			}
			cb2 := e.toCallback(t, c, e.users["reviewer"], "")
			u1, _ := url.Parse(cb)
			u2, _ := url.Parse(cb2)
			q := u2.Query()
			q.Set("code", u1.Query().Get("code"))
			u2.RawQuery = q.Encode()
			return get(t, c, u2.String())
		}, 401, "code_exchange", "did not accept the sign-in code"},
		{"unverified email", func(t *testing.T, c *http.Client) answer {
			return get(t, c, e.toCallback(t, c, withUser("contoso-viewer", func(u *hydraUser) { u.Verified = false }), ""))
		}, 403, "email_unverified", "not verified"},
		{"not added", func(t *testing.T, c *http.Client) answer {
			return get(t, c, e.toCallback(t, c, hydraUser{Subject: "sub-stranger", Email: "stranger@contoso.example", Verified: true, Tenant: "tid-contoso"}, ""))
		}, 403, "no_person", "not been added"},
		{"removed person", func(t *testing.T, c *http.Client) answer {
			p, _ := e.people.Person(ctx, e.ids["fabrikam-admin"])
			if _, err := auth.RemovePerson(ctx, e.people, "t", p, time.Now()); err != nil {
				t.Fatal(err)
			}
			return get(t, c, e.toCallback(t, c, e.users["fabrikam-admin"], ""))
		}, 403, "no_person", "not been added"},
		{"tenant of no company", func(t *testing.T, c *http.Client) answer {
			return get(t, c, e.toCallback(t, c, hydraUser{Subject: "sub-x", Email: "x@elsewhere.example", Verified: true, Tenant: "tid-elsewhere"}, ""))
		}, 403, "tenant_unknown", "Why can't I see Marketplace Rewards?"},
		{"tenant in two companies", func(t *testing.T, c *http.Client) answer {
			return get(t, c, e.toCallback(t, c, withUser("contoso-admin", func(u *hydraUser) { u.Tenant = "tid-shared" }), ""))
		}, 403, "tenant_in_two_companies", "more than one company"},
		{"another company's tenant", func(t *testing.T, c *http.Client) answer {
			return get(t, c, e.toCallback(t, c, withUser("contoso-viewer", func(u *hydraUser) { u.Tenant, u.Subject = "tid-fabrikam", "sub-attacker-2" }), ""))
		}, 403, "tenant_of_another_company", "another company"},
		{"rewards person from another tenant", func(t *testing.T, c *http.Client) answer {
			return get(t, c, e.toCallback(t, c, withUser("radmin", func(u *hydraUser) { u.Tenant, u.Subject = "tid-contoso", "sub-attacker-1" }), ""))
		}, 403, "tenant_of_another_company", "a tenant that is not the rewards team"},
		{"sign-in older than ten minutes", func(t *testing.T, c *http.Client) answer {
			cb := e.toCallback(t, c, e.users["reviewer"], "")
			e.webSkew.Store(int64(11 * time.Minute))
			defer e.webSkew.Store(0)
			return get(t, c, cb)
		}, 400, "state_expired", "longer than ten minutes"},
		{"email of a person bound to another account", func(t *testing.T, c *http.Client) answer {
			// Ann signed in once (her account is bound); another account of
			// the provider with her verified email does not become her.
			c0 := browserClient(t)
			e.signIn(t, c0, "contoso-admin", "")
			return get(t, c, e.toCallback(t, c, withUser("contoso-admin", func(u *hydraUser) { u.Subject = "sub-someone-else" }), ""))
		}, 403, "email_bound_to_another_account", "signs in with another account"},
		{"provider error", func(t *testing.T, c *http.Client) answer {
			cb := e.toCallback(t, c, e.users["reviewer"], "")
			u, _ := url.Parse(cb)
			return get(t, c, e.base+"/sign-in/callback?error=access_denied&error_description=The+user+said+no&state="+u.Query().Get("state"))
		}, 401, "provider_error", "The user said no"},
	}
	// A refused first sign-in binds nothing: the person added with that email
	// still waits for their own account.
	unbound := map[string]string{"tenant in two companies": "contoso-admin", "another company's tenant": "contoso-viewer",
		"rewards person from another tenant": "radmin", "unverified email": "contoso-viewer"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(e.logs.String())
			c := browserClient(t)
			a := tc.run(t, c)
			if key := unbound[tc.name]; key != "" {
				if p, err := e.people.Person(ctx, e.ids[key]); err != nil || p.Subject != "" {
					t.Errorf("the refused sign-in bound %s to %q (%v)", key, p.Subject, err)
				}
			}
			if a.code != tc.code || !strings.Contains(a.body, tc.page) {
				t.Fatalf("answer %d (want %d), page lacks %q:\n%s", a.code, tc.code, tc.page, a.body)
			}
			if line := e.logs.String()[before:]; !strings.Contains(line, `"msg":"sign-in refused","reason":"`+tc.reason+`"`) {
				t.Errorf("log lacks the refusal %s:\n%s", tc.reason, line)
			}
			// Nothing granted: no session for this browser.
			if a := get(t, c, e.base+"/desk/"); !strings.Contains(a.url, "/sign-in") {
				t.Errorf("after the refusal, /desk/ is %s", a.url)
			}
		})
	}
	t.Run("open redirect in the return address", func(t *testing.T) {
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "/sign-in/oidc"} {
			c := browserClient(t)
			a := e.signIn(t, c, "radmin", next)
			if !strings.HasPrefix(a.url, e.base+"/desk/") {
				t.Errorf("next=%q landed on %s", next, a.url)
			}
		}
		if !strings.Contains(e.logs.String(), `"msg":"return address refused: not a path on this site"`) {
			t.Error("no log line for the refused return address")
		}
		c := browserClient(t)
		if a := e.signIn(t, c, "radmin", "/desk/tiers"); !strings.HasSuffix(a.url, "/desk/tiers") {
			t.Errorf("a good return address: %s", a.url)
		}
	})
}

// TestOIDCForeignAudience: an ID token the provider issued to another
// application is refused, as are a wrong nonce and an expired token.
func TestOIDCForeignAudience(t *testing.T) {
	e := startOIDCEnv(t, true)
	ctx := context.Background()
	// The same provider, another application: its own client, its own tokens.
	other := e.oidcCfg
	c2 := e.idp.newClient(t, e.base+"/sign-in/callback", e.base+"/")
	other.ClientID, other.ClientSecret = c2.ID, c2.Secret
	otherApp, err := auth.NewOIDC(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	// A sign-in of the other application, driven by hand.
	(&hydraApp{hydra: e.idp.hydra, client: c2}).signInAs(e.users["reviewer"])
	state, nonce, verifier := "s-"+randomText(8), "n-"+randomText(8), auth.NewVerifier()
	c := browserClient(t)
	var code string
	c.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/sign-in/callback" {
			code = req.URL.Query().Get("code")
			return http.ErrUseLastResponse
		}
		return nil
	}
	get(t, c, otherApp.AuthURL(state, nonce, verifier))
	if code == "" {
		t.Fatal("no code for the other application")
	}
	id, err := otherApp.Exchange(ctx, code, verifier, nonce)
	if err != nil {
		t.Fatalf("the other application's own sign-in: %v", err)
	}
	ours := e.webCfg.OIDC
	for _, tc := range []struct {
		name, nonce string
		skew        time.Duration
		want        string
	}{
		{"foreign audience", nonce, 0, "audience"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.skew.Store(int64(tc.skew))
			_, err := ours.Verify(ctx, id.IDToken, tc.nonce)
			var ref *auth.Refusal
			if !errors.As(err, &ref) || ref.Reason != auth.ReasonIDToken || !strings.Contains(ref.Err.Error(), tc.want) {
				t.Fatalf("err = %v, want a refusal about the %s", err, tc.want)
			}
		})
	}
	// The other application itself accepts it, and refuses a wrong nonce or an expired token.
	for _, tc := range []struct {
		name, nonce string
		skew        time.Duration
		reason      string
	}{
		{"its own audience", nonce, 0, ""},
		{"wrong nonce", "n-other", 0, auth.ReasonNonce},
		{"expired", nonce, 3 * time.Hour, auth.ReasonIDToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.skew.Store(int64(tc.skew))
			defer e.skew.Store(0)
			_, err := otherApp.Verify(ctx, id.IDToken, tc.nonce)
			var ref *auth.Refusal
			if tc.reason == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.As(err, &ref) || ref.Reason != tc.reason {
				t.Fatalf("err = %v, want reason %s", err, tc.reason)
			}
		})
	}
}

// TestTokenSignInModes: the pages take API tokens when no provider is
// configured (a single machine, `make demo`); with [oidc] they do not, unless
// [web] token_sign_in = true. The sign-in page offers what is on.
func TestTokenSignInModes(t *testing.T) {
	for _, tc := range []struct {
		name             string
		opts             envOptions
		tokens, provider bool
	}{
		{"no provider", envOptions{}, true, false},
		{"provider", envOptions{people: true}, false, true},
		{"provider and token_sign_in", envOptions{people: true, tokenSignIn: true}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := startEnvWith(t, tc.opts)
			c := e.client(t)
			page := c.get("/sign-in")
			if got := strings.Contains(page.body, `id="token"`); got != tc.tokens {
				t.Errorf("token form offered: %v, want %v", got, tc.tokens)
			}
			if got := strings.Contains(page.body, `href="/sign-in/oidc"`); got != tc.provider {
				t.Errorf("provider offered: %v, want %v", got, tc.provider)
			}
			r := c.do(http.MethodPost, "/sign-in", url.Values{"token": {e.tokens["rewards"]}}, nil)
			if !tc.tokens {
				if r.code != http.StatusNotFound || !strings.Contains(r.body, "token sign-in is off") {
					t.Fatalf("token sign-in with a provider: %d %s", r.code, r.body)
				}
				if !strings.Contains(e.logs.String(), `"msg":"token sign-in refused: off with an identity provider"`) {
					t.Error("no log line for the refused token sign-in")
				}
				if r := c.get("/desk/"); r.code != http.StatusSeeOther {
					t.Errorf("after the refused token sign-in, /desk/: %d", r.code)
				}
				return
			}
			if r.code != http.StatusSeeOther {
				t.Fatalf("token sign-in: %d %s", r.code, r.body)
			}
			if r := c.get("/desk/"); r.code != http.StatusOK || !strings.Contains(r.body, "Review queue") {
				t.Errorf("signed in with a token, /desk/: %d", r.code)
			}
		})
	}
}

// accessLine is the last access-log line of path (a JSON object), nil if none.
func accessLine(t *testing.T, e *env, path string) map[string]any {
	t.Helper()
	var last map[string]any
	for line := range strings.Lines(e.logs.String()) {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "http request" && m["path"] == path {
			last = m
		}
	}
	return last
}

// TestAccessLogNamesThePerson: a signed-in person's requests are in the
// access log with their person id and role (of that moment: a role change
// shows on the next line); a token's, signed in to the pages or calling the
// API, with its token id.
func TestAccessLogNamesThePerson(t *testing.T) {
	e := startEnvWith(t, envOptions{people: true, tokenSignIn: true})
	ctx := context.Background()
	c := e.personClient(t, "contoso-viewer")
	check := func(path string, want map[string]any, never ...string) {
		t.Helper()
		line := accessLine(t, e, path)
		if line == nil {
			t.Fatalf("no access log line for %s", path)
		}
		for k, v := range want {
			if line[k] != v {
				t.Errorf("%s: %s = %v, want %v (%v)", path, k, line[k], v, line)
			}
		}
		for _, k := range never {
			if _, ok := line[k]; ok {
				t.Errorf("%s: the line has %s: %v", path, k, line)
			}
		}
	}
	c.get("/portal/P1/reports")
	check("/portal/P1/reports", map[string]any{"person_id": e.personIDs["contoso-viewer"], "role": "viewer", "status": float64(200)}, "token_id")
	p, _ := e.people.Person(ctx, e.personIDs["contoso-viewer"])
	if _, err := auth.SetRole(ctx, e.people, "test", p, auth.RolePartnerAdmin, time.Now()); err != nil {
		t.Fatal(err)
	}
	c.get("/portal/P1/attribution")
	check("/portal/P1/attribution", map[string]any{"person_id": e.personIDs["contoso-viewer"], "role": "partner_admin"}, "token_id")
	// The callback that signs a person in names them too.
	c2 := browserClient(t)
	e.signIn(t, c2, "reviewer", "/desk/sla")
	check("/sign-in/callback", map[string]any{"person_id": e.personIDs["reviewer"], "role": "reviewer"})
	check("/desk/sla", map[string]any{"person_id": e.personIDs["reviewer"], "role": "reviewer"})

	tc := e.client(t)
	tc.signIn("P2")
	tc.get("/portal/P2/reports")
	check("/portal/P2/reports", map[string]any{"token_id": e.ids["P2"]}, "person_id", "role")
	req, _ := http.NewRequest(http.MethodGet, e.base+"/v1/reports", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["P1"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	check("/v1/reports", map[string]any{"token_id": e.ids["P1"]}, "person_id")
}

// TestNoPublisherProfile: a person of a company with no publisher profile yet
// (added ahead of its first profile) signs in and lands on a page that says
// so and what to do, with no link into a profile's portal (/portal//…);
// once the company's first profile is in the partner data, the next request
// lands on its portal. /portal/ sends everyone else to their start page.
func TestNoPublisherProfile(t *testing.T) {
	e := startPeopleEnv(t, false)
	c := browserClient(t)
	a := e.signIn(t, c, "newco-admin", "")
	if a.code != http.StatusOK || !strings.HasSuffix(a.url, "/portal/") {
		t.Fatalf("Newco's admin landed on %s (%d)", a.url, a.code)
	}
	for _, want := range []string{"<h1>No publisher profile yet</h1>", "partner global account <strong>PGA9</strong>", "linked to PGA9,", `href="/people"`, `aria-current="page"`} {
		if !strings.Contains(a.body, want) {
			t.Errorf("the page lacks %q:\n%s", want, a.body)
		}
	}
	if strings.Contains(a.body, "/portal//") || strings.Contains(a.body, `href="/portal/"`) == false {
		t.Errorf("links into an empty profile, or no entry for the page:\n%s", a.body)
	}
	if got := get(t, c, e.base+"/"); !strings.HasSuffix(got.url, "/portal/") || strings.HasSuffix(got.url, "//") {
		t.Errorf("the start page is %s, want /portal/", got.url)
	}
	// An old /portal// link (before there was this page) still shows it.
	if got := get(t, c, e.base+"/portal//"); !strings.Contains(got.body, "<h1>No publisher profile yet</h1>") {
		t.Errorf("/portal//: %d %s", got.code, got.url)
	}
	if p := get(t, c, e.base+"/people"); p.code != http.StatusOK || !strings.Contains(p.body, "nina@newco.example") || strings.Contains(p.body, "/portal//") {
		t.Errorf("Newco's People page: %d", p.code)
	}
	// Newco's admin adds a colleague to the company, as the page says.
	people := get(t, c, e.base+"/people")
	if a := post(t, c, e.base+"/people", url.Values{"csrf": {csrfOf(t, people.body)}, "email": {"noah@newco.example"}, "name": {"Noah"}, "role": {"viewer"}}); a.code != http.StatusOK || !strings.Contains(a.body, "Noah added as Viewer") {
		t.Errorf("Newco's admin adds a viewer: %d %s", a.code, a.body)
	}
	if p, err := auth.FindPerson(context.Background(), e.people, "noah@newco.example"); err != nil || p.PGAID != "PGA9" {
		t.Errorf("added %+v %v", p, err)
	}
	// The company's first profile arrives with the next run.
	testkit.Exec(t, e.store, `INSERT INTO partners VALUES ('P9', 'PGA9', 'Newco Apps', 'Newco', 'hq@newco.example', 1)`)
	if a := get(t, c, e.base+"/"); !strings.HasSuffix(a.url, "/portal/P9/") || a.code != http.StatusOK {
		t.Errorf("with a profile, Newco's admin lands on %s (%d)", a.url, a.code)
	}
	if a := get(t, c, e.base+"/portal/"); !strings.HasSuffix(a.url, "/portal/P9/") {
		t.Errorf("with a profile, /portal/ is %s", a.url)
	}
	for key, want := range map[string]string{"reviewer": "/desk/", "contoso-admin": "/portal/P1/"} {
		c := browserClient(t)
		e.signIn(t, c, key, "")
		if a := get(t, c, e.base+"/portal/"); !strings.HasSuffix(a.url, want) {
			t.Errorf("%s: /portal/ is %s, want %s", key, a.url, want)
		}
	}
	if a := get(t, browserClient(t), e.base+"/portal/"); !strings.Contains(a.url, "/sign-in") {
		t.Errorf("signed out, /portal/ is %s", a.url)
	}
}

// TestPeopleNoEscalation: a partner admin manages their company's people and
// nothing more: no rewards-team role, nobody of another company or of the
// rewards team, and the rewards team's admin no company that does not exist.
// Each refusal changes nothing.
func TestPeopleNoEscalation(t *testing.T) {
	e := startOIDCEnv(t, false)
	ctx := context.Background()
	admin := browserClient(t)
	page := e.signIn(t, admin, "contoso-admin", "/people")
	radmin := browserClient(t)
	rpage := e.signIn(t, radmin, "radmin", "/people")
	for _, tc := range []struct {
		name  string
		c     *http.Client
		page  answer
		path  string
		form  url.Values
		code  int
		shows string // in the answer
	}{
		{"a rewards role", admin, page, "/people", url.Values{"email": {"x1@contoso.example"}, "role": {"admin"}}, 403, "your own company only"},
		{"the reviewer role", admin, page, "/people", url.Values{"email": {"x2@contoso.example"}, "role": {"reviewer"}}, 403, "your own company only"},
		{"their viewer made a rewards admin", admin, page, "/people/" + e.ids["contoso-viewer"] + "/role", url.Values{"role": {"admin"}}, 400, "between the rewards team and a company"},
		{"a rewards person's role", admin, page, "/people/" + e.ids["reviewer"] + "/role", url.Values{"role": {"viewer"}}, 404, "no such page"},
		{"another company's person removed", admin, page, "/people/" + e.ids["fabrikam-admin"] + "/remove", url.Values{}, 404, "no such page"},
		{"a company not in the partner data (rewards admin)", radmin, rpage, "/people", url.Values{"email": {"x3@typo.example"}, "role": {"viewer"}, "company": {"PGA1x"}}, 400, "not in the partners&#39; reference data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := e.people.Changes(ctx, "")
			tc.form.Set("csrf", csrfOf(t, tc.page.body))
			a := post(t, tc.c, e.base+tc.path, tc.form)
			if a.code != tc.code || !strings.Contains(a.body, tc.shows) {
				t.Fatalf("%d (want %d), page lacks %q:\n%s", a.code, tc.code, tc.shows, a.body)
			}
			if after, _ := e.people.Changes(ctx, ""); len(after) != len(before) {
				t.Errorf("the refused change was recorded: %+v", after[len(before):])
			}
		})
	}
	for key, role := range map[string]auth.PersonRole{"contoso-viewer": auth.RoleViewer, "reviewer": auth.RoleReviewer, "fabrikam-admin": auth.RolePartnerAdmin} {
		if p, err := e.people.Person(ctx, e.ids[key]); err != nil || p.Role != role || !p.Active() {
			t.Errorf("%s is now %+v (%v)", key, p, err)
		}
	}
}
