package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// seedWorkspace adds to the seed what the rewards workspace reads: the catalogue and
// Contoso's (PGA1) Tier 1 benefits, its unlock approved.
func seedWorkspace(t testing.TB, e *env) {
	t.Helper()
	s := e.store
	testkit.Exec(t, s, `INSERT INTO tier_benefit_catalog (listing_type, tier, tier_rank, benefit, expires_after_months, position, category) VALUES
		('Transact', 'Tier 1', 1, 'Azure sponsorship USD 5,000', 0, 1, 'technical'),
		('Transact', 'Tier 1', 1, 'Go-to-market consultation', 0, 2, 'sales-marketing'),
		('Transact', 'Tier 1', 1, 'Co-marketing campaign support', 0, 3, 'sales-marketing')`)
	testkit.Exec(t, s, `INSERT INTO tier_benefit_grants VALUES
		('PGA1:tier-1', 'PGA1', 'Tier 1', 1, DATE '2025-01-31', DATE '2026-01-30', 'Transact', 'Azure sponsorship USD 5,000', NULL),
		('PGA1:tier-1', 'PGA1', 'Tier 1', 1, DATE '2025-01-31', DATE '2026-01-30', 'Transact', 'Go-to-market consultation', NULL),
		('PGA1:tier-1', 'PGA1', 'Tier 1', 1, DATE '2025-01-31', DATE '2026-01-30', 'Transact', 'Co-marketing campaign support', NULL)`)
	testkit.Exec(t, s, `INSERT INTO review_decisions (unlock_id, pga_id, tier, decision, decided_by, decided_at, note, recorded_at)
		VALUES ('PGA1:tier-1', 'PGA1', 'Tier 1', 'approve', 'Dana', TIMESTAMP '2025-07-01 09:00:00', '', TIMESTAMP '2025-07-01 09:00:00')`)
}

const gtmKey = "PGA1:tier-1:1:Transact:Go-to-market consultation"

func count(t testing.TB, e *env, table string) string {
	t.Helper()
	return testkit.Str(t, e.store, `SELECT count(*) FROM `+table)
}

// viewer is a signed-in person of P1's company with the viewer role: not a
// partner admin.
func (e *env) viewer(t *testing.T) *client {
	t.Helper()
	// A viewer of the company: a person with the viewer role (serve/auth people).
	vic, err := auth.AddPerson(context.Background(), auth.NewDBPeople(e.store), "test", "vic@contoso.example", "Vic", "PGA1",
		auth.RoleViewer, true, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := e.web.sessions.create(context.Background(), auth.Principal{PersonID: vic.ID,
		Role: auth.RolePartner, PartnerID: "P1", PGAID: "PGA1"}, "")
	if err != nil {
		t.Fatal(err)
	}
	c := e.client(t)
	u, _ := url.Parse(e.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: cookieName, Value: id, Path: "/"}})
	return c
}

func TestWorkspaceContactActivateAndDesk(t *testing.T) {
	e := startEnv(t, false)
	seedWorkspace(t, e)
	c := e.client(t)
	c.signIn("P1")
	page := c.get("/portal/P1/rewards")
	if page.code != http.StatusOK {
		t.Fatalf("workspace: %d %s", page.code, page.body)
	}
	for _, want := range []string{"Go-to-market consultation", "Co-marketing campaign support", ">available<",
		"Activate<span class=\"sr-only\"> Go-to-market consultation", "from the contacts file", "Assign user",
		"once the Rewards team has approved the tier unlock"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("workspace lacks %q", want)
		}
	}
	if strings.Contains(page.body, "Azure sponsorship") {
		t.Error("a technical benefit is on the Sales and Marketing tab")
	}
	if tech := c.get("/portal/P1/rewards?tab=technical"); !strings.Contains(tech.body, "Azure sponsorship USD 5,000") || strings.Contains(tech.body, "Activate<") {
		t.Errorf("technical tab: %s", tech.body)
	}
	seen := mustRegexp(`name="seen" value="([^"]+)"`).FindStringSubmatch(page.body)[1]

	good := url.Values{"name": {"Léa Martin"}, "email": {"lea@contoso.example"}, "phone": {"+33 1 23 45 67 89"}, "language": {"fr"}, "seen": {seen}}
	bad := []struct {
		name, field, value, want string
	}{
		{"account email", "email", "Accounts@Contoso.example", "email of the company&#39;s account"},
		{"not an email", "email", "lea at contoso", "not an email address"},
		{"no phone", "phone", "", "a phone number is required"},
		{"not a phone", "phone", "0000", "not a phone number"},
		{"no language", "language", "", "choose a preferred language"},
		{"language not offered", "language", "de", "is not one of the languages offered"},
	}
	for _, tc := range bad {
		t.Run("contact refused: "+tc.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range good {
				f[k] = v
			}
			f.Set(tc.field, tc.value)
			r := c.post("/portal/P1/rewards/contact", f)
			if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="c-`+tc.field+`-err">`) || !strings.Contains(r.body, tc.want) {
				t.Fatalf("%d, want 422 with %q next to %s:\n%s", r.code, tc.want, tc.field, r.body)
			}
		})
	}
	if n := count(t, e, "contact_assignments"); n != "0" {
		t.Fatalf("refused contacts recorded: %s", n)
	}
	if r := c.post("/portal/P1/rewards/contact", good); r.code != http.StatusSeeOther {
		t.Fatalf("assign: %d %s", r.code, r.body)
	}
	// The same form again: the page it came from is out of date.
	if r := c.post("/portal/P1/rewards/contact", good); r.code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "the page is out of date: the marketing contact was changed to Léa Martin") {
		t.Fatalf("stale contact form: %d %s", r.code, r.body)
	}
	// An activation drawn with the old contact is refused: the instructions would go elsewhere.
	if r := c.post("/portal/P1/rewards/activate", url.Values{"benefit": {gtmKey}, "contact": {seen}}); r.code != http.StatusConflict || !strings.Contains(r.body, "marketing contact changed to Léa Martin") {
		t.Fatalf("stale activation: %d %s", r.code, r.body)
	}
	page = c.get("/portal/P1/rewards")
	seen = mustRegexp(`name="contact" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	if r := c.post("/portal/P1/rewards/activate", url.Values{"benefit": {gtmKey}, "contact": {seen}}); r.code != http.StatusSeeOther {
		t.Fatalf("activate: %d %s", r.code, r.body)
	}
	page = c.get("/portal/P1/rewards?done=activated")
	if !strings.Contains(page.body, "The benefit is activated") || !strings.Contains(page.body, "by partner token "+e.ids["P1"]) {
		t.Errorf("after activation: %s", page.body)
	}
	if r := c.post("/portal/P1/rewards/activate", url.Values{"benefit": {gtmKey}, "contact": {seen}}); r.code != http.StatusConflict || !strings.Contains(r.body, "already activated, by partner token") {
		t.Fatalf("second press: %d %s", r.code, r.body)
	}
	if got := testkit.Str(t, e.store, `SELECT count(*) || ' ' || any_value(language) || ' ' || any_value(to_addr) FROM mail_outbox`); got != "1 fr lea@contoso.example" {
		t.Errorf("outbox = %s", got)
	}

	// Read-only: no buttons, no form; a forged POST is refused and records nothing.
	v := e.viewer(t)
	vp := v.get("/portal/P1/rewards")
	if vp.code != http.StatusOK || strings.Contains(vp.body, "Activate<") || strings.Contains(vp.body, "Assign user") || !strings.Contains(vp.body, "Only a partner admin") {
		t.Errorf("viewer's page: %d %s", vp.code, vp.body)
	}
	for _, post := range []struct {
		path string
		form url.Values
	}{
		{"/portal/P1/rewards/activate", url.Values{"benefit": {"PGA1:tier-1:1:Transact:Co-marketing campaign support"}, "contact": {seen}}},
		{"/portal/P1/rewards/contact", good},
		{"/portal/P1/rewards/assistance", url.Values{"phase": {"design"}, "description": {"x"}, "contact_name": {"V"}, "contact_email": {"v@contoso.example"}}},
	} {
		if r := v.post(post.path, post.form); r.code != http.StatusForbidden {
			t.Errorf("viewer POST %s: %d, want 403", post.path, r.code)
		}
	}
	if got := count(t, e, "benefit_activations") + count(t, e, "contact_assignments") + count(t, e, "assist_requests"); got != "110" {
		t.Errorf("activations, assignments, requests after the refused posts = %s, want 1 1 0", got)
	}

	// Another company's workspace does not exist for P2.
	o := e.client(t)
	o.signIn("P2")
	if r := o.get("/portal/P1/rewards"); r.code != http.StatusNotFound {
		t.Errorf("P2 opening P1's workspace: %d", r.code)
	}
	if r := o.post("/portal/P1/rewards/activate", url.Values{"benefit": {gtmKey}}); r.code != http.StatusNotFound {
		t.Errorf("P2 posting to P1's workspace: %d", r.code)
	}

	// The desk: due in 7 days; record the contact; the queue is empty.
	d := e.client(t)
	d.signIn("rewards")
	q := d.get("/desk/contact")
	due := testkit.Str(t, e.store, `SELECT strftime(activated_at::DATE + 7, '%Y-%m-%d') FROM benefit_activations`)
	if !strings.Contains(q.body, "Go-to-market consultation") || !strings.Contains(q.body, due) {
		t.Fatalf("to contact: %s", q.body)
	}
	id := testkit.Str(t, e.store, `SELECT activation_id FROM benefit_activations`)
	if r := d.post("/desk/contact", url.Values{"activation": {id}, "by": {""}}); r.code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "who made the contact is missing") {
		t.Fatalf("record without a name: %d %s", r.code, r.body)
	}
	if r := d.post("/desk/contact", url.Values{"activation": {id}, "by": {"Rita"}, "note": {"called"}}); r.code != http.StatusSeeOther {
		t.Fatalf("record: %d %s", r.code, r.body)
	}
	if q := d.get("/desk/contact"); !strings.Contains(q.body, "Nobody to contact") {
		t.Errorf("queue after the contact: %s", q.body)
	}
	if o := d.get("/desk/outbox"); !strings.Contains(o.body, "lea@contoso.example") || !strings.Contains(o.body, "No mail server is configured") {
		t.Errorf("outbox page: %s", o.body)
	}
	if page := c.get("/portal/P1/rewards"); !strings.Contains(page.body, "contacted · in use") {
		t.Errorf("partner's state after the contact: %s", page.body)
	}
}

func TestWorkspaceAssistance(t *testing.T) {
	e := startEnv(t, false)
	seedWorkspace(t, e)
	c := e.client(t)
	c.signIn("P1")
	if r := c.get("/portal/P1/rewards/assistance"); r.code != http.StatusOK || !strings.Contains(r.body, "Submit request") {
		t.Fatalf("assistance page: %d", r.code)
	}
	good := url.Values{"phase": {"deployment"}, "offer": {"contoso-app"}, "description": {"ARM template review"}, "contact_name": {"Ann"}, "contact_email": {"ann@contoso.example"}}
	for _, tc := range []struct{ name, field, value string }{
		{"empty description", "description", " "},
		{"too long", "description", strings.Repeat("x", 4001)},
		{"no phase", "phase", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range good {
				f[k] = v
			}
			f.Set(tc.field, tc.value)
			if r := c.post("/portal/P1/rewards/assistance", f); r.code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "field-error") {
				t.Fatalf("%d %s", r.code, r.body)
			}
		})
	}
	if r := c.post("/portal/P1/rewards/assistance", good); r.code != http.StatusSeeOther {
		t.Fatalf("request: %d %s", r.code, r.body)
	}
	d := e.client(t)
	d.signIn("rewards")
	if r := d.get("/desk/assistance?status=new"); !strings.Contains(r.body, "ARM template review") {
		t.Fatalf("desk: %s", r.body)
	}
	id := testkit.Str(t, e.store, `SELECT request_id FROM assist_requests`)
	if r := d.post("/desk/assistance/"+id, url.Values{"status": {"in-progress"}, "note": {"engineer assigned"}, "by": {"Rita"}}); r.code != http.StatusSeeOther {
		t.Fatalf("update: %d %s", r.code, r.body)
	}
	if r := c.get("/portal/P1/rewards/assistance"); !strings.Contains(r.body, "in-progress") || !strings.Contains(r.body, "engineer assigned") {
		t.Errorf("partner's list: %s", r.body)
	}
}

// A token session restored after a restart still acts as the partner admin: the
// table keeps no admin flag, so it is derived from the token again.
func TestRestoredTokenSessionIsStillPartnerAdmin(t *testing.T) {
	e := startEnv(t, false)
	seedWorkspace(t, e)
	c := e.client(t)
	c.signIn("P1")
	e.restart(t)
	page := c.get("/portal/P1/rewards")
	if page.code != http.StatusOK || !strings.Contains(page.body, "Activate<span") || !strings.Contains(page.body, "Assign user") {
		t.Fatalf("after a restart the token session lost its partner admin role: %d\n%s", page.code, page.body)
	}
	seen := mustRegexp(`name="contact" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	if r := c.post("/portal/P1/rewards/activate", url.Values{"benefit": {gtmKey}, "contact": {seen}}); r.code != http.StatusSeeOther {
		t.Fatalf("activate after a restart: %d %s", r.code, r.body)
	}
}

// TestWorkspaceContactFromTheCompanysUsers: a partner admin picks the marketing
// contact among the company's people (their name and email), adding the phone
// and the language; a person of another company, or a removed one, is refused
// next to the field and nothing is recorded.
func TestWorkspaceContactFromTheCompanysUsers(t *testing.T) {
	e := startEnv(t, false)
	seedWorkspace(t, e)
	ctx, ps, now := context.Background(), auth.NewDBPeople(e.store), time.Now()
	add := func(email, name, pga string) auth.Person {
		p, err := auth.AddPerson(ctx, ps, "test", email, name, pga, auth.RoleViewer, true, now)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	noa := add("noa@contoso.example", "Noa Levi", "PGA1")
	other := add("sam@fabrikam.example", "Sam Other", "PGA2")
	gone := add("old@contoso.example", "Old Timer", "PGA1")
	if _, err := auth.RemovePerson(ctx, ps, "test", gone, now); err != nil {
		t.Fatal(err)
	}
	c := e.client(t)
	c.signIn("P1")
	page := c.get("/portal/P1/rewards")
	if !strings.Contains(page.body, `<option value="`+noa.ID+`"`) || strings.Contains(page.body, other.ID) || strings.Contains(page.body, gone.ID) {
		t.Fatalf("the list of the company's users: %s", page.body)
	}
	seen := mustRegexp(`name="seen" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	for _, tc := range []struct{ name, id string }{{"another company's person", other.ID}, {"a removed person", gone.ID}, {"an unknown id", "p-nobody"}} {
		t.Run("refused: "+tc.name, func(t *testing.T) {
			r := c.post("/portal/P1/rewards/contact", url.Values{"person": {tc.id}, "phone": {"+33 1 23 45 67 89"}, "language": {"fr"}, "seen": {seen}})
			if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="c-person-err">`) {
				t.Fatalf("%d, want 422 with the reason next to the person field:\n%s", r.code, r.body)
			}
		})
	}
	if n := count(t, e, "contact_assignments"); n != "0" {
		t.Fatalf("refused contacts recorded: %s", n)
	}
	r := c.post("/portal/P1/rewards/contact", url.Values{"person": {noa.ID}, "name": {"ignored"}, "email": {"ignored@x.example"},
		"phone": {"+33 1 23 45 67 89"}, "language": {"fr"}, "seen": {seen}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("assign a user: %d %s", r.code, r.body)
	}
	if got := testkit.Str(t, e.store, `SELECT name || ' <' || email || '> ' || phone || ' ' || language FROM contact_assignments`); got != "Noa Levi <noa@contoso.example> +33123456789 fr" {
		t.Fatalf("assigned %q", got)
	}
}
