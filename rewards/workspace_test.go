package rewards_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// workspace is store(t) with READY's offers live (so it has one-time List benefits),
// its tier 1 approved on 2 February 2026 and a contact in French.
func workspace(t *testing.T) *duckstore.Store {
	t.Helper()
	ctx := context.Background()
	s := store(t)
	testkit.Exec(t, s, `INSERT INTO offers (offer_id, partner_id, offer_name, listing_type, live_date, _file_id)
		VALUES ('OL', 'P1', 'Ready List', 'List', DATE '2026-01-10', 0)`)
	testkit.Exec(t, s, `UPDATE offers SET live_date = DATE '2026-01-05' WHERE offer_id = 'O1'`)
	rerun(t, s)
	if _, err := rewards.Decide(ctx, s, rewards.Request{UnlockID: "READY:tier-1", Decision: "approve", By: "rita",
		At: time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if _, err := rewards.AssignContact(ctx, s, rewards.ContactInput{PGAID: "READY", Name: "Léa Martin", Email: "lea@r.example",
		Phone: "+33 1 23 45 67 89", Language: "fr", By: "admin@r", Source: "portal", At: time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return s
}

func key(t *testing.T, s *duckstore.Store, pga, name string, at time.Time) rewards.Benefit {
	t.Helper()
	bs, err := rewards.Benefits(context.Background(), s, pga, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.Name == name {
			return b
		}
	}
	t.Fatalf("no benefit %q of %s in %+v", name, pga, bs)
	return rewards.Benefit{}
}

func TestBenefitStatesFollowTheReviewActivationAndContact(t *testing.T) {
	ctx := context.Background()
	s := store(t)
	day := time.Date(2026, 2, 3, 12, 0, 0, 0, time.UTC)
	states := func() string {
		bs, err := rewards.Benefits(ctx, s, "READY", day)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, b := range bs {
			out = append(out, b.Category+"/"+b.Name+"="+b.State)
		}
		return strings.Join(out, "; ")
	}
	const gtm, azure = "sales-marketing/Go-to-market consultation", "technical/Azure sponsorship USD 5,000"
	if got, want := states(), gtm+"=awaiting-review; "+azure+"=awaiting-review"; got != want {
		t.Fatalf("before review: %s\nwant %s", got, want)
	}
	if _, err := rewards.Decide(ctx, s, rewards.Request{UnlockID: "READY:tier-1", Decision: "reject", By: "rita"}); err != nil {
		t.Fatal(err)
	}
	if got := states(); got != "" {
		t.Fatalf("a rejected unlock's benefits are offered: %s", got)
	}
	if _, err := rewards.Decide(ctx, s, rewards.Request{UnlockID: "READY:tier-1", Decision: "approve", By: "rita"}); err != nil {
		t.Fatal(err)
	}
	if got, want := states(), gtm+"=available; "+azure+"=available"; got != want {
		t.Fatalf("approved: %s\nwant %s", got, want)
	}
	b := key(t, s, "READY", "Go-to-market consultation", day)
	a, err := rewards.Activate(ctx, s, rewards.ActivateInput{PGAID: "READY", Key: b.Key, By: "admin@r", At: day})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := states(), gtm+"=activated; "+azure+"=available"; got != want {
		t.Fatalf("activated: %s\nwant %s", got, want)
	}
	if _, err := rewards.RecordContact(ctx, s, rewards.ContactRecord{ActivationID: a.ID, By: "rita", At: day.Add(24 * time.Hour), Note: "call"}); err != nil {
		t.Fatal(err)
	}
	day = day.Add(48 * time.Hour)
	if got, want := states(), gtm+"=in-use; "+azure+"=available"; got != want {
		t.Fatalf("contacted: %s\nwant %s", got, want)
	}
	got := key(t, s, "READY", "Go-to-market consultation", day)
	if got.ActivatedBy != "admin@r" || !got.ActivatedAt.Equal(day.Add(-48*time.Hour)) || got.ContactedAt == nil || got.NextRefreshOn == nil ||
		got.NextRefreshOn.Format(time.DateOnly) != "2027-01-31" {
		t.Errorf("benefit details: %+v", got)
	}
}

func TestActivationQueuesTheInstructionsInTheContactsLanguage(t *testing.T) {
	ctx := context.Background()
	s := workspace(t)
	at := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
	b := key(t, s, "READY", "Go-to-market consultation", at)
	a, err := rewards.Activate(ctx, s, rewards.ActivateInput{PGAID: "READY", Key: b.Key, By: "admin@r", At: at})
	if err != nil {
		t.Fatal(err)
	}
	if a.DueOn.Format(time.DateOnly) != "2026-02-10" || a.MessageID == 0 {
		t.Fatalf("activation = %+v", a)
	}
	got := testkit.Rows(t, s, `SELECT to_addr, language, subject, status, contains(text_body, '10 février 2026'),
		contains(html_body, '<html lang="fr">'), ref_id = ? FROM mail_outbox`, a.ID)
	want := []string{"lea@r.example|fr|Récompenses de la Place de marché\u00a0: Go-to-market consultation est activé|queued|true|true|true"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("outbox = %q\nwant %q", got, want)
	}
}

func TestActivationRefusals(t *testing.T) {
	ctx := context.Background()
	s := workspace(t)
	at := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
	gtm := key(t, s, "READY", "Go-to-market consultation", at)
	azure := key(t, s, "READY", "Azure sponsorship USD 5,000", at)
	if _, err := rewards.Activate(ctx, s, rewards.ActivateInput{PGAID: "READY", Key: gtm.Key, By: "admin@r", At: at}); err != nil {
		t.Fatal(err)
	}
	// NOCONTACT's unlock has no decision: awaiting review.
	noContact := key(t, s, "NOCONTACT", "Go-to-market consultation", at)
	tests := []struct {
		name string
		in   rewards.ActivateInput
		want string
		is   error
	}{
		{"second press", rewards.ActivateInput{PGAID: "READY", Key: gtm.Key, By: "other@r", At: at.Add(time.Hour)},
			"Go-to-market consultation is already activated, by admin@r on 2026-02-03 10:00 UTC; nothing recorded", nil},
		{"technical benefit", rewards.ActivateInput{PGAID: "READY", Key: azure.Key, By: "admin@r", At: at}, "technical assistance request", rewards.ErrNotAvailable},
		{"unlock not approved", rewards.ActivateInput{PGAID: "NOCONTACT", Key: noContact.Key, By: "x", At: at}, "not approved yet", rewards.ErrNotAvailable},
		{"another company's benefit", rewards.ActivateInput{PGAID: "NOCONTACT", Key: gtm.Key, By: "x", At: at}, "is not a benefit of NOCONTACT", rewards.ErrNotAvailable},
		{"unknown company", rewards.ActivateInput{PGAID: "NOPE", Key: gtm.Key, By: "x", At: at}, `"NOPE"`, rewards.ErrUnknownPGA},
		{"unknown benefit", rewards.ActivateInput{PGAID: "READY", Key: "READY:listing:Trial:x", By: "x", At: at}, "is not a benefit", rewards.ErrNotAvailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rewards.Activate(ctx, s, tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Fatalf("err = %v, want %q (%v)", err, tc.want, tc.is)
			}
		})
	}
	if n := testkit.Str(t, s, `SELECT count(*) || '/' || (SELECT count(*) FROM mail_outbox) FROM benefit_activations`); n != "1/1" {
		t.Errorf("activations/messages after the refusals = %s, want 1/1", n)
	}
	// Without a ready contact: a company whose contact is the account email.
	testkit.Exec(t, s, `INSERT INTO contact_assignments (pga_id, name, email, phone, language, assigned_by, assigned_at, source)
		VALUES ('READY', 'Bad', 'A@R.example', '+33123456789', 'fr', 'import', TIMESTAMP '2026-02-03 11:00', 'cli')`)
	lst := key(t, s, "READY", "Listing optimisation review", at)
	_, err := rewards.Activate(ctx, s, rewards.ActivateInput{PGAID: "READY", Key: lst.Key, By: "admin@r", At: at.Add(2 * time.Hour)})
	if !errors.Is(err, rewards.ErrNoReadyContact) || !strings.Contains(err.Error(), "email equals the account email") {
		t.Fatalf("activation with the account email as contact: %v", err)
	}
}

func TestTwoSimultaneousActivationsRecordOne(t *testing.T) {
	ctx := context.Background()
	s := workspace(t)
	at := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
	b := key(t, s, "READY", "Listing optimisation review", at)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = rewards.Activate(ctx, s, rewards.ActivateInput{PGAID: "READY", Key: b.Key, By: fmt.Sprintf("admin%d", i), At: at})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		var already *rewards.AlreadyActivatedError
		switch {
		case err == nil:
			ok++
		case errors.As(err, &already):
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d activations succeeded, want 1 (%v)", ok, errs)
	}
	if n := testkit.Str(t, s, `SELECT count(*) || '/' || (SELECT count(*) FROM mail_outbox) FROM benefit_activations`); n != "1/1" {
		t.Errorf("activations/messages = %s, want 1/1", n)
	}
}

func TestAssignContactRefusesBadInputAndKeepsHistory(t *testing.T) {
	ctx := context.Background()
	s := workspace(t)
	cur, ok, err := rewards.CurrentContact(ctx, s, "READY")
	if err != nil || !ok || cur.Source != "portal" || cur.Phone != "+33123456789" {
		t.Fatalf("current = %+v %v %v", cur, ok, err)
	}
	good := rewards.ContactInput{PGAID: "READY", Name: "Wei Zhang", Email: "wei@r.example", Phone: "+86 10 6552 9988",
		Language: "zh-Hans", By: "admin@r", Source: "portal", Seen: cur.Version}
	tests := []struct {
		name   string
		change func(*rewards.ContactInput)
		field  string
		want   string
	}{
		{"account email of a profile", func(c *rewards.ContactInput) { c.Email = " A@r.Example " }, "email", "email of the company's account"},
		{"not an email", func(c *rewards.ContactInput) { c.Email = "wei at r" }, "email", "not an email address"},
		{"no email", func(c *rewards.ContactInput) { c.Email = "" }, "email", "required"},
		{"no phone", func(c *rewards.ContactInput) { c.Phone = " " }, "phone", "required"},
		{"not a phone", func(c *rewards.ContactInput) { c.Phone = "call me" }, "phone", "not a phone number"},
		{"too short", func(c *rewards.ContactInput) { c.Phone = "+33 12" }, "phone", "not a phone number"},
		{"no language", func(c *rewards.ContactInput) { c.Language = "" }, "language", "choose"},
		{"language not offered", func(c *rewards.ContactInput) { c.Language = "de" }, "language", "not one of the languages"},
		{"no name", func(c *rewards.ContactInput) { c.Name = "" }, "name", "required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := good
			tc.change(&in)
			_, err := rewards.AssignContact(ctx, s, in)
			var fe rewards.FieldErrors
			if !errors.As(err, &fe) || !strings.Contains(fe[tc.field], tc.want) {
				t.Fatalf("err = %v, want %s: %q", err, tc.field, tc.want)
			}
		})
	}
	t.Run("stale form", func(t *testing.T) {
		in := good
		in.Seen = "assignment:999"
		_, err := rewards.AssignContact(ctx, s, in)
		var stale *rewards.StaleError
		if !errors.As(err, &stale) || !strings.Contains(err.Error(), "changed to Léa Martin (lea@r.example) by admin@r") {
			t.Fatalf("err = %v", err)
		}
	})
	if n := testkit.Str(t, s, `SELECT count(*) FROM contact_assignments`); n != "1" {
		t.Fatalf("refused assignments were recorded: %s rows", n)
	}
	c, err := rewards.AssignContact(ctx, s, good)
	if err != nil {
		t.Fatal(err)
	}
	if c.Phone != "+861065529988" || c.Language != "zh-Hans" {
		t.Errorf("stored %+v", c)
	}
	now, _, _ := rewards.CurrentContact(ctx, s, "READY")
	if now.Email != "wei@r.example" || now.AssignedBy != "admin@r" {
		t.Errorf("current after assignment = %+v", now)
	}
	// The landing file stays an import: a later file row wins, an earlier one does not.
	testkit.Exec(t, s, `INSERT INTO contacts VALUES ('READY', 'Old', 'old@r.example', '+1', 'en', TIMESTAMP '2025-06-01', NULL, 7)`)
	if now, _, _ := rewards.CurrentContact(ctx, s, "READY"); now.Email != "wei@r.example" {
		t.Errorf("an older file row replaced the assignment: %+v", now)
	}
	testkit.Exec(t, s, `INSERT INTO contacts VALUES ('READY', 'New', 'new@r.example', '+1', 'en', TIMESTAMP '2099-01-01', NULL, 8)`)
	if now, _, _ := rewards.CurrentContact(ctx, s, "READY"); now.Email != "new@r.example" || now.Source != "contacts file" {
		t.Errorf("a later file row did not win: %+v", now)
	}
	h, err := rewards.ContactHistory(ctx, s, "READY")
	if err != nil || len(h.Rows) != 5 {
		t.Fatalf("history: %d rows %v", len(h.Rows), err)
	}
}

// The 7-day list on fixed dates: activations on 2 February 2026, contact due on the 9th.
func TestSevenDayAndFourWeekSLAOnFixedDates(t *testing.T) {
	ctx := context.Background()
	s := workspace(t)
	act := time.Date(2026, 2, 2, 15, 0, 0, 0, time.UTC)
	ids := map[string]int64{}
	for _, name := range []string{"Go-to-market consultation", "Listing optimisation review", "Marketplace listing badge"} {
		b := key(t, s, "READY", name, act)
		a, err := rewards.Activate(ctx, s, rewards.ActivateInput{PGAID: "READY", Key: b.Key, By: "admin@r", At: act})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = a.ID
	}
	day := func(d int) time.Time { return time.Date(2026, 2, d, 11, 0, 0, 0, time.UTC) }
	// Day 7 (the 9th): on time. Day 8 (the 10th): late. The badge: never.
	if _, err := rewards.RecordContact(ctx, s, rewards.ContactRecord{ActivationID: ids["Go-to-market consultation"], By: "rita", At: day(9), Note: "day 7"}); err != nil {
		t.Fatal(err)
	}
	if _, err := rewards.RecordContact(ctx, s, rewards.ContactRecord{ActivationID: ids["Listing optimisation review"], By: "rita", At: day(10), Note: "day 8"}); err != nil {
		t.Fatal(err)
	}
	sla := func(asOf time.Time) string {
		l, err := rewards.SLAActivations(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range l {
			out = append(out, fmt.Sprintf("%s %s %d", a.Benefit, a.Status, a.DaysToContact))
		}
		return strings.Join(out, "; ")
	}
	tests := []struct {
		asOf time.Time
		want string
	}{
		{day(8), ""},
		{day(9), ""}, // due today: not yet overdue
		{day(10), "Listing optimisation review late 8; Marketplace listing badge overdue 8"},
		{day(20), "Marketplace listing badge overdue 18; Listing optimisation review late 8"},
	}
	for _, tc := range tests {
		t.Run(tc.asOf.Format(time.DateOnly), func(t *testing.T) {
			if got := sla(tc.asOf); got != tc.want {
				t.Errorf("7-day list = %q, want %q", got, tc.want)
			}
		})
	}
	// The view the desk's SLA page and the review pack read, as of a run on the 20th:
	// the same rows; a listing benefit has no unlock and its listing type as the tier.
	testkit.Exec(t, s, `UPDATE tier_run SET as_of = DATE '2026-02-20'`)
	view := testkit.RowsNull(t, s, "NULL", `SELECT unlock_id, tier, benefit, status, days_to_contact FROM sla_activation_contact ORDER BY activation_id`)
	if want := []string{"|List listing|Listing optimisation review|late|8", "|List listing|Marketplace listing badge|overdue|18"}; fmt.Sprint(view) != fmt.Sprint(want) {
		t.Errorf("sla_activation_contact = %q, want %q", view, want)
	}
	queue, err := rewards.ToContact(ctx, s, day(12))
	if err != nil || len(queue) != 1 || queue[0].Benefit != "Marketplace listing badge" || !queue[0].Overdue() ||
		queue[0].DueOn.Format(time.DateOnly) != "2026-02-09" || queue[0].DaysOverdue != 3 {
		t.Fatalf("to contact = %+v %v", queue, err)
	}
	// 4 weeks: OL went live on 10 January (due 7 February), O1 on 5 January (due 2 February).
	// The contacts above (9 and 10 February) are the company's first: both late.
	offers, err := rewards.SLAOffers(ctx, s, day(20))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range offers.Rows {
		got = append(got, fmt.Sprint(r[3], " ", r[9], " ", r[10], " ", r[11]))
	}
	if want := "O1 late 35 ; OL late 30 "; strings.Join(got, "; ") != want {
		t.Errorf("4-week list = %q, want %q", strings.Join(got, "; "), want)
	}
	offers, err = rewards.SLAOffers(ctx, s, day(6))
	if err != nil || len(offers.Rows) != 1 || offers.Rows[0][3] != "O1" || offers.Rows[0][9] != "overdue" {
		t.Fatalf("4-week list on 6 February = %v %v", offers.Rows, err)
	}
}

func TestAssistanceRequests(t *testing.T) {
	ctx := context.Background()
	s := workspace(t)
	good := rewards.AssistInput{PGAID: "READY", PartnerID: "P1", Phase: "deployment", OfferID: "O1", Description: "Help with the ARM template",
		ContactName: "Léa", ContactEmail: "lea@r.example", By: "admin@r"}
	tests := []struct {
		name   string
		change func(*rewards.AssistInput)
		field  string
	}{
		{"empty description", func(a *rewards.AssistInput) { a.Description = "  " }, "description"},
		{"description over 4000 characters", func(a *rewards.AssistInput) { a.Description = strings.Repeat("é", 4001) }, "description"},
		{"unknown phase", func(a *rewards.AssistInput) { a.Phase = "later" }, "phase"},
		{"bad contact email", func(a *rewards.AssistInput) { a.ContactEmail = "lea" }, "contact_email"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := good
			tc.change(&in)
			_, err := rewards.RequestAssistance(ctx, s, in)
			var fe rewards.FieldErrors
			if !errors.As(err, &fe) || fe[tc.field] == "" {
				t.Fatalf("err = %v, want a message on %s", err, tc.field)
			}
		})
	}
	in := good
	in.Description = strings.Repeat("é", 4000)
	id, err := rewards.RequestAssistance(ctx, s, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := rewards.UpdateAssistance(ctx, s, id, "in-progress", "engineer assigned", "rita"); err != nil {
		t.Fatal(err)
	}
	if err := rewards.UpdateAssistance(ctx, s, id, "closed", "", "rita"); err == nil {
		t.Error("unknown status accepted")
	}
	if err := rewards.UpdateAssistance(ctx, s, 999, "done", "", "rita"); !errors.Is(err, rewards.ErrUnknownRequest) {
		t.Errorf("unknown request: %v", err)
	}
	l, err := rewards.AssistRequests(ctx, s, "READY", "")
	if err != nil || len(l) != 1 || l[0].Status != "in-progress" || l[0].Note != "engineer assigned" || l[0].UpdatedBy != "rita" {
		t.Fatalf("requests = %+v %v", l, err)
	}
	if l, _ := rewards.AssistRequests(ctx, s, "", "new"); len(l) != 0 {
		t.Errorf("new requests = %+v", l)
	}
}

// rerun runs the transform again as of 31 January 2026 (after a change of its inputs).
func rerun(t *testing.T, s *duckstore.Store) {
	t.Helper()
	p, err := transform.Default(tiers.Default())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := transform.NewRunner(s, nil, p).Run(context.Background(), time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
}
