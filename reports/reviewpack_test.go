package reports_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

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
	want = append(want, reports.DefinitionsSheet, render.MetadataSheet)
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sheets %q, want %q", got, want)
	}
	// The first sheet starts with the title block (title, 3 rows, a blank
	// row): its header is row 6; the other sheets' header is row 1.
	cells := []struct{ sheet, cell, want string }{
		{"Tier status", "A1", "Rewards review pack as of 2025-07-05"},
		{"Tier status", "A2", "As of"},
		{"Tier status", "B2", "2025-07-05"},
		{"Tier status", "A6", "PGA"},
		{"Tier status", "A7", "pga-fabrikam"}, // highest tier first
		{"Tier status", "D7", "Tier 1"},
		{"Tier status", "E7", "30,066.00"},
		{"Tier status", "M7", "missing: a contact email other than the account email"},
		{"Tier status", "C8", "p-contoso, p-contoso-labs"},
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
	t.Run("conditional formats", func(t *testing.T) {
		// sheet → range → the formulas that colour it, in order.
		want := map[string]map[string][]string{
			"Tier status": {"M7:M9": {`LEFT($M7,LEN("missing"))="missing"`}},
			"Unlocks": {
				"K2:K2": {`LEFT($K2,LEN("missing"))="missing"`},
				"M2:M2": {`$M2="approve"`, `$M2="reject"`},
			},
			"SLA offer contact": {
				"J2:J4": {`$J2="overdue"`, `$J2="late"`},
				"K2:K4": {`$J2="overdue"`, `$J2="late"`},
			},
			"Decisions": {"F2:F3": {`$F2="approve"`, `$F2="reject"`}},
		}
		for sheet, ranges := range want {
			cfs, err := f.GetConditionalFormats(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(cfs) != len(ranges) {
				t.Errorf("%s: %d formatted ranges %v, want %d", sheet, len(cfs), keys(cfs), len(ranges))
			}
			for ref, formulas := range ranges {
				got := cfs[ref]
				if len(got) != len(formulas) {
					t.Errorf("%s!%s: %d formats, want %d (have %v)", sheet, ref, len(got), len(formulas), keys(cfs))
					continue
				}
				for i, fm := range formulas {
					if got[i].Type != "formula" || got[i].Criteria != fm || got[i].Format == nil {
						t.Errorf("%s!%s #%d: %s %q, want formula %q", sheet, ref, i, got[i].Type, got[i].Criteria, fm)
					}
				}
			}
		}
	})

	t.Run("an empty sheet says so", func(t *testing.T) {
		rows, err := f.GetRows("SLA activation contact")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || len(rows[1]) != 1 || rows[1][0] != "No breaches as of 2025-07-05" {
			t.Errorf("SLA activation contact rows %q, want the header and \"No breaches as of 2025-07-05\"", rows)
		}
		if m := metadata(t, f); m["Rows: SLA activation contact"] != "0" {
			t.Errorf("the note counts as a row: %q", m["Rows: SLA activation contact"])
		}
	})

	t.Run("tier overview chart", func(t *testing.T) {
		got := readCharts(t, filepath.Join(out, filepath.FromSlash(files[0].Path)), "xl/worksheets/sheet1.xml")
		want := []chartInfo{{"A11", "bar", 2, "Trailing billed sales (USD) against the next tier threshold"}}
		if len(got) != 1 || got[0] != want[0] {
			t.Errorf("charts %+v, want %+v (under the table)", got, want)
		}
	})

	// The pack is internal and covers every company: its Definitions are
	// its own, never the partner workbook's "your partner's rows" (issue 21).
	t.Run("its own definitions", func(t *testing.T) {
		rows, err := f.GetRows(reports.DefinitionsSheet)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(rows[0], "|"); got != "Sheet|Column|What it means and how it is computed" {
			t.Errorf("header %q: the pack's columns match no Partner Center field", got)
		}
		topics := map[string]bool{}
		you := regexp.MustCompile(`(?i)\b(you|your)\b`)
		for _, r := range rows[1:] {
			if len(r) >= 2 && r[0] == "All sheets" {
				topics[r[1]] = true
			}
			if text := strings.Join(r, " "); you.MatchString(text) || strings.Contains(text, "your partner") {
				t.Errorf("definition speaks to a partner: %q", text)
			}
		}
		for _, want := range []string{"Internal", "Companies", "Decisions", "SLAs"} {
			if !topics[want] {
				t.Errorf("no rule %q among %v", want, topics)
			}
		}
		for _, partnerOnly := range []string{"Your data only", "Masking"} {
			if topics[partnerOnly] {
				t.Errorf("the partner workbook's rule %q is in the pack", partnerOnly)
			}
		}
	})

	// Printed, a date never runs into the text beside it ("2025-06-30
	// Tier 2"): dates align right, text left with an indent, and each header
	// as its column.
	t.Run("alignment", func(t *testing.T) {
		// The first sheet's long headers wrap onto two lines (its chart sits
		// below the table), so that the table fits the page's width.
		if h, err := f.GetRowHeight("Tier status", 6); err != nil || h != 30 {
			t.Errorf("Tier status header row %v points high (%v), want two lines", h, err)
		}
		for _, c := range []struct {
			cell, want string
			indent     int
		}{{"G6", "right", 0}, {"G7", "right", 0}, {"H6", "left", 1}, {"H7", "left", 1}, {"E7", "right", 0}} {
			id, err := f.GetCellStyle("Tier status", c.cell)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil || st.Alignment == nil || st.Alignment.Horizontal != c.want || st.Alignment.Indent != c.indent {
				t.Errorf("Tier status!%s: alignment %+v, want %s indent %d", c.cell, st.Alignment, c.want, c.indent)
			}
		}
	})

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

// TestUnlocksPendingDecision: an unlock nobody has decided yet reads
// "pending" in the pack's Unlocks, not a blank.
func TestUnlocksPendingDecision(t *testing.T) {
	s, _ := fixtureStore(t)
	r, err := reports.Lookup("review_unlocks")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Exec(context.Background(), `DELETE FROM review_decisions`); err != nil {
		t.Fatal(err)
	}
	rows := tableRows(t, s, r, []any{time.Date(2025, 7, 5, 0, 0, 0, 0, time.UTC)})
	if len(rows) == 0 {
		t.Fatal("no unlocks")
	}
	for _, row := range rows {
		if row["latest_decision"] != "pending" || row["decisions"] != "0" {
			t.Errorf("unlock %s: latest decision %q after %s decisions, want pending", row["unlock_id"], row["latest_decision"], row["decisions"])
		}
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
	if len(rows) != 2 || rows[0][0] != "Month" || rows[1][0] != "No orders in 2025-01 to 2025-06 (6 months)" {
		t.Errorf("Orders detail of a partner without orders: %v, want the header and a note", rows)
	}
	if v, _ := x.GetCellValue("Summary", "D10"); v != "0" {
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

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
