package app

import (
	"strings"
	"testing"
)

// TestPeopleCommands: add, list, role, remove, tenants and check, directly on
// the database (TestCommandsInsideTheService runs the same through a service).
func TestPeopleCommands(t *testing.T) {
	db := tiersDB(t)
	id := strings.TrimSpace(mustRun(t, "--db", db, "people", "add", "Mia@G.example", "--name", "Mia", "--company", "G", "--role", "partner-admin"))
	if !strings.HasPrefix(id, "p-") || len(id) != 18 {
		t.Fatalf("people add printed %q, want the new id", id)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // in stdout, or stderr when code != 0
	}{
		{"rewards role with a company", []string{"people", "add", "a@r.example", "--company", "G", "--role", "admin"}, 1, "give no company"},
		{"bad role", []string{"people", "add", "a@r.example", "--role", "boss"}, 1, "want reviewer, admin"},
		{"same email", []string{"people", "add", "mia@g.example", "--company", "G", "--role", "viewer"}, 1, "already has this email"},
		{"company not in the partner data", []string{"people", "add", "nina@newco.example", "--company", "NEWCO", "--role", "partner-admin"}, 1, "not in the partners' reference data"},
		{"company not in the partner data, allowed", []string{"people", "add", "nina@newco.example", "--company", "NEWCO", "--role", "partner-admin", "--allow-unknown-company"}, 0, "p-"},
		{"list", []string{"people", "list", "--format", "csv"}, 0, id + ",mia@g.example,Mia,G,partner_admin,false,"},
		{"role to viewer", []string{"people", "role", id, "viewer"}, 0, "Partner admin → Viewer"},
		{"role across sides", []string{"people", "role", "mia@g.example", "reviewer"}, 1, "cannot move a person between the rewards team and a company"},
		{"tenant add", []string{"people", "tenant", "add", "G", "tid-g"}, 0, "tenant tid-g added to company G"},
		{"check clean", []string{"people", "check"}, 0, "no problems found"},
		{"tenant in a second company", []string{"people", "tenant", "add", "H", "tid-g"}, 1, "tenant tid-g belongs to 2 companies (G, H)"},
		{"check", []string{"people", "check"}, 1, "tenant tid-g belongs to 2 companies (G, H)"},
		{"tenant list", []string{"people", "tenant", "list", "--format", "csv"}, 0, "G,tid-g,"},
		{"remove", []string{"people", "remove", "mia@g.example"}, 0, id + " (mia@g.example) removed"},
		{"remove again", []string{"people", "remove", id}, 1, "has been removed"},
		{"list after remove", []string{"people", "list", "--removed", "--format", "csv"}, 0, "mia@g.example"},
		{"history", []string{"people", "list", "--history", id, "--format", "csv"}, 0, ",role," + id + ","},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, append([]string{"--db", db}, tc.args...)...)
			got := out
			if tc.code != 0 {
				got = errOut
			}
			if code != tc.code || !strings.Contains(got, tc.want) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant %q", code, tc.code, out, errOut, tc.want)
			}
		})
	}
	if out := mustRun(t, "--db", db, "people", "list", "--format", "csv"); strings.Contains(out, "mia@") {
		t.Errorf("a removed person is listed without --removed:\n%s", out)
	}
	hist := mustRun(t, "--db", db, "people", "list", "--history", "--format", "csv")
	if n := strings.Count(hist, "\n"); n != 5 { // header + Mia's add, role, remove + Nina's add
		t.Errorf("history has %d lines, want 5:\n%s", n, hist)
	}
}
