package web

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// chromiumPath is Debian's chromium; `make test` installs it with apt-get
// when it is missing. INSIGHTS_CHROMIUM names another binary.
func chromiumPath() string {
	if p := os.Getenv("INSIGHTS_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// newBrowser starts a headless Chromium with a fresh profile; the browser
// stops with the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("browser tests skipped: no Chromium at %s (make test installs Debian's chromium with apt-get; it could not be installed here): %v", path, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser with no deadline
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// step runs browser actions with a bound, failing the test with what it did.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// signInBrowser signs who in as they would. With people (startPeopleEnv),
// who is a person's key (env.withPeople) and the sign-in goes through the
// provider: the sign-in page's button, Hydra and its login app, back. Without
// a provider (startEnv, the demo), who is a token's key ("rewards", "P1",
// "P2") pasted into the token form.
func signInBrowser(t *testing.T, ctx context.Context, e *env, who string) {
	t.Helper()
	if e.idp != nil {
		u, ok := e.users[who]
		if !ok {
			t.Fatalf("no person %q in the people env", who)
		}
		e.idp.signInAs(u)
		step(t, ctx, "sign in as "+who+" through the provider",
			chromedp.Navigate(e.base+"/"),
			chromedp.WaitVisible(chromedp.CSS(`a[href^="/sign-in/oidc"]`)),
			chromedp.Click(chromedp.CSS(`a[href^="/sign-in/oidc"]`)),
			chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Main]`)),
		)
		return
	}
	step(t, ctx, "sign in as "+who,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), e.tokens[who]),
		chromedp.Click(chromedp.CSS(`form[action="/sign-in"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Main]`)),
	)
}

// signOutBrowser signs out (a person at the provider too) and waits for the
// sign-in page.
func signOutBrowser(t *testing.T, ctx context.Context) {
	t.Helper()
	step(t, ctx, "sign out",
		chromedp.Click(chromedp.CSS(`form.signout button`)),
		chromedp.WaitVisible(chromedp.CSS(`#token, a[href^="/sign-in/oidc"]`)),
	)
}

// TestBrowserReviewDesk: a reviewer of the rewards team signs in through the
// identity provider, is refused an approve the CLI would refuse, records a
// decision, sees it in the page's history and in the history `insights review
// history` prints (package rewards), signs out and cannot come back without
// signing in.
func TestBrowserReviewDesk(t *testing.T) {
	e := startPeopleEnv(t, false)
	ctx := newBrowser(t)
	signInBrowser(t, ctx, e, "reviewer")
	if got := location(t, ctx); got != e.base+"/desk/" {
		t.Fatalf("after sign-in at %s, want the review queue", got)
	}
	if q := text(t, ctx, "main table tbody"); !strings.Contains(q, "Contoso Ltd") || !strings.Contains(q, "Fabrikam Inc") {
		t.Fatalf("queue: %q", q)
	}

	// Fabrikam's contact has no phone: approving is refused with the reason.
	step(t, ctx, "open Fabrikam's unlock",
		chromedp.Click(chromedp.Search(`//a[contains(., "Fabrikam Inc")]`)),
		chromedp.WaitVisible(chromedp.ID("decide-h")),
		chromedp.Click(chromedp.CSS(`input[name=decision][value=approve]`)),
		chromedp.SendKeys(chromedp.ID("by"), "Ann Lee"),
		chromedp.Click(chromedp.CSS(`form[action^="/desk/unlocks/"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("decide-error")),
	)
	if msg := text(t, ctx, "#decide-error"); !strings.Contains(msg, "not ready for activation") || !strings.Contains(msg, "no phone number") {
		t.Fatalf("refusal shown: %q", msg)
	}

	// Contoso is ready: approve it with a note.
	step(t, ctx, "approve Contoso",
		chromedp.Navigate(e.base+"/desk/"),
		chromedp.Click(chromedp.Search(`//a[contains(., "Contoso Ltd")]`)),
		chromedp.WaitVisible(chromedp.ID("decide-h")),
		chromedp.Click(chromedp.CSS(`input[name=decision][value=approve]`)),
		chromedp.Clear(chromedp.ID("by")),
		chromedp.SendKeys(chromedp.ID("by"), "Ann Lee"),
		chromedp.SendKeys(chromedp.ID("note"), "contact verified in the browser"),
		chromedp.Click(chromedp.CSS(`form[action^="/desk/unlocks/"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert.success`)),
	)
	if h := text(t, ctx, "ol.history"); !strings.Contains(h, "approve") || !strings.Contains(h, "Ann Lee") || !strings.Contains(h, "contact verified in the browser") {
		t.Fatalf("history on the page: %q", h)
	}
	hist, err := rewards.History(context.Background(), e.store, "PGA1:tier-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || hist[0].Decision != rewards.Approve || hist[0].By != "Ann Lee" || hist[0].Note != "contact verified in the browser" {
		t.Fatalf("review history: %+v", hist)
	}
	if q := text(t, ctx, "main"); q == "" {
		t.Fatal("empty page")
	}
	step(t, ctx, "back to the queue", chromedp.Navigate(e.base+"/desk/"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if q := text(t, ctx, "main"); strings.Contains(q, "Contoso Ltd") {
		t.Fatal("the approved unlock is still in the queue")
	}

	signOutBrowser(t, ctx)
	step(t, ctx, "desk after sign-out", chromedp.Navigate(e.base+"/desk/"), chromedp.WaitVisible(chromedp.CSS(`a[href^="/sign-in/oidc"]`)))
	if got := location(t, ctx); !strings.HasPrefix(got, e.base+"/sign-in") {
		t.Fatalf("after sign-out /desk/ shows %s, want the sign-in page", got)
	}
}

// TestBrowserPartnerPortal: a company's partner admin signs in through the
// identity provider, downloads a report, makes an expiring link, opens the
// company's other publisher profile, fails to open another company's pages
// (404) and signs out.
func TestBrowserPartnerPortal(t *testing.T) {
	e := startPeopleEnv(t, false)
	ctx := newBrowser(t)
	downloads := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: downloads, EventsEnabled: ptr(true),
	}); err != nil {
		t.Fatal(err)
	}
	signInBrowser(t, ctx, e, "contoso-admin")
	if got := location(t, ctx); got != e.base+"/portal/P1/" {
		t.Fatalf("after sign-in at %s, want P1's tier page", got)
	}
	if s := text(t, ctx, ".stats"); !strings.Contains(s, "Tier 1") || !strings.Contains(s, "USD 1,290,000.00") {
		t.Fatalf("tier progress: %q", s)
	}

	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	step(t, ctx, "download the June workbook",
		chromedp.Click(chromedp.Search(`//nav//a[.="Reports"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/portal/P1/reports/`+idP1June+`"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/portal/P1/reports/`+idP1June+`"]`)),
	)
	dctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var guid string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("waiting for the download: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			guid = ev.GUID
			break
		}
		if ev.State == browser.DownloadProgressStateCanceled || dctx.Err() != nil {
			t.Fatal("download canceled")
		}
	}
	got, err := os.ReadFile(filepath.Join(downloads, guid))
	if err != nil || string(got) != string(e.p1Excel) {
		t.Fatalf("downloaded %q (%v), want P1's workbook", got, err)
	}

	step(t, ctx, "make an expiring link",
		chromedp.Click(chromedp.CSS(`form[action="/portal/P1/reports"] button[name=rid][value="`+idP1June+`"]`)),
		chromedp.WaitVisible(chromedp.ID("link")),
	)
	link, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("link")))
	if err != nil || !strings.Contains(link, "/v1/links/"+idP1June+"?exp=") {
		t.Fatalf("link field: %q %v", link, err)
	}
	if got := location(t, ctx); got != e.base+"/portal/P1/reports" {
		t.Fatalf("after making a link the browser shows %s, want the reports page's address", got)
	}

	// The company's other publisher profile is theirs too.
	step(t, ctx, "Contoso's other profile", chromedp.Navigate(e.base+"/portal/P1b/reports"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if h := text(t, ctx, "main h1"); h != "Reports" {
		t.Errorf("Contoso's admin opening P1b's reports sees %q", h)
	}
	for _, path := range []string{"/portal/P2/", "/portal/P2/reports", "/portal/P2/reports/" + idP2June, "/portal/P3/", "/desk/", "/desk/packs/" + idPack} {
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(e.base+path))
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		if resp.Status != 404 {
			t.Fatalf("P1 opening %s: %d, want 404", path, resp.Status)
		}
		if h := text(t, ctx, "main h1"); !strings.Contains(h, "404") {
			t.Fatalf("P1 opening %s shows %q", path, h)
		}
	}

	step(t, ctx, "back home", chromedp.Navigate(e.base+"/portal/P1/attribution"), chromedp.WaitVisible(chromedp.ID("ids-h")))
	if a := text(t, ctx, "main"); !strings.Contains(a, "pid-11111111-2222-3333-4444-555555555555") || !strings.Contains(a, "pid-1234-xyz") {
		t.Fatalf("attribution page: %q", a)
	}
	signOutBrowser(t, ctx)
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(e.base+"/portal/P1/reports/"+idP1June))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status == 200 && !strings.HasPrefix(resp.URL, e.base+"/sign-in") {
		t.Fatalf("a download after sign-out: %d %s", resp.Status, resp.URL)
	}
}

func ptr[T any](v T) *T { return &v }

// The two widths every page is looked at: a laptop and a phone.
var (
	desktopSize = [2]int64{1366, 900}
	phoneSize   = [2]int64{390, 844}
)

// viewport sets the browser's window: a phone is emulated as one (mobile,
// touch), so the page's viewport meta and media queries apply as on a phone.
func viewport(size [2]int64) chromedp.Action[chromedp.Void] {
	if size == phoneSize {
		return chromedp.EmulateViewport(size[0], size[1], chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	return chromedp.EmulateViewport(size[0], size[1])
}

// TestLookPages saves a full-page screenshot of every page to
// $INSIGHTS_LOOK_DIR (make look-pages: demo/look/), with data and empty, at
// 1366 px wide and at 390 px wide (page_*_phone.png), so that a person looks
// at them before calling the pages done.
func TestLookPages(t *testing.T) {
	dir := os.Getenv("INSIGHTS_LOOK_DIR")
	if dir == "" {
		t.Skip("INSIGHTS_LOOK_DIR not set (make look-pages sets it)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shoot := func(ctx context.Context, name, url string, more ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for _, size := range [][2]int64{desktopSize, phoneSize} {
			file := "page_" + name + ".png"
			if size == phoneSize {
				file = "page_" + name + "_phone.png"
			}
			step(t, ctx, "open "+file, append([]chromedp.Action[chromedp.Void]{viewport(size), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main h1"))}, more...)...)
			if size == phoneSize {
				checkWidth(t, ctx, name)
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
	if db := os.Getenv("INSIGHTS_LOOK_DB"); db != "" {
		lookDemo(t, db, os.Getenv("INSIGHTS_LOOK_OUT"), shoot)
	}
	// The seeded pages as people see them (signed in through the provider);
	// lookDemo's as `make demo` serves them (no provider, tokens).
	for _, data := range []bool{true, false} {
		e := startPeopleEnv(t, !data)
		suffix := ""
		if !data {
			suffix = "_empty"
		}
		ctx := newBrowser(t)
		if data {
			shoot(ctx, "signin", e.base+"/sign-in")
		}
		signInBrowser(t, ctx, e, "radmin")
		for _, p := range auditPages("rewards", false) {
			shoot(ctx, p.name+suffix, e.base+p.path)
		}
		if data {
			shoot(ctx, "desk_unlock", e.base+"/desk/unlocks/PGA2:tier-1",
				chromedp.Click(chromedp.CSS(`input[name=decision][value=approve]`)),
				chromedp.SendKeys(chromedp.ID("by"), "Ann Lee"),
				chromedp.SendKeys(chromedp.ID("note"), "contact looks complete"),
				chromedp.Click(chromedp.CSS(`form[action^="/desk/unlocks/"] button[type=submit]`)),
				chromedp.WaitVisible(chromedp.ID("decide-error")))
			shoot(ctx, "desk_tiers_filtered", e.base+"/desk/tiers?q=contoso&sort=gap&dir=desc")
			shoot(ctx, "desk_unlock_recorded", e.base+"/desk/unlocks/PGA1:tier-1",
				chromedp.Click(chromedp.CSS(`input[name=decision][value=defer]`)),
				chromedp.SendKeys(chromedp.ID("by"), "Ann Lee"),
				chromedp.SendKeys(chromedp.ID("note"), "waiting for the partner's reply"),
				chromedp.Click(chromedp.CSS(`form[action^="/desk/unlocks/"] button[type=submit]`)),
				chromedp.WaitVisible(chromedp.CSS(`.alert.success`)))
			shoot(ctx, "error_unknown_desk_path", e.base+"/desk/nope")
		}
		signOutBrowser(t, ctx)
		if data {
			shoot(ctx, "signin_signed_out", e.base+"/sign-in?signed_out=1")
			shoot(ctx, "signin_ended", e.base+"/sign-in?ended=idle&next=%2Fdesk%2Fsla")
		}
		signInBrowser(t, ctx, e, "contoso-admin")
		for _, p := range auditPages("P1", false) {
			shoot(ctx, p.name+suffix, e.base+p.path)
		}
		if data {
			shoot(ctx, "portal_reports_link", e.base+"/portal/P1/reports",
				chromedp.Click(chromedp.CSS(`form[action="/portal/P1/reports"] button[name=rid][value="`+idP1June+`"]`)),
				chromedp.WaitVisible(chromedp.ID("link")))
			shoot(ctx, "not_found", e.base+"/portal/P2/")
			shoot(ctx, "error_link_form", e.base+"/portal/P1/reports/"+idP1June+"/link")
			shoot(ctx, "error_altered_link", e.base+"/v1/links/"+idP1June+"?exp=1000&sig=x")
			signOutBrowser(t, ctx)
			signInBrowser(t, ctx, e, "newco-admin")
			shoot(ctx, "portal_no_profile", e.base+"/portal/")
		}
	}
}

// lookDemo shoots the pages on a copy of a real database (make demo's), with
// the partner that has the most attributed deployments and the oldest unlock
// still waiting.
func lookDemo(t *testing.T, db, out string, shoot func(ctx context.Context, name, url string, more ...chromedp.Action[chromedp.Void])) {
	t.Helper()
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatalf("INSIGHTS_LOOK_DB: %v", err)
	}
	cp := filepath.Join(t.TempDir(), "look.duckdb")
	if err := os.WriteFile(cp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	store, err := duckstore.Open(context.Background(), duckstore.Config{Path: cp, Threads: 1, MemoryLimit: "1GB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	e := &env{store: store, out: out}
	e.serve(t)
	ctx := context.Background()
	var partner, unlock string
	if err := store.QueryRow(ctx, `SELECT coalesce((SELECT partner_id FROM deployment_attribution WHERE status = 'attributed'
			GROUP BY ALL ORDER BY count(*) DESC, partner_id LIMIT 1), (SELECT min(partner_id) FROM partners))`).Scan(&partner); err != nil {
		t.Fatal(err)
	}
	if err := store.QueryRow(ctx, `SELECT coalesce((SELECT unlock_id FROM tier_unlocks ORDER BY unlocked_on, unlock_id LIMIT 1), '')`).Scan(&unlock); err != nil {
		t.Fatal(err)
	}
	tok, info, err := e.cat.CreateToken(ctx, auth.RolePartner, partner, "look")
	if err != nil {
		t.Fatal(err)
	}
	e.tokens[partner], e.ids[partner] = tok, info.ID
	bctx := newBrowser(t)
	signInBrowser(t, bctx, e, "rewards")
	for _, p := range auditPages("rewards", false) {
		shoot(bctx, "demo_"+p.name, e.base+p.path)
	}
	if unlock != "" {
		shoot(bctx, "demo_desk_unlock", e.base+"/desk/unlocks/"+url.PathEscape(unlock))
	}
	signOutBrowser(t, bctx)
	signInBrowser(t, bctx, e, partner)
	for _, p := range auditPages(partner, false) {
		shoot(bctx, "demo_"+p.name, e.base+p.path)
	}
}
