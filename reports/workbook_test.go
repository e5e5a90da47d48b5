package reports_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/reports/render"
)

// openXLSX opens a generated workbook for reading.
func openXLSX(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// numFmt is the number format of a cell: the custom code, or the built-in id.
func numFmt(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	return map[int]string{0: "General", 3: "#,##0", 4: "#,##0.00"}[st.NumFmt]
}

// metadata reads the Metadata sheet into a map.
func metadata(t *testing.T, f *excelize.File) map[string]string {
	t.Helper()
	rows, err := f.GetRows(render.MetadataSheet)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range rows[1:] {
		if len(r) == 2 {
			m[r[0]] = r[1]
		}
	}
	return m
}

func TestPartnerWorkbook(t *testing.T) {
	ctx := context.Background()
	s, tr := fixtureStore(t)
	run := runFor(t, s)
	g, out := generator(t, s, reports.Options{})
	files, err := g.Partner(ctx, run, "p-contoso", fixturePeriod(t))
	if err != nil {
		t.Fatal(err)
	}
	byName := filesByName(files)
	wantFiles := 1 + len(reports.Catalog()) + 4 // workbook, a CSV per report, Parquet for the 4 detail reports (revenue too)
	if len(files) != wantFiles {
		t.Errorf("%d files, want %d", len(files), wantFiles)
	}
	wb, ok := byName["insights_2025-06_6m.xlsx"]
	if !ok {
		t.Fatalf("no workbook among %v", files)
	}
	if wb.Path != "2025-07-05/p-contoso/insights_2025-06_6m.xlsx" {
		t.Errorf("workbook path %q", wb.Path)
	}
	for _, name := range []string{"orders_detail_2025-06_6m.parquet", "usage_detail_2025-06_6m.parquet", "customers_detail_2025-06_6m.parquet"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("no %s", name)
		}
	}
	f := openXLSX(t, filepath.Join(out, filepath.FromSlash(wb.Path)))

	t.Run("sheets", func(t *testing.T) {
		var want []string
		for _, r := range reports.Catalog() {
			want = append(want, r.Sheet)
		}
		want = append(want, reports.DefinitionsSheet, render.MetadataSheet)
		if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("sheets\n got %q\nwant %q", got, want)
		}
	})

	cells := []struct {
		sheet, cell, value, format string
	}{
		{"Orders trend", "A2", "2025-01", "yyyy-mm"},
		{"Orders trend", "F7", "4", "#,##0"},
		{"Usage trend", "E7", "63.58", "#,##0.00"},
		{"Usage trend", "D7", "190.50", "#,##0.00##"},
		{"Usage trend", "E1", "Estimated charges (USD)", "General"},
		{"Campaigns trend", "K7", "66.7%", "0.0%"},
		{"Customers detail", "C5", "***", "General"},
		{"Customers detail", "I2", "2025-01-15", "yyyy-mm-dd"},
		{"Orders detail", "AD2", "2025-01-15 10:00:00", "yyyy-mm-dd hh:mm:ss"},
	}
	for _, c := range cells {
		t.Run("cell "+c.sheet+"!"+c.cell, func(t *testing.T) {
			got, err := f.GetCellValue(c.sheet, c.cell)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.value {
				t.Errorf("value %q, want %q", got, c.value)
			}
			if got := numFmt(t, f, c.sheet, c.cell); got != c.format {
				t.Errorf("number format %q, want %q", got, c.format)
			}
		})
	}

	t.Run("frozen header and autofilter", func(t *testing.T) {
		for _, sheet := range []string{"Orders trend", "Usage detail"} { // the Summary scrolls with its title block
			p, err := f.GetPanes(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
				t.Errorf("%s: panes %+v, want the header row frozen", sheet, p)
			}
		}
	})

	t.Run("metadata", func(t *testing.T) {
		m := metadata(t, f)
		want := map[string]string{
			"Partner": "p-contoso", "Partner name": "Contoso", "Period": "2025-06",
			"Window": "2025-01 to 2025-06 (6 months)", "As of": "2025-07-05", "Run ID": tr.ID,
			"Generated at":       run.GeneratedAt.Format(time.RFC3339),
			"Rows: Orders trend": "6", "Rows: Orders detail": "21", "Rows: Customers detail": "6",
		}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("metadata %q = %q, want %q", k, m[k], v)
			}
		}
	})
}

// TestRowLimitSplit: past the row limit a sheet continues on numbered sheets,
// and no row is lost or repeated.
func TestRowLimitSplit(t *testing.T) {
	ctx := context.Background()
	s, _ := fixtureStore(t)
	g, out := generator(t, s, reports.Options{Formats: []string{reports.XLSX}, MaxRows: 5})
	files, err := g.Partner(ctx, runFor(t, s), "p-contoso", fixturePeriod(t))
	if err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, filepath.Join(out, filepath.FromSlash(files[0].Path)))
	wantParts := []string{"Orders detail", "Orders detail (2)", "Orders detail (3)", "Orders detail (4)", "Orders detail (5)"}
	var ids []string
	for _, sheet := range wantParts {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("sheet %s: %v", sheet, err)
		}
		if rows[0][0] != "Month" {
			t.Errorf("%s: no header row", sheet)
		}
		if len(rows)-1 > 5 {
			t.Errorf("%s: %d data rows, limit 5", sheet, len(rows)-1)
		}
		for _, r := range rows[1:] {
			ids = append(ids, r[2]) // line item id
		}
	}
	if _, err := f.GetRows("Orders detail (6)"); err == nil {
		t.Error("a sixth part for 21 rows")
	}
	if len(ids) != 21 {
		t.Fatalf("%d order lines over the parts, want 21", len(ids))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("line %s twice", id)
		}
		seen[id] = true
	}
	if m := metadata(t, f); m["Rows: Orders detail (5)"] != "1" {
		t.Errorf("metadata rows of the last part = %q, want 1", m["Rows: Orders detail (5)"])
	}
}
