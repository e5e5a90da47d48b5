package reports_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/sql/duckstore"
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

// A day's batch for a new as-of date renders only the partners whose files
// would show something new: the others get the files of their latest earlier
// as-of date, hard-linked into the new folder (same bytes, same SHA-256, the
// same modification time, so the download API's ETag is the same) and
// recorded in the manifest for the new date. A partner whose rows, name or
// earlier files changed is rendered.
func TestNewAsOfLinksUnchangedPartners(t *testing.T) {
	ctx := context.Background()
	s, _ := fixtureStore(t)
	p := fixturePeriod(t)
	out := t.TempDir()
	day := func(n int) time.Time { return fixtureAsOf.AddDate(0, 0, n) }
	generate := func(t *testing.T, asOf time.Time, opt reports.Options) (map[string]reports.File, reports.Stats) {
		t.Helper()
		if !asOf.Equal(fixtureAsOf) {
			runTransform(t, s, asOf)
		}
		run, err := reports.RunFor(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		opt.Workers = 2
		g, err := reports.New(s, nil, out, opt)
		if err != nil {
			t.Fatal(err)
		}
		files, err := g.All(ctx, run, p)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]reports.File{}
		for _, f := range files {
			if !f.AsOf.Equal(asOf) || !strings.HasPrefix(f.Path, asOf.Format(time.DateOnly)+"/") {
				t.Errorf("%s: returned for as-of %s, want %s", f.Path, f.AsOf, asOf)
			}
			m[strings.TrimPrefix(f.Path, asOf.Format(time.DateOnly)+"/")] = f
		}
		return m, g.Stats()
	}
	full := func(f reports.File) string { return filepath.Join(out, filepath.FromSlash(f.Path)) }
	sameFile := func(t *testing.T, a, b reports.File) bool {
		t.Helper()
		ai, err := os.Stat(full(a))
		if err != nil {
			t.Fatal(err)
		}
		bi, err := os.Stat(full(b))
		if err != nil {
			t.Fatal(err)
		}
		return os.SameFile(ai, bi)
	}
	// manifest is the new date's manifest rows: path in the partner folder → size, sha256, mtime.
	manifest := func(t *testing.T, asOf time.Time) map[string]string {
		t.Helper()
		m := map[string]string{}
		for _, r := range testkit.Rows(t, s, `SELECT path, size_bytes || ' ' || sha256 || ' ' || mtime_ns FROM report_files
			WHERE as_of = ? AND audience = 'partner' ORDER BY path`, asOf) {
			rel, rest, _ := strings.Cut(r, "|")
			m[strings.TrimPrefix(rel, asOf.Format(time.DateOnly)+"/")] = rest
		}
		return m
	}

	first, st := generate(t, day(0), reports.Options{})
	if st.Kept != 0 || st.Linked != 0 || st.Partners < 3 {
		t.Fatalf("first as-of date: %+v, want every partner rendered", st)
	}
	partners := st.Partners

	t.Run("unchanged facts: every partner linked, same bytes, no rendering", func(t *testing.T) {
		second, st := generate(t, day(1), reports.Options{})
		if st.Partners != partners || st.Kept != partners || st.Linked != partners || st.XLSXTime != 0 || st.CSVTime != 0 || st.ParqTime != 0 {
			t.Fatalf("stats %+v: want all %d partners linked and nothing rendered", st, partners)
		}
		if len(second) != len(first) {
			t.Fatalf("%d files, the day before %d", len(second), len(first))
		}
		rows1, rows2 := manifest(t, day(0)), manifest(t, day(1))
		if len(rows2) != len(first) {
			t.Fatalf("%d manifest rows for the new date, want %d", len(rows2), len(first))
		}
		for rel, f := range first {
			g, ok := second[rel]
			switch {
			case !ok:
				t.Errorf("%s: not given for the new date", rel)
			case g.SHA256 != f.SHA256 || g.Size != f.Size || !g.ModTime.Equal(f.ModTime):
				t.Errorf("%s: %d %s %s, the day before %d %s %s", rel, g.Size, g.SHA256, g.ModTime, f.Size, f.SHA256, f.ModTime)
			case !sameFile(t, f, g):
				t.Errorf("%s: not a hard link of the day before's file", rel)
			case rows2[rel] == "" || rows2[rel] != rows1[rel]:
				t.Errorf("%s: manifest row %q, the day before %q", rel, rows2[rel], rows1[rel])
			}
		}
	})

	t.Run("a rerun of the new date keeps every file in place", func(t *testing.T) {
		before := manifestRows(t, s)
		_, st := generate(t, day(1), reports.Options{})
		if st.Kept != partners || st.Linked != 0 {
			t.Fatalf("stats %+v: want all %d kept in place", st, partners)
		}
		if after := manifestRows(t, s); !equal(after, before) {
			t.Errorf("the rerun changed the manifest")
		}
	})

	t.Run("one partner's rows change: it is rendered, the others linked", func(t *testing.T) {
		testkit.Exec(t, s, `UPDATE orders SET estimated_charges = estimated_charges + 1 WHERE publisher_id = 'p-fabrikam'`)
		prev := manifest(t, day(1))
		third, st := generate(t, day(2), reports.Options{})
		if st.Kept != partners-1 || st.Linked != partners-1 {
			t.Fatalf("stats %+v: want all but p-fabrikam linked", st)
		}
		changed := 0
		for rel, f := range third {
			was := strings.Fields(prev[rel])
			if f.PartnerID == "p-fabrikam" {
				if f.SHA256 != was[1] {
					changed++
				}
				continue
			}
			if f.SHA256 != was[1] {
				t.Errorf("%s of %s changed", rel, f.PartnerID)
			}
		}
		if changed == 0 {
			t.Error("none of p-fabrikam's files changed")
		}
	})

	t.Run("a partner's new name renders it", func(t *testing.T) {
		testkit.Exec(t, s, `UPDATE partners SET partner_name = 'Contoso Labs International' WHERE partner_id = 'p-contoso-labs'`)
		files, st := generate(t, day(3), reports.Options{})
		if st.Linked != partners-1 {
			t.Fatalf("stats %+v: want all but p-contoso-labs linked", st)
		}
		for _, f := range files {
			if f.PartnerID == "p-contoso-labs" && sameFile(t, f, reports.File{Path: strings.Replace(f.Path, day(3).Format(time.DateOnly), day(2).Format(time.DateOnly), 1)}) {
				t.Errorf("%s was linked, not rendered", f.Path)
			}
		}
	})

	t.Run("an earlier folder removed, or a file changed on disk: rendered again", func(t *testing.T) {
		if err := os.RemoveAll(filepath.Join(out, day(3).Format(time.DateOnly), "p-contoso")); err != nil {
			t.Fatal(err)
		}
		var victim reports.File
		for _, f := range first {
			if f.PartnerID == "p-fabrikam" && f.Format == reports.CSV {
				victim = f
				break
			}
		}
		rel := strings.Replace(victim.Path, day(0).Format(time.DateOnly), day(3).Format(time.DateOnly), 1)
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)-3] ^= 1 // same size, other bytes, a later modification time
		if err := os.Remove(filepath.Join(out, filepath.FromSlash(rel))); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, filepath.FromSlash(rel)), b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, st := generate(t, day(4), reports.Options{})
		if st.Linked != partners-2 || st.Kept != partners-2 {
			t.Fatalf("stats %+v: want p-contoso and p-fabrikam rendered, the %d others linked", st, partners-2)
		}
	})

	t.Run("removing the earlier dates' folders leaves the later files whole", func(t *testing.T) {
		for n := range 4 {
			if err := os.RemoveAll(filepath.Join(out, day(n).Format(time.DateOnly))); err != nil {
				t.Fatal(err)
			}
		}
		testkit.Exec(t, s, `DELETE FROM report_files WHERE as_of < ?`, day(4))
		if n := manifestMatchesDisk(t, s, out); n != len(first) {
			t.Errorf("%d manifest rows checked, want %d", n, len(first))
		}
	})

	t.Run("a new build renders every partner", func(t *testing.T) {
		_, st := generate(t, day(5), reports.Options{Build: "the next release"})
		if st.Kept != 0 || st.Linked != 0 || st.Partners != partners {
			t.Fatalf("stats %+v: want every partner rendered", st)
		}
		if _, st := generate(t, day(6), reports.Options{Build: "the next release"}); st.Linked != partners {
			t.Fatalf("the day after: stats %+v, want every partner linked", st)
		}
	})

	t.Run("RenderAll renders every partner", func(t *testing.T) {
		_, st := generate(t, day(7), reports.Options{Build: "the next release", RenderAll: true})
		if st.Kept != 0 || st.Linked != 0 || st.Partners != partners {
			t.Fatalf("stats %+v: want every partner rendered", st)
		}
	})

	t.Run("an earlier file gone after the decision to link: that partner is rendered", func(t *testing.T) {
		victim := filepath.Join(out, day(7).Format(time.DateOnly), "p-contoso", "insights_"+p.Suffix()+".xlsx")
		restore := reports.SetAfterPlans(func() {
			if err := os.Remove(victim); err != nil && !os.IsNotExist(err) {
				t.Error(err)
			}
		})
		defer restore()
		files, st := generate(t, day(8), reports.Options{Build: "the next release"})
		if st.Partners != partners || st.Linked != partners-1 {
			t.Fatalf("stats %+v: want p-contoso rendered, the %d others linked", st, partners-1)
		}
		rendered := 0
		for _, f := range files {
			if f.PartnerID != "p-contoso" {
				continue
			}
			if _, err := os.Stat(full(f)); err != nil {
				t.Errorf("%s: %v", f.Path, err)
			}
			rendered++
		}
		if rendered == 0 {
			t.Error("no files for p-contoso")
		}
	})
}

func manifestRows(t *testing.T, s *duckstore.Store) []string {
	t.Helper()
	return testkit.Rows(t, s, `SELECT path || ' ' || sha256 || ' ' || CAST(created_at AS VARCHAR) FROM report_files ORDER BY path`)
}

// TestDigestWithoutOrderBy: the digest of every partner report, run without
// the query's closing ORDER BY (a sort DuckDB would not drop inside the
// digest's subquery), is the digest of the whole query, for every partner of
// the fixtures; and the closing ORDER BY is indeed left out.
func TestDigestWithoutOrderBy(t *testing.T) {
	s, _ := fixtureStore(t)
	p := fixturePeriod(t)
	args := []any{"", "\U0010FFFF", p.First(), p.Month} // every partner id sorts between these
	for _, r := range reports.Catalog() {
		t.Run(r.Name, func(t *testing.T) {
			run, whole, err := reports.DigestQueries(r)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Count(run, "\nORDER BY ") != 1 || strings.Count(whole, "\nORDER BY ") != 2 {
				t.Fatalf("the closing ORDER BY was not left out:\n%s", run)
			}
			got := testkit.Rows(t, s, run, args...)
			want := testkit.Rows(t, s, whole, args...)
			if len(got) == 0 || !equal(got, want) {
				t.Errorf("digests without ORDER BY\n%v\nwith it\n%v", got, want)
			}
		})
	}
}
