package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func textContent(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.TextContent(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// TestBrowserLanguageSwitch: a partner opens the portal (Chromium asks for
// English), switches to French with the switch on the page and reads the
// heading and the trailing billed sales in French (narrow no-break spaces
// between the thousands, "$US" after a no-break space), switches to Chinese,
// the same; the choice sticks on the next page, and the page says its
// language (<html lang>).
func TestBrowserLanguageSwitch(t *testing.T) {
	e := startEnv(t, false)
	ctx := newBrowser(t)
	signInBrowser(t, ctx, e, "P1")
	if h := textContent(t, ctx, "main h1"); h != "Tier progress: Contoso Ltd" {
		t.Fatalf("English heading: %q", h)
	}
	for _, tc := range []struct {
		lang, button, heading, amount, reports string
	}{
		{"fr", "Français", "Progression du niveau\u00a0: Contoso Ltd", "1\u202f290\u202f000,00\u00a0$US", "Rapports"},
		{"zh-Hans", "简体中文", "级别进度：Contoso Ltd", "US$1,290,000.00", "报表"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			step(t, ctx, "back to the tier page", chromedp.Navigate(e.base+"/portal/P1/"), chromedp.WaitVisible(chromedp.CSS("main h1")))
			step(t, ctx, "switch to "+tc.button,
				chromedp.Click(chromedp.CSS(`form.langs button[value="`+tc.lang+`"]`)),
				chromedp.WaitVisible(chromedp.CSS(`html[lang="`+tc.lang+`"] main h1`)))
			if got := location(t, ctx); got != e.base+"/portal/P1/" {
				t.Errorf("after the switch at %s, want the same page", got)
			}
			if h := textContent(t, ctx, "main h1"); h != tc.heading {
				t.Errorf("heading %q, want %q", h, tc.heading)
			}
			if s := textContent(t, ctx, ".stats"); !strings.Contains(s, tc.amount) {
				t.Errorf("the trailing billed sales are not written %q: %q", tc.amount, s)
			}
			if cur := textContent(t, ctx, `form.langs button[aria-current="true"]`); cur != tc.button {
				t.Errorf("the switch marks %q as current, want %q", cur, tc.button)
			}
			// The choice sticks: the next page, reached through the navigation.
			step(t, ctx, "open the reports",
				chromedp.Click(chromedp.CSS(`nav a[href="/portal/P1/reports"]`)),
				chromedp.WaitVisible(chromedp.CSS(`html[lang="`+tc.lang+`"] main h1`)))
			if h := textContent(t, ctx, "main h1"); h != tc.reports {
				t.Errorf("reports heading %q, want %q", h, tc.reports)
			}
		})
	}
	// Signed out, the sign-in page keeps the language chosen.
	signOutBrowser(t, ctx)
	if h := textContent(t, ctx, "main h1"); h != "登录" {
		t.Errorf("sign-in page after signing out: %q", h)
	}
}
