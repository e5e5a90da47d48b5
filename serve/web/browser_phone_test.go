package web

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// tooWide is run in the page: "" when the page is no wider than the window,
// else how wide it is and the first elements that stick out (those inside a
// box that scrolls or clips, a table's own box, do not count).
const tooWide = `(() => {
  const de = document.documentElement, w = de.clientWidth;
  if (de.scrollWidth <= w) return "";
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.getBoundingClientRect().right <= w + 1) continue;
    let p = el.parentElement, boxed = false;
    for (; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { boxed = true; break; }
    }
    if (boxed) continue;
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + ' to ' + Math.round(el.getBoundingClientRect().right) + ' px');
    if (out.length >= 6) break;
  }
  return 'the page is ' + de.scrollWidth + ' px wide in a ' + w + ' px window: ' + out.join('; ');
})()`

// checkWidth fails the test when the page shown is wider than the window.
func checkWidth(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	got, err := chromedp.Run(sctx, chromedp.Evaluate[string](tooWide))
	if err != nil {
		t.Fatalf("measure %s: %v", what, err)
	}
	if got != "" {
		t.Errorf("%s at %d px: %s", what, phoneSize[0], got)
	}
}

// TestBrowserPhoneWidth: on a phone (390×844), no page of the desk or the
// portal (every page of the list, with data), nor the sign-in and error pages
// and the states after a form, scrolls sideways: what is wider (a table)
// scrolls in its own box.
func TestBrowserPhoneWidth(t *testing.T) {
	e := startPeopleEnv(t, false)
	ctx := newBrowser(t)
	step(t, ctx, "phone window", viewport(phoneSize))
	open := func(path string, more ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		step(t, ctx, "open "+path, append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(e.base + path), chromedp.WaitVisible(chromedp.CSS("main h1"))}, more...)...)
		checkWidth(t, ctx, path)
	}
	open("/sign-in?ended=idle&next=%2Fdesk%2F")
	// The rewards admin: the desk and the People page.
	signInBrowser(t, ctx, e, "radmin")
	for _, p := range auditPages("rewards", true) {
		open(p.path)
	}
	open("/desk/unlocks/PGA2:tier-1 after a refusal",
		chromedp.Navigate(e.base+"/desk/unlocks/PGA2:tier-1"), chromedp.WaitVisible(chromedp.ID("decide-h")),
		chromedp.Click(chromedp.CSS(`input[name=decision][value=approve]`)),
		chromedp.SendKeys(chromedp.ID("by"), "Ann Lee"),
		chromedp.Click(chromedp.CSS(`form[action^="/desk/unlocks/"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("decide-error")))
	open("/desk/no-such-page")
	signOutBrowser(t, ctx)
	signInBrowser(t, ctx, e, "contoso-admin")
	for _, p := range auditPages("P1", true) {
		open(p.path)
	}
	open("/portal/P1/reports with a link",
		chromedp.Navigate(e.base+"/portal/P1/reports"), chromedp.WaitVisible(chromedp.ID("m-2025-06")),
		chromedp.Click(chromedp.CSS(`form[action="/portal/P1/reports"] button[name=rid][value="`+idP1June+`"]`)),
		chromedp.WaitVisible(chromedp.ID("link")))
	open("/portal/P1/reports/" + idP1June + "/link")
	signOutBrowser(t, ctx)
	signInBrowser(t, ctx, e, "newco-admin")
	open("/portal/")
}

// TestBrowserRefusalInView: a refused decision is in view when the page
// comes back, at both widths, and the field at fault has the focus.
func TestBrowserRefusalInView(t *testing.T) {
	e := startPeopleEnv(t, false)
	ctx := newBrowser(t)
	signInBrowser(t, ctx, e, "reviewer")
	for _, size := range [][2]int64{desktopSize, phoneSize} {
		step(t, ctx, "refused approve", viewport(size),
			chromedp.Navigate(e.base+"/desk/unlocks/PGA2:tier-1"), chromedp.WaitVisible(chromedp.ID("decide-h")),
			chromedp.Click(chromedp.CSS(`input[name=decision][value=approve]`)),
			chromedp.SendKeys(chromedp.ID("by"), "Ann Lee"),
			chromedp.SendKeys(chromedp.ID("note"), "phone on file?"),
			chromedp.Click(chromedp.CSS(`form[action^="/desk/unlocks/"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.ID("decide-error")))
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const r = document.getElementById('decide-error').getBoundingClientRect();
			const a = document.activeElement;
			return [r.top >= 0 && r.bottom <= innerHeight ? 'in view' : 'at ' + Math.round(r.top) + '-' + Math.round(r.bottom) + ' of ' + innerHeight,
			        a ? a.name + '=' + a.value : 'nothing focused',
			        document.getElementById('by').value, document.getElementById('note').value].join('|');
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if want := "in view|decision=approve|Ann Lee|phone on file?"; got != want {
			t.Errorf("at %d px: %q, want %q (the refusal in view, the decision focused, what was typed kept)", size[0], got, want)
		}
	}
}
