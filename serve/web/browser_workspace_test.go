package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/serve/mail"
	"github.com/marketplace-insights/insights/serve/mail/mailpit"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestBrowserRewardsWorkspace walks the seed flow in Chromium: Contoso's partner
// admin assigns a marketing contact (one refused attempt per rule), activates a
// benefit, the message arrives at a real SMTP server in the contact's language
// (French), the desk shows the activation due in 7 days, a reviewer records the
// contact and the to-contact list no longer has it. A read-only person sees no
// buttons (a forged POST is 403) and another company's workspace is 404.
func TestBrowserRewardsWorkspace(t *testing.T) {
	smtp := mailpit.Start(t)
	e := startPeopleEnv(t, false)
	seedWorkspace(t, e)
	ctx := newBrowser(t)
	signInBrowser(t, ctx, e, "contoso-admin")
	step(t, ctx, "open Rewards from the navigation",
		chromedp.Click(chromedp.Search(`//nav[@aria-label="Main"]//a[.="Rewards"]`)),
		chromedp.WaitVisible(chromedp.ID("contact-h")),
	)
	if b := text(t, ctx, "main table tbody"); !strings.Contains(b, "Go-to-market consultation") || !strings.Contains(b, "available") {
		t.Fatalf("benefits: %q", b)
	}
	// fill submits the contact form and waits for the page that answers it: one
	// that shows want (an XPath), so that a message of the previous page is not taken.
	fill := func(name, email, phone, lang, want string) {
		t.Helper()
		set := ""
		for id, v := range map[string]string{"c-name": name, "c-email": email, "c-phone": phone, "c-language": lang} {
			set += `document.getElementById(` + strconv.Quote(id) + `).value = ` + strconv.Quote(v) + `;`
		}
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if _, err := chromedp.Run(sctx, chromedp.Evaluate[bool](set+"true")); err != nil {
			t.Fatalf("fill the contact form: %v", err)
		}
		step(t, ctx, "assign the contact",
			chromedp.Click(chromedp.Search(`//button[.="Assign user"]`)),
			chromedp.WaitVisible(chromedp.Search(want)),
		)
	}
	for _, tc := range []struct {
		rule, email, phone, lang, field, want string
	}{
		{"account email", "accounts@contoso.example", "+33 1 23 45 67 89", "fr", "email", "email of the company's account"},
		{"not an email", "lea-at-contoso", "+33 1 23 45 67 89", "fr", "email", "not an email address"},
		{"no phone", "lea@contoso.example", "", "fr", "phone", "a phone number is required"},
		{"not a phone", "lea@contoso.example", "12", "fr", "phone", "not a phone number"},
		{"no language", "lea@contoso.example", "+33 1 23 45 67 89", "", "language", "choose a preferred language"},
	} {
		fill("Léa Martin", tc.email, tc.phone, tc.lang, `//p[@id="c-`+tc.field+`-err" and contains(., "`+tc.want+`")]`)
		if got := text(t, ctx, "#c-"+tc.field+"-err"); !strings.Contains(got, tc.want) {
			t.Errorf("%s: message next to %s = %q, want %q", tc.rule, tc.field, got, tc.want)
		}
	}
	if n := count(t, e, "contact_assignments"); n != "0" {
		t.Fatalf("refused contacts were recorded: %s", n)
	}
	fill("Léa Martin", "lea@contoso.example", "+33 1 23 45 67 89", "fr", `//div[contains(., "marketing contact is assigned")]`)
	if got := text(t, ctx, ".alert.success"); !strings.Contains(got, "marketing contact is assigned") {
		t.Fatalf("after assigning: %q", got)
	}
	step(t, ctx, "activate",
		chromedp.Click(chromedp.Search(`//button[contains(., "Activate") and .//span[contains(., "Go-to-market consultation")]]`)),
		chromedp.WaitVisible(chromedp.Search(`//div[contains(., "The benefit is activated")]`)),
	)
	if got := text(t, ctx, "main table tbody"); !strings.Contains(got, "Activated") {
		t.Fatalf("after activating: %q", got)
	}

	// What `insights serve` does with [smtp]: the sender drains the outbox.
	if n, err := mail.New(mail.Config{Host: "127.0.0.1", Port: smtp.SMTPPort, From: "rewards@insights.example"}, e.store, nil).Drain(context.Background()); err != nil || n != 1 {
		t.Fatalf("send: %d %v", n, err)
	}
	msgs := smtp.Messages()
	if len(msgs) != 1 || msgs[0].To[0].Address != "lea@contoso.example" || !strings.Contains(msgs[0].Subject, "est activé") ||
		!strings.Contains(msgs[0].Text, "Un membre de l’équipe Récompenses de la Place de marché vous contactera dans la semaine") {
		t.Fatalf("mail at the server: %+v", msgs)
	}

	// Read-only (the company's viewer, signed in through the provider): no
	// buttons, and a forged POST is refused.
	v := e.personClient(t, "contoso-viewer")
	if p := v.get("/portal/P1/rewards"); strings.Contains(p.body, "<button type=\"submit\">Activate") || strings.Contains(p.body, "Assign user") {
		t.Error("the read-only person sees the buttons")
	}
	if r := v.post("/portal/P1/rewards/activate", url.Values{"benefit": {"PGA1:tier-1:1:Transact:Co-marketing campaign support"}}); r.code != http.StatusForbidden {
		t.Errorf("forged POST: %d", r.code)
	}
	signOutBrowser(t, ctx)

	// Another company's workspace.
	signInBrowser(t, ctx, e, "fabrikam-admin")
	step(t, ctx, "open Contoso's workspace as Fabrikam", chromedp.Navigate(e.base+"/portal/P1/rewards"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if h := text(t, ctx, "h1"); !strings.Contains(h, "Not Found") && !strings.Contains(h, "404") {
		t.Errorf("another company's workspace shows %q", h)
	}
	signOutBrowser(t, ctx)

	// The desk: due in 7 days; record the contact.
	signInBrowser(t, ctx, e, "reviewer")
	due := testkit.Str(t, e.store, `SELECT strftime(activated_at::DATE + 7, '%Y-%m-%d') FROM benefit_activations`)
	step(t, ctx, "open To contact", chromedp.Click(chromedp.Search(`//nav[@aria-label="Main"]//a[.="To contact"]`)), chromedp.WaitVisible(chromedp.CSS("main table")))
	if row := text(t, ctx, "main table tbody"); !strings.Contains(row, "Contoso Ltd") || !strings.Contains(row, due) {
		t.Fatalf("to contact: %q, want due %s", row, due)
	}
	step(t, ctx, "record the contact",
		chromedp.SetValue(chromedp.CSS(`form[action="/desk/contact"] input[name=by]`), "Rita"),
		chromedp.SetValue(chromedp.CSS(`form[action="/desk/contact"] input[name=note]`), "called Léa"),
		chromedp.Click(chromedp.Search(`//button[contains(., "Record contact")]`)),
		chromedp.WaitVisible(chromedp.Search(`//p[contains(., "Nobody to contact")]`)),
	)
	if got := text(t, ctx, "main"); !strings.Contains(got, "Nobody to contact") {
		t.Errorf("after the contact: %q", got)
	}
	if got := testkit.Str(t, e.store, `SELECT contacted_by || ' ' || note FROM contact_records`); got != "Rita called Léa" {
		t.Errorf("recorded contact = %q", got)
	}
	l, err := rewards.SLAActivations(context.Background(), e.store, time.Now().AddDate(0, 0, 30))
	if err != nil || len(l) != 0 {
		t.Errorf("7-day SLA list a month later = %+v %v, want empty (contacted on time)", l, err)
	}
}

// TestBrowserWorkspaceAccessibility audits the workspace's pages with data (a contact,
// an activation, a request, a queued message) at 1366 and at 390 pixels wide: the
// audit's rules, the skip link first, and no page wider than the window.
func TestBrowserWorkspaceAccessibility(t *testing.T) {
	e := startPeopleEnv(t, false)
	seedWorkspace(t, e)
	ctx := context.Background()
	if _, err := rewards.Activate(ctx, e.store, rewards.ActivateInput{PGAID: "PGA1", Key: gtmKey, By: "admin", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := rewards.RequestAssistance(ctx, e.store, rewards.AssistInput{PGAID: "PGA1", PartnerID: "P1", Phase: "design",
		Description: "Architecture review of the managed application", ContactName: "Ann", ContactEmail: "ann@contoso.example", By: "admin"}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	for _, width := range []int64{1366, 390} {
		for _, who := range []string{"contoso-admin", "reviewer"} {
			signInBrowser(t, b, e, who)
			paths := []string{"/portal/P1/rewards", "/portal/P1/rewards?tab=technical", "/portal/P1/rewards/assistance"}
			if who == "reviewer" {
				paths = []string{"/desk/contact", "/desk/assistance", "/desk/outbox"}
			}
			for _, p := range paths {
				step(t, b, fmt.Sprintf("open %s at %dpx", p, width), chromedp.EmulateViewport(width, 900),
					chromedp.Navigate(e.base+p), chromedp.WaitVisible(chromedp.CSS("main h1")))
				audit(t, b, fmt.Sprintf("%s at %dpx", p, width))
				sctx, cancel := context.WithTimeout(b, 20*time.Second)
				wide, err := chromedp.Run(sctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
				cancel()
				if err != nil || wide {
					sctx, cancel := context.WithTimeout(b, 20*time.Second)
					culprits, _ := chromedp.Run(sctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("body *")).filter(e => !e.closest(".table-wrap") && e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 6).map(e => e.tagName + "." + e.className + "#" + e.id + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`))
					cancel()
					t.Errorf("%s at %dpx: wider than the window (%v): %s", p, width, err, culprits)
				}
			}
			signOutBrowser(t, b)
		}
	}
}
