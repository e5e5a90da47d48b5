package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// a11yAudit is run in the page: the checks a reviewer makes by hand, as a
// list of problems ("" when none).
const a11yAudit = `(() => {
  const p = [];
  const h1 = document.querySelectorAll('h1');
  if (h1.length !== 1) p.push(h1.length + ' h1 headings');
  let last = 0;
  for (const h of document.querySelectorAll('main h1, main h2, main h3, main h4')) {
    const n = +h.tagName[1];
    if (last && n > last + 1) p.push('heading level jumps to ' + h.tagName + ' "' + h.textContent.trim() + '"');
    last = n;
  }
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      p.push('unlabelled ' + el.tagName + ' ' + (el.name || el.id));
  }
  for (const el of document.querySelectorAll('a, button')) {
    if (!el.hidden && !el.textContent.trim() && !el.getAttribute('aria-label')) p.push('a ' + el.tagName + ' with no text');
  }
  for (const s of document.querySelectorAll('svg[role=img]')) {
    if (!s.querySelector('title')) p.push('chart without a title');
  }
  for (const t of document.querySelectorAll('table')) {
    if (!t.querySelector('caption') && !t.getAttribute('aria-labelledby') && !t.getAttribute('aria-label')) p.push('table without a caption');
    if (!t.querySelector('th')) p.push('table without headers');
  }
  if (!document.documentElement.lang) p.push('no lang on <html>');
  if (!document.querySelector('a.skip[href="#main"]')) p.push('no skip link');
  return p.join('; ');
})()`

// TestBrowserAccessibility audits every page in Chromium (with data and
// empty) as the people who see them, signed in through the identity
// provider: the rewards team's admin (the desk and People) and a company's
// partner admin (the portal and People); and the sign-in page with the
// provider and, in the demo's setup with no provider, with the token form.
// It checks that the keyboard reaches the skip link first and then the
// navigation.
func TestBrowserAccessibility(t *testing.T) {
	ctx := newBrowser(t)
	for _, empty := range []bool{false, true} {
		e := startPeopleEnv(t, empty)
		step(t, ctx, "sign-in page", chromedp.Navigate(e.base+"/sign-in"), chromedp.WaitVisible(chromedp.CSS(`a[href^="/sign-in/oidc"]`)))
		audit(t, ctx, "/sign-in")
		for _, who := range []struct{ person, pages string }{{"radmin", "rewards"}, {"contoso-admin", "P1"}} {
			signInBrowser(t, ctx, e, who.person)
			for _, p := range auditPages(who.pages, !empty) {
				step(t, ctx, "open "+p.path, chromedp.Navigate(e.base+p.path), chromedp.WaitVisible(chromedp.CSS("main h1")))
				audit(t, ctx, p.path)
			}
			signOutBrowser(t, ctx)
		}
		// A company with no publisher profile yet: its people's start page.
		signInBrowser(t, ctx, e, "newco-admin")
		if loc := location(t, ctx); loc != e.base+"/portal/" {
			t.Errorf("Newco's admin landed on %s", loc)
		}
		audit(t, ctx, "/portal/ (no publisher profile)")
		signOutBrowser(t, ctx)
	}
	demo := startEnv(t, true)
	step(t, ctx, "sign-in page with tokens (no provider)", chromedp.Navigate(demo.base+"/sign-in"), chromedp.WaitVisible(chromedp.ID("token")))
	audit(t, ctx, "/sign-in (tokens)")
}

func audit(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	problems, err := chromedp.Run(sctx, chromedp.Evaluate[string](a11yAudit))
	if err != nil {
		t.Fatalf("audit %s: %v", path, err)
	}
	if problems != "" {
		t.Errorf("%s: %s", path, problems)
	}
	// The first Tab reaches the skip link.
	if err := chromedp.Do(sctx, chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	focused, err := chromedp.Run(sctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.textContent.trim() : ""`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(focused, "Skip to content") {
		t.Errorf("%s: the first Tab focuses %q, want the skip link", path, focused)
	}
}
