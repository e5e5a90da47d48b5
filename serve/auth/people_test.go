package auth_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func peopleStore(t *testing.T) (*duckstore.Store, *auth.DBPeople) {
	t.Helper()
	s := testkit.Open(t)
	testkit.Exec(t, s, `INSERT INTO partners VALUES
		('P1', 'PGA1', 'Contoso Apps', 'Contoso Ltd', NULL, 1),
		('P1b', 'PGA1', 'Contoso Data', 'Contoso Ltd', NULL, 1),
		('P2', 'PGA2', 'Fabrikam', 'Fabrikam Inc', NULL, 1)`)
	return s, auth.NewDBPeople(s)
}

func TestAddPerson(t *testing.T) {
	ctx := context.Background()
	_, ps := peopleStore(t)
	if _, err := auth.AddPerson(ctx, ps, "cli:ops", "Ann@Contoso.example ", "Ann Lee", "PGA1", auth.RolePartnerAdmin, false, t0); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, email, pga string
		role             auth.PersonRole
		unknown          bool
		want             string // part of the error; "" = added
	}{
		{"reviewer", "rita@rewards.example", "", auth.RoleReviewer, false, ""},
		{"viewer of a known company", "vic@fabrikam.example", "PGA2", auth.RoleViewer, false, ""},
		{"rewards role with a company", "x@rewards.example", "PGA1", auth.RoleRewardsAdmin, false, "give no company"},
		{"company role without a company", "y@contoso.example", "", auth.RoleViewer, false, "give the company"},
		{"unknown company", "z@nowhere.example", "PGA9", auth.RoleViewer, false, "not in the partners' reference data"},
		{"unknown company allowed", "z@nowhere.example", "PGA9", auth.RoleViewer, true, ""},
		{"email taken, other case", "ANN@contoso.example", "PGA1", auth.RoleViewer, false, "already has this email"},
		{"not an email", "ann at contoso", "PGA1", auth.RoleViewer, false, "not an email address"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := auth.AddPerson(ctx, ps, "cli:ops", tc.email, "", tc.pga, tc.role, tc.unknown, t0)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				got, err := ps.Person(ctx, p.ID)
				if err != nil || got.Email != strings.ToLower(tc.email) || got.Role != tc.role || got.PGAID != tc.pga || got.Name != got.Email {
					t.Fatalf("stored %+v, %v", got, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestRoleChangesAndHistory(t *testing.T) {
	ctx := context.Background()
	s, ps := peopleStore(t)
	ann, err := auth.AddPerson(ctx, ps, "cli:ops", "ann@contoso.example", "Ann Lee", "PGA1", auth.RoleViewer, false, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !ann.Principal().SeesCompany("PGA1") || ann.Principal().IsPartnerAdmin() || ann.Principal().IsRewards() {
		t.Fatalf("a viewer's principal: %+v", ann.Principal())
	}
	ann, err = auth.SetRole(ctx, ps, "p_admin", ann, auth.RolePartnerAdmin, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if !ann.Principal().IsPartnerAdmin() {
		t.Fatal("a partner admin's principal is not a partner admin")
	}
	if _, err := auth.SetRole(ctx, ps, "p_admin", ann, auth.RoleReviewer, t0); !errors.Is(err, auth.ErrRoleSide) {
		t.Fatalf("company → rewards role: %v", err)
	}
	if ann, err = auth.BindSubject(ctx, ps, ann, "https://idp.example/", "sub-ann", t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	testkit.Exec(t, s, `INSERT INTO web_sessions (session_key, token_id, role, partner_id, csrf, created_at, seen_at, person_id)
		VALUES ('k1', NULL, 'partner', 'P1', 'c', now(), now(), ?)`, ann.ID)
	if _, err := auth.RemovePerson(ctx, ps, "cli:ops", ann, t0.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := testkit.Str(t, s, `SELECT count(*) FROM web_sessions WHERE person_id = ?`, ann.ID); n != "0" {
		t.Errorf("sessions of a removed person left: %s", n)
	}
	got, err := ps.Person(ctx, ann.ID)
	if err != nil || got.Active() || got.Subject != "sub-ann" {
		t.Fatalf("removed person: %+v %v", got, err)
	}
	if _, err := ps.PersonBySubject(ctx, "https://idp.example/", "sub-ann"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("a removed person is found by subject: %v", err)
	}
	if _, err := auth.FindPerson(ctx, ps, ann.ID); !errors.Is(err, auth.ErrRemoved) {
		t.Errorf("find a removed person: %v", err)
	}
	changes, err := ps.Changes(ctx, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ action, by, before, after string }{
		{"add", "cli:ops", "", `"role":"viewer"`},
		{"role", "p_admin", `"role":"viewer"`, `"role":"partner_admin"`},
		{"bind", "sign-in", `"role":"partner_admin"`, `"subject":"sub-ann"`},
		{"remove", "cli:ops", `"subject":"sub-ann"`, `"removed_at":"2026-03-02T09:03:00Z"`},
	}
	if len(changes) != len(want) {
		t.Fatalf("%d changes, want %d: %+v", len(changes), len(want), changes)
	}
	for i, w := range want {
		c := changes[i]
		if c.ID != int64(i+1) || c.Action != w.action || c.By != w.by || !strings.Contains(c.Before, w.before) || !strings.Contains(c.After, w.after) ||
			(w.before == "" && c.Before != "") {
			t.Errorf("change %d = %+v, want %+v", i+1, c, w)
		}
	}
	// The email is free again: the same person may be added back (a new id).
	back, err := auth.AddPerson(ctx, ps, "cli:ops", "ann@contoso.example", "Ann Lee", "PGA1", auth.RoleViewer, false, t0.Add(time.Hour))
	if err != nil || back.ID == ann.ID {
		t.Fatalf("add back: %+v %v", back, err)
	}
}

func TestCanManage(t *testing.T) {
	ctx := context.Background()
	_, ps := peopleStore(t)
	mk := func(email, pga string, role auth.PersonRole) auth.Principal {
		p, err := auth.AddPerson(ctx, ps, "t", email, "", pga, role, false, t0)
		if err != nil {
			t.Fatal(err)
		}
		return p.Principal()
	}
	admin, reviewer := mk("a@r.example", "", auth.RoleRewardsAdmin), mk("r@r.example", "", auth.RoleReviewer)
	pa1, v1 := mk("pa@contoso.example", "PGA1", auth.RolePartnerAdmin), mk("v@contoso.example", "PGA1", auth.RoleViewer)
	tests := []struct {
		name string
		p    auth.Principal
		pga  string
		want bool
	}{
		{"rewards admin, the rewards team", admin, "", true},
		{"rewards admin, a company", admin, "PGA2", true},
		{"reviewer", reviewer, "PGA1", false},
		{"partner admin, own company", pa1, "PGA1", true},
		{"partner admin, another company", pa1, "PGA2", false},
		{"partner admin, the rewards team", pa1, "", false},
		{"viewer, own company", v1, "PGA1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := auth.CanManage(tc.p, tc.pga); got != tc.want {
				t.Errorf("CanManage = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckTenants(t *testing.T) {
	ctx := context.Background()
	_, ps := peopleStore(t)
	for _, tn := range []auth.Tenant{{"PGA1", "tid-contoso", t0, "t"}, {"PGA1", "tid-contoso-eu", t0, "t"}, {"PGA2", "tid-fabrikam", t0, "t"}} {
		if err := ps.SetTenant(ctx, tn, true); err != nil {
			t.Fatal(err)
		}
	}
	if probs, err := auth.CheckTenants(ctx, ps); err != nil || len(probs) != 0 {
		t.Fatalf("clean tenants: %v %v", probs, err)
	}
	if err := ps.SetTenant(ctx, auth.Tenant{"PGA2", "tid-contoso", t0, "t"}, true); err != nil {
		t.Fatal(err)
	}
	probs, err := auth.CheckTenants(ctx, ps)
	if err != nil || len(probs) != 1 || probs[0].TenantID != "tid-contoso" || strings.Join(probs[0].Companies, ",") != "PGA1,PGA2" {
		t.Fatalf("problems = %+v %v", probs, err)
	}
	if !strings.Contains(probs[0].Error(), "belongs to 2 companies (PGA1, PGA2)") {
		t.Errorf("message: %s", probs[0].Error())
	}
	if got, _ := auth.TenantCompanies(ctx, ps, "tid-contoso-eu"); strings.Join(got, ",") != "PGA1" {
		t.Errorf("companies of tid-contoso-eu = %v", got)
	}
	if err := ps.SetTenant(ctx, auth.Tenant{PGAID: "PGA2", TenantID: "tid-contoso"}, false); err != nil {
		t.Fatal(err)
	}
	if probs, _ := auth.CheckTenants(ctx, ps); len(probs) != 0 {
		t.Errorf("after removing: %v", probs)
	}
}

func TestLoginsAreGoodOnce(t *testing.T) {
	ctx := context.Background()
	_, ps := peopleStore(t)
	if err := ps.SaveLogin(ctx, "state-1", auth.Login{Nonce: "n", Verifier: "v", Next: "/desk/", Created: t0}, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := ps.SaveLogin(ctx, "state-old", auth.Login{Nonce: "n", Verifier: "v", Created: t0.Add(-time.Hour)}, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	l, err := ps.TakeLogin(ctx, "state-1")
	if err != nil || l.Nonce != "n" || l.Verifier != "v" || l.Next != "/desk/" {
		t.Fatalf("take: %+v %v", l, err)
	}
	if _, err := ps.TakeLogin(ctx, "state-1"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("second take: %v", err)
	}
	// Saving a login drops those older than its bound.
	if err := ps.SaveLogin(ctx, "state-2", auth.Login{Nonce: "n", Verifier: "v", Created: t0.Add(time.Hour)}, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := ps.TakeLogin(ctx, "state-old"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("old login kept: %v", err)
	}
}

// TestPeopleMigrationKeepsSessions: a database of the release before people
// (web_sessions made from tokens) upgrades in place: its sessions keep every
// row, and token_id may then be NULL for a person's session.
func TestPeopleMigrationKeepsSessions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	s, err := duckstore.Open(ctx, duckstore.Config{Path: path, Threads: 1, MemoryLimit: "512MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Back to the schema before 0080: what that migration added, undone.
	testkit.Exec(t, s, `DROP TABLE people; DROP TABLE people_changes; DROP TABLE company_tenants; DROP TABLE oidc_logins;
		ALTER TABLE web_sessions DROP COLUMN person_id; ALTER TABLE web_sessions DROP COLUMN id_token;
		ALTER TABLE web_sessions ALTER COLUMN token_id SET NOT NULL;
		DELETE FROM schema_migrations WHERE version = 80`)
	testkit.Exec(t, s, `INSERT INTO web_sessions VALUES ('k-old', 'abcd', 'rewards', NULL, 'c', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 10:05:00', 'Rita')`)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = duckstore.Open(ctx, duckstore.Config{Path: path, Threads: 1, MemoryLimit: "512MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if got := testkit.Rows(t, s, `SELECT session_key, token_id, role, reviewer, coalesce(person_id, '-') FROM web_sessions`); strings.Join(got, ";") != "k-old|abcd|rewards|Rita|-" {
		t.Errorf("sessions after the upgrade: %v", got)
	}
	testkit.Exec(t, s, `INSERT INTO web_sessions (session_key, token_id, role, csrf, created_at, seen_at, person_id) VALUES ('k-new', NULL, 'rewards', 'c', now(), now(), 'p_1')`)
	if n := testkit.Str(t, s, `SELECT count(*) FROM people`); n != "0" {
		t.Errorf("people after the upgrade: %s", n)
	}
}
