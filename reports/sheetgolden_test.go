package reports_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// sheetText reads one sheet of a written workbook back as text a person can
// review in a golden file: the layout (frozen panes, column widths, page
// setup, autofilter-free header row), then every non-empty cell with the
// value Excel would show, the value stored and the number format. Bytes of
// the file are not compared: the same cells may be zipped differently.
func sheetText(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "sheet %q (index %d)\n", sheet, sheetIndex(t, f, sheet))
	p, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "panes: freeze=%v split=%d,%d top-left=%s\n", p.Freeze, p.XSplit, p.YSplit, p.TopLeftCell)
	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "page: %s\n", describeLayout(pl))
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	for _, r := range rows {
		last = max(last, len(r))
	}
	var widths []string
	for c := 1; c <= last; c++ {
		col, _ := excelize.ColumnNumberToName(c)
		w, err := f.GetColWidth(sheet, col)
		if err != nil {
			t.Fatal(err)
		}
		widths = append(widths, fmt.Sprintf("%s=%.4g", col, w))
	}
	fmt.Fprintf(&b, "widths: %s\n", strings.Join(widths, " "))
	for i, r := range rows {
		for j, raw := range r {
			if raw == "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			shown, err := f.GetCellValue(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			bold := ""
			if id, err := f.GetCellStyle(sheet, ref); err == nil {
				if st, err := f.GetStyle(id); err == nil && st.Font != nil && st.Font.Bold {
					bold = " bold"
				}
			}
			line := fmt.Sprintf("%s %q", ref, shown)
			if raw != shown {
				line += fmt.Sprintf(" raw=%q", raw)
			}
			if nf := numFmt(t, f, sheet, ref); nf != "General" {
				line += fmt.Sprintf(" fmt=%q", nf)
			}
			b.WriteString(line + bold + "\n")
		}
	}
	return b.String()
}

func sheetIndex(t *testing.T, f *excelize.File, sheet string) int {
	t.Helper()
	i, err := f.GetSheetIndex(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// golden compares got with testdata/golden/<name>, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (refresh with -update and review the diff):\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}
