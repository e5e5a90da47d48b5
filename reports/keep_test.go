package reports_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// A re-run for the same as-of date and period keeps the files of partners
// whose report rows did not change — same bytes, same modification time, no
// new manifest rows — and renders the partners whose rows changed.
func TestUnchangedPartnersKeepTheirFiles(t *testing.T) {
	ctx := context.Background()
	s, _ := fixtureStore(t)
	p := fixturePeriod(t)
	out := t.TempDir()
	generate := func(t *testing.T) (map[string]reports.File, reports.Stats) {
		t.Helper()
		g, err := reports.New(s, nil, out, reports.Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		files, err := g.All(ctx, runFor(t, s), p)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]reports.File{}
		for _, f := range files {
			m[f.Path] = f
		}
		return m, g.Stats()
	}
	manifest := func(t *testing.T) []string {
		return testkit.Rows(t, s, `SELECT path || ' ' || sha256 || ' ' || CAST(created_at AS VARCHAR) FROM report_files ORDER BY path`)
	}
	mtimes := func(t *testing.T, files map[string]reports.File) map[string]time.Time {
		m := map[string]time.Time{}
		for rel := range files {
			info, err := os.Stat(filepath.Join(out, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			m[rel] = info.ModTime()
		}
		return m
	}

	first, st := generate(t)
	if st.Kept != 0 || st.Partners == 0 {
		t.Fatalf("first run: %+v, want every partner rendered", st)
	}
	rows1, times1 := manifest(t), mtimes(t, first)

	t.Run("same rows: every partner keeps its files", func(t *testing.T) {
		second, st := generate(t)
		if st.Kept != st.Partners {
			t.Fatalf("second run kept %d of %d partners", st.Kept, st.Partners)
		}
		if len(second) != len(first) {
			t.Fatalf("second run returned %d files, first %d", len(second), len(first))
		}
		for rel, f := range first {
			if second[rel].SHA256 != f.SHA256 {
				t.Errorf("%s: sha256 %s, was %s", rel, second[rel].SHA256, f.SHA256)
			}
		}
		if got := manifest(t); !equal(got, rows1) {
			t.Errorf("manifest changed:\n%v\nwas\n%v", got, rows1)
		}
		for rel, mt := range mtimes(t, second) {
			if !mt.Equal(times1[rel]) {
				t.Errorf("%s was written again", rel)
			}
		}
	})

	t.Run("one partner's rows change: only it is rendered", func(t *testing.T) {
		testkit.Exec(t, s, `UPDATE orders SET estimated_charges = estimated_charges + 1 WHERE publisher_id = 'p-fabrikam'`)
		runTransform(t, s, fixtureAsOf)
		third, st := generate(t)
		if st.Kept != st.Partners-1 {
			t.Fatalf("third run kept %d of %d partners, want all but p-fabrikam", st.Kept, st.Partners)
		}
		changed := 0
		for rel, f := range third {
			was := first[rel]
			if f.PartnerID == "p-fabrikam" {
				if f.SHA256 != was.SHA256 {
					changed++
				}
				continue
			}
			if f.SHA256 != was.SHA256 {
				t.Errorf("%s of %s changed", rel, f.PartnerID)
			}
		}
		if changed == 0 {
			t.Error("none of p-fabrikam's files changed")
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
