package reports_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// langFiles writes p-contoso's files for the fixture period with the
// workbook forced into lang: the out folder and the files by name.
func langFiles(t *testing.T, s *duckstore.Store, run reports.Run, lang i18n.Lang) (string, map[string]reports.File) {
	t.Helper()
	g, out := generator(t, s, reports.Options{Lang: lang})
	files, err := g.Partner(context.Background(), run, "p-contoso", fixturePeriod(t))
	if err != nil {
		t.Fatal(err)
	}
	return out, filesByName(files)
}

// TestWorkbookLanguages writes the partner workbook in English, French,
// Chinese and the pseudo language from the same rows and checks what a
// language may and may not change.
var runIDRe = regexp.MustCompile(`\br[0-9a-f]{12}\b`)

func TestWorkbookLanguages(t *testing.T) {
	s, _ := fixtureStore(t)
	run := runFor(t, s)
	run.GeneratedAt = time.Date(2025, 7, 5, 6, 30, 0, 0, time.UTC) // the goldens show it
	langs := []i18n.Lang{i18n.English, i18n.French, i18n.Chinese, i18n.Pseudo}
	outs := map[i18n.Lang]string{}
	files := map[i18n.Lang]map[string]reports.File{}
	books := map[i18n.Lang]*excelize.File{}
	for _, l := range langs {
		outs[l], files[l] = langFiles(t, s, run, l)
		books[l] = openXLSX(t, filepath.Join(outs[l], filepath.FromSlash(files[l]["insights_2025-06_6m.xlsx"].Path)))
	}

	// The Summary of each language, read back (values as shown, stored
	// values, number formats, layout) and its charts, against
	// testdata/golden/workbook/summary_<lang>.txt. Refresh: go test
	// ./reports/ -run TestWorkbookLanguages -update, and read the diff.
	for _, l := range []i18n.Lang{i18n.English, i18n.French, i18n.Chinese} {
		t.Run("summary golden "+string(l), func(t *testing.T) {
			f := books[l]
			sheet := f.GetSheetList()[0]
			got := sheetText(t, f, sheet)
			for _, c := range readCharts(t, filepath.Join(outs[l], filepath.FromSlash(files[l]["insights_2025-06_6m.xlsx"].Path)), "xl/worksheets/sheet1.xml") {
				got += fmt.Sprintf("chart %s %s series=%d %q\n", c.Anchor, c.Type, c.Series, c.Title)
			}
			// The run id hashes every step's SQL: a golden of the words and
			// figures must not change with an unrelated step.
			got = runIDRe.ReplaceAllString(got, "r<run id>")
			golden(t, "workbook/summary_"+string(l)+".txt", got)
		})
	}

	t.Run("a language never changes a figure", func(t *testing.T) {
		want := numericCells(t, books[i18n.English])
		if len(want) < 500 {
			t.Fatalf("only %d numeric cells in the English workbook", len(want))
		}
		for _, l := range langs[1:] {
			got := numericCells(t, books[l])
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: %s is %q, in English %q", l, k, got[k], v)
				}
			}
			for k, v := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("%s: %s holds the number %q, the English cell does not", l, k, v)
				}
			}
		}
	})

	t.Run("CSV and Parquet files are the same in every language", func(t *testing.T) {
		n := 0
		for name, f := range files[i18n.English] {
			if strings.HasSuffix(name, ".xlsx") {
				continue
			}
			want, err := os.ReadFile(filepath.Join(outs[i18n.English], filepath.FromSlash(f.Path)))
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range langs[1:] {
				got, err := os.ReadFile(filepath.Join(outs[l], filepath.FromSlash(files[l][name].Path)))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs in %s", name, l)
				}
			}
			n++
		}
		if n != len(reports.Catalog())+4 {
			t.Errorf("compared %d data files, want %d", n, len(reports.Catalog())+4)
		}
	})

	t.Run("the languages differ where they should", func(t *testing.T) {
		for _, l := range []i18n.Lang{i18n.French, i18n.Chinese} {
			en, other := books[i18n.English].GetSheetList(), books[l].GetSheetList()
			if len(en) != len(other) {
				t.Fatalf("%s: %d sheets, English %d", l, len(other), len(en))
			}
			for i := range en {
				if en[i] == other[i] && en[i] != "Revenue" {
					t.Errorf("%s: sheet %d is still named %q", l, i, en[i])
				}
			}
		}
		fr := books[i18n.French]
		sheet := fr.GetSheetList()[0]
		for _, c := range []struct{ cell, want string }{{"A1", "Marketplace Insights : Contoso (p-contoso)"}, {"A2", "Partenaire"}} {
			if got := cell(t, fr, sheet, c.cell); got != c.want {
				t.Errorf("French Summary %s = %q, want %q", c.cell, got, c.want)
			}
		}
	})

	t.Run("every text of the pseudo workbook is a catalog text or data", func(t *testing.T) {
		data := dataFields(t, outs[i18n.Pseudo], files[i18n.Pseudo])
		data[run.ID] = true
		data[i18n.English.Name()] = true // a language's name is written in that language, in every language
		f := books[i18n.Pseudo]
		plain := regexp.MustCompile(`^[-+0-9.,:/ TZ%()]*$`) // numbers, dates, times, ids made of digits
		checked := 0
		for _, sheet := range f.GetSheetList() {
			if !strings.Contains(sheet, i18n.PseudoOpen) {
				t.Errorf("sheet %q: its name is not from the catalog", sheet)
			}
			rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range rows {
				for j, v := range r {
					if v == "" || plain.MatchString(v) || strings.Contains(v, i18n.PseudoOpen) || data[v] {
						continue
					}
					if _, err := strconv.ParseFloat(v, 64); err == nil {
						continue
					}
					ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
					t.Errorf("%s!%s = %q: neither from the catalog nor data", sheet, ref, v)
				}
				checked += len(r)
			}
		}
		if checked < 1000 {
			t.Errorf("only %d cells checked", checked)
		}
		for _, c := range readCharts(t, filepath.Join(outs[i18n.Pseudo], filepath.FromSlash(files[i18n.Pseudo]["insights_2025-06_6m.xlsx"].Path)), "xl/worksheets/sheet1.xml") {
			if !strings.Contains(c.Title, i18n.PseudoOpen) {
				t.Errorf("chart title %q is not from the catalog", c.Title)
			}
		}
	})
}

// numericCells are the numbers of every sheet but Metadata (its run id and
// times are the same, but it counts rows by sheet name), keyed by sheet
// position and cell.
func numericCells(t *testing.T, f *excelize.File) map[string]string {
	t.Helper()
	out := map[string]string{}
	sheets := f.GetSheetList()
	for i, sheet := range sheets[:len(sheets)-1] {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if _, err := strconv.ParseFloat(v, 64); err != nil || v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				out[fmt.Sprintf("sheet %d %s", i+1, ref)] = v
			}
		}
	}
	return out
}

// dataFields are the values of the data rows of a partner's CSV files (not
// their header rows, which are English on purpose), and the partner's own
// facts: what a workbook may show that no catalog wrote.
func dataFields(t *testing.T, out string, files map[string]reports.File) map[string]bool {
	t.Helper()
	data := map[string]bool{"p-contoso": true, "Contoso": true, "Contoso Ltd": true, "pga-contoso": true, "***": true}
	var names []string
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !strings.HasSuffix(name, ".csv") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(files[name].Path)))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range recs[1:] {
			for _, v := range r {
				data[v] = true
			}
		}
	}
	return data
}
