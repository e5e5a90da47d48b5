package reports_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/reports/render"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

func TestReviewPack(t *testing.T) {
	ctx := context.Background()
	s, tr := fixtureStore(t)
	g, out := generator(t, s, reports.Options{})
	files, err := g.ReviewPack(ctx, runFor(t, s))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1+len(reports.ReviewCatalog()) {
		t.Fatalf("%d files, want the workbook and a CSV per report", len(files))
	}
	for _, f := range files {
		if f.PartnerID != "" || f.Audience != reports.Rewards || !strings.HasPrefix(f.Path, "2025-07-05/_rewards/") {
			t.Errorf("file %+v: want a rewards file under 2025-07-05/_rewards", f)
		}
	}
	if files[0].Name != "review_pack.xlsx" {
		t.Fatalf("first file %s", files[0].Name)
	}
	f := openXLSX(t, filepath.Join(out, filepath.FromSlash(files[0].Path)))
	var want []string
	for _, r := range reports.ReviewCatalog() {
		want = append(want, r.Sheet)
	}
	want = append(want, render.MetadataSheet)
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sheets %q, want %q", got, want)
	}
	cells := []struct{ sheet, cell, want string }{
		{"Tier status", "A2", "pga-fabrikam"}, // highest tier first
		{"Tier status", "D2", "Tier 1"},
		{"Tier status", "E2", "30,066.00"},
		{"Tier status", "M2", "missing: email equals the account email"},
		{"Tier status", "C3", "p-contoso, p-contoso-labs"},
		{"Unlocks", "A2", "pga-fabrikam:tier-1"},
		{"Unlocks", "E2", "2025-06-30"},
		{"Unlocks", "M2", "approve"},
		{"Unlocks", "Q2", "2"},
		{"SLA offer contact", "J2", "overdue"},
		{"SLA offer contact", "K2", "307"},
		{"Decisions", "F2", "approve"}, // newest first
		{"Decisions", "F3", "defer"},
	}
	for _, c := range cells {
		got, err := f.GetCellValue(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
	if m := metadata(t, f); m["Run ID"] != tr.ID || m["As of"] != "2025-07-05" {
		t.Errorf("metadata %v", m)
	}
	var n int
	if err := s.QueryRow(ctx, `SELECT count(*) FROM report_files WHERE audience = 'rewards' AND partner_id IS NULL AND period = '2025-07-05'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(files) {
		t.Errorf("%d manifest rows for %d files", n, len(files))
	}
}

// TestPartnerWithoutData: a registered partner with no data, and an id that
// is no file name, still gets a valid workbook in a safe folder.
func TestPartnerWithoutData(t *testing.T) {
	ctx := context.Background()
	s, _ := fixtureStore(t)
	g, out := generator(t, s, reports.Options{})
	files, err := g.Partner(ctx, runFor(t, s), "Odd/Partner #1", fixturePeriod(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := "2025-07-05/" + reports.SafeName("Odd/Partner #1") + "/"
	for _, f := range files {
		if !strings.HasPrefix(f.Path, dir) || f.PartnerID != "Odd/Partner #1" {
			t.Errorf("file %s of %q, want it under %s", f.Path, f.PartnerID, dir)
		}
	}
	x := openXLSX(t, filepath.Join(out, filepath.FromSlash(files[0].Path)))
	rows, err := x.GetRows("Orders detail")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0][0] != "Month" {
		t.Errorf("Orders detail of a partner without orders: %v", rows)
	}
	if v, _ := x.GetCellValue("Summary", "D2"); v != "0" {
		t.Errorf("Summary new orders %q, want 0", v)
	}
	if _, err := g.Partner(ctx, runFor(t, s), "p-nobody", fixturePeriod(t)); err == nil {
		t.Error("an unknown partner was accepted")
	}
}

// TestRunMustMatchAsOf: reports of an as-of other than the last transform
// run's are refused, since the derived tables hold that run only.
func TestRunMustMatchAsOf(t *testing.T) {
	ctx := context.Background()
	s, tr := fixtureStore(t)
	if _, err := reports.RunFor(ctx, s, fixtureAsOf.AddDate(0, 0, 1)); err == nil || !strings.Contains(err.Error(), "transform --as-of 2025-07-06") {
		t.Errorf("err = %v, want a pointer to the transform", err)
	}
	run, err := reports.LatestRun(ctx, s)
	if err != nil || run.ID != tr.ID || !run.AsOf.Equal(fixtureAsOf) || run.GeneratedAt.IsZero() {
		t.Errorf("latest run %+v, %v; transform ran %+v", run, err, tr)
	}
	if _, err := reports.LatestRun(ctx, testkit.Open(t)); err != reports.ErrNoRun {
		t.Errorf("empty database: %v, want ErrNoRun", err)
	}
}
