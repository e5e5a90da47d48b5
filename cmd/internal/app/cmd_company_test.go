package app

import (
	"context"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestCompanyLanguageCommand: an operator sets a company's language (recorded
// with who and when, in company_languages, where the portal and the workbook
// read it), reads it back, and is refused a language not offered or a company
// nobody knows.
func TestCompanyLanguageCommand(t *testing.T) {
	db := tiersDB(t)
	mustRun(t, "--db", db, "transform", "--as-of", "2026-02-28")
	for _, st := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"none yet", []string{"company", "language", "G"}, 0, "G: no language set"},
		{"set", []string{"company", "language", "G", "Français", "--by", "ops", "--at", "2026-03-03T08:00"}, 0,
			"set the language of G to fr (Français), by ops at 2026-03-03 08:00:00 UTC"},
		{"show", []string{"company", "language", "G"}, 0, "G: fr, set by ops at 2026-03-03 08:00:00 UTC"},
		{"change", []string{"company", "language", "G", "zh-CN", "--by", "ops2", "--at", "2026-03-04T08:00"}, 0, "to zh-Hans (简体中文)"},
		{"not offered", []string{"company", "language", "G", "de", "--by", "ops"}, 1, `"de" is not a language offered`},
		{"unknown company", []string{"company", "language", "NOPE", "fr", "--by", "ops"}, 1, `unknown`},
	} {
		t.Run(st.name, func(t *testing.T) {
			out, errOut, code := run(t, append([]string{"--db", db}, st.args...)...)
			got := out
			if code != 0 {
				got = errOut
			}
			if code != st.code || !strings.Contains(got, st.want) {
				t.Fatalf("exit %d (want %d): %q, want %q", code, st.code, got, st.want)
			}
		})
	}
	s, err := duckstore.Open(context.Background(), duckstore.Config{Path: db, Threads: 1, MemoryLimit: "256MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := testkit.Rows(t, s, `SELECT pga_id, language, changed_by, changed_at FROM company_languages ORDER BY pga_id`); strings.Join(got, ";") != "G|zh-Hans|ops2|2026-03-04 08:00:00" {
		t.Fatalf("company_languages = %q", got)
	}
}
