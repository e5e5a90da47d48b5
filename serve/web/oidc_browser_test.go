package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/marketplace-insights/insights/serve/auth"
)

// TestBrowserOIDCSignIn: in Chromium, a reviewer and a partner admin sign in
// through a real provider and land on their pages; a viewer's POST is
// refused; a removed person is signed out on their next request; a second
// company's person sees only their company.
func TestBrowserOIDCSignIn(t *testing.T) {
	e := startOIDCEnv(t, false)
	ctx := newBrowser(t)

	step(t, ctx, "sign-in page with a provider", chromedp.Navigate(e.base+"/sign-in"), chromedp.WaitVisible(chromedp.CSS(`a[href="/sign-in/oidc"]`)))
	audit(t, ctx, "/sign-in (provider)")
	// Someone from a tenant of no company gets the explanation, not an error.
	e.idp.signInAs(hydraUser{Subject: "sub-x", Email: "x@elsewhere.example", Verified: true, Tenant: "tid-elsewhere"})
	step(t, ctx, "a tenant of no company", chromedp.Click(chromedp.CSS(`a[href="/sign-in/oidc"]`)), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if h := text(t, ctx, "main h1"); h != "Why can't I see Marketplace Rewards?" {
		t.Errorf("tenant of no company: %q", h)
	}
	audit(t, ctx, "/sign-in/callback (tenant of no company)")

	signInBrowser(t, ctx, e.env, "reviewer")
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/desk/") || text(t, ctx, "h1") != "Review queue" {
		t.Fatalf("reviewer landed on %s (%s)", loc, text(t, ctx, "h1"))
	}
	// The accessibility audit, as a person (not a token).
	for _, p := range auditPages("rewards", true) {
		step(t, ctx, "open "+p.path, chromedp.Navigate(e.base+p.path), chromedp.WaitVisible(chromedp.CSS("main h1")))
		audit(t, ctx, p.path)
	}
	step(t, ctx, "sign out, at the provider too",
		chromedp.Click(chromedp.CSS(`form.signout button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/sign-in/oidc"]`)),
	)
	if loc := location(t, ctx); !strings.Contains(loc, "/sign-in?signed_out=1") {
		t.Errorf("after sign-out: %s", loc)
	}

	signInBrowser(t, ctx, e.env, "contoso-admin")
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/portal/P1/") {
		t.Fatalf("partner admin landed on %s", loc)
	}
	for _, p := range auditPages("P1", true) {
		step(t, ctx, "open "+p.path, chromedp.Navigate(e.base+p.path), chromedp.WaitVisible(chromedp.CSS("main h1")))
		audit(t, ctx, p.path)
	}
	step(t, ctx, "the company's other profile", chromedp.Navigate(e.base+"/portal/P1b/"), chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Main]`)))
	if h := text(t, ctx, "h1"); strings.Contains(h, "404") {
		t.Errorf("Contoso's admin cannot open P1b: %s", h)
	}
	step(t, ctx, "People", chromedp.Click(chromedp.CSS(`nav a[href="/people"]`)), chromedp.WaitVisible(chromedp.ID("email")))
	if body := text(t, ctx, "main"); !strings.Contains(body, "vic@contoso.example") || strings.Contains(body, "fabrikam") {
		t.Errorf("Contoso's People page:\n%s", body)
	}
	step(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form.signout button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/sign-in/oidc"]`)))

	signInBrowser(t, ctx, e.env, "contoso-viewer")
	// The viewer has no People page; a form posted anyway (as a crafted page
	// or a stale tab would) is refused.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
			const f = document.createElement('form'); f.method = 'post'; f.action = '/people';
			for (const [k, v] of [['csrf', document.querySelector('input[name=csrf]').value], ['email', 'x@contoso.example'], ['role', 'partner_admin']]) {
				const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i);
			}
			document.body.appendChild(f); f.submit(); return true;
		})()`)); err != nil {
		t.Fatalf("a viewer posts a change: %v", err)
	}
	step(t, ctx, "the answer to the viewer's post", chromedp.WaitVisible(chromedp.CSS(`p.alert.error`)))
	if h, msg := text(t, ctx, "h1"), text(t, ctx, "p.alert.error"); !strings.Contains(h, "403") || !strings.Contains(msg, "may look but not change") {
		t.Errorf("the viewer's POST: %s / %s", h, msg)
	}
	if _, err := auth.FindPerson(context.Background(), e.people, "x@contoso.example"); err == nil {
		t.Error("the viewer's POST added a person")
	}
	p, _ := e.people.Person(context.Background(), e.ids["contoso-viewer"])
	if _, err := auth.RemovePerson(context.Background(), e.people, "test", p, time.Now()); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "the removed viewer's next request", chromedp.Navigate(e.base+"/portal/P1/"), chromedp.WaitVisible(chromedp.CSS(`a[href^="/sign-in/oidc"]`)))
	if loc := location(t, ctx); !strings.Contains(loc, "/sign-in") {
		t.Errorf("a removed person still sees %s", loc)
	}

	signInBrowser(t, ctx, e.env, "fabrikam-admin")
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/portal/P2/") {
		t.Fatalf("Fabrikam's admin landed on %s", loc)
	}
	step(t, ctx, "another company's portal", chromedp.Navigate(e.base+"/portal/P1/"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if h := text(t, ctx, "h1"); !strings.Contains(h, "404") {
		t.Errorf("Fabrikam's admin opens Contoso's portal: %s", h)
	}
}
