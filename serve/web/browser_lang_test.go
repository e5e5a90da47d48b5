package web

import (
	"context"
	"os"
	"path/filepath"
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

// TestLookPagesLanguages saves a full-page screenshot of every portal page,
// the sign-in page and an error page in French and in Chinese (at 1366 px
// and at 390 px, a phone: the phone shots fail the run when a page scrolls
// sideways), with data, to $INSIGHTS_LOOK_DIR as page_<lang>_<name>.png
// (make look-pages), so that a person looks at them: wrapping, overflow,
// glyphs.
func TestLookPagesLanguages(t *testing.T) {
	dir := os.Getenv("INSIGHTS_LOOK_DIR")
	if dir == "" {
		t.Skip("INSIGHTS_LOOK_DIR not set (make look-pages sets it)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	e := startEnv(t, false)
	seedWorkspace(t, e)
	ctx := newBrowser(t)
	shoot := func(lang, name, url string, more ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for _, size := range [][2]int64{desktopSize, phoneSize} {
			file := "page_" + lang + "_" + name + ".png"
			if size == phoneSize {
				file = "page_" + lang + "_" + name + "_phone.png"
			}
			step(t, ctx, "open "+file, append([]chromedp.Action[chromedp.Void]{viewport(size), chromedp.Navigate(url),
				chromedp.WaitVisible(chromedp.CSS(`html[lang="` + lang + `"] main h1`))}, more...)...)
			if size == phoneSize {
				checkWidth(t, ctx, lang+" "+name)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot %s: %v", file, err)
			}
			if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		step(t, ctx, "back to the desktop size", viewport(desktopSize))
	}
	signInBrowser(t, ctx, e, "P1")
	for _, lang := range []string{"fr", "zh-Hans"} {
		step(t, ctx, "switch to "+lang, chromedp.Navigate(e.base+"/portal/P1/"),
			chromedp.Click(chromedp.CSS(`form.langs button[value="`+lang+`"]`)),
			chromedp.WaitVisible(chromedp.CSS(`html[lang="`+lang+`"] main h1`)))
		for _, p := range auditPages("P1", true) {
			if p.name == "people" {
				continue // English (issue 22 leaves the People page to a later change)
			}
			shoot(lang, p.name, e.base+p.path)
		}
		shoot(lang, "workspace_technical", e.base+"/portal/P1/rewards?tab=technical")
		shoot(lang, "workspace_contact_errors", e.base+"/portal/P1/rewards",
			chromedp.SetValue(chromedp.ID("c-email"), "accounts@contoso.example"),
			chromedp.SetValue(chromedp.ID("c-phone"), "12"),
			chromedp.Click(chromedp.CSS(`form[action="/portal/P1/rewards/contact"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.ID("contact-errors")))
		shoot(lang, "portal_reports_link", e.base+"/portal/P1/reports",
			chromedp.Click(chromedp.CSS(`form[action="/portal/P1/reports"] button[name=rid][value="`+idP1June+`"]`)),
			chromedp.WaitVisible(chromedp.ID("link")))
		shoot(lang, "not_found", e.base+"/portal/P2/")
		shoot(lang, "error_altered_link", e.base+"/v1/links/"+idP1June+"?exp=1000&sig=x")
	}
	signOutBrowser(t, ctx)
	shoot("zh-Hans", "signin_signed_out", e.base+"/sign-in?signed_out=1")
	step(t, ctx, "switch to French", chromedp.Click(chromedp.CSS(`form.langs button[value="fr"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="fr"] main h1`)))
	shoot("fr", "signin_ended", e.base+"/sign-in?ended=idle&next=%2Fportal%2FP1%2F")
}
