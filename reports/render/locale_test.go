package render

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/xuri/excelize/v2"
)

// TestWriteXLSXLocale: a Locale sets the number formats of cells (a
// currency's own where the column has one), the chart axes' formats and the
// renderer's own texts; Display changes the text shown, and the highlights
// that test the column compare with the shown text; the values stay.
func TestWriteXLSXLocale(t *testing.T) {
	mem := newAlloc(t)
	wb := fullBook(t)
	schema := arrow.NewSchema([]arrow.Field{{Name: "status", Type: arrow.BinaryTypes.String}, {Name: "n", Type: arrow.PrimitiveTypes.Int64}}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"overdue", "Acme"}, nil)
	b.Field(1).(*array.Int64Builder).AppendValues([]int64{1234, 5}, nil)
	rec := b.NewRecordBatch()
	release(t, rec)
	words := map[string]string{"overdue": "en retard"}
	wb.Sheets = append(wb.Sheets, Table{Name: "Statuts", Records: []arrow.RecordBatch{rec},
		Columns: []Column{
			{Name: "status", Header: "État", Display: func(s string) string {
				if w, ok := words[s]; ok {
					return w
				}
				return s
			}},
			{Name: "n", Header: "Nombre", Format: Integer},
		},
		Highlights: []Highlight{{Column: "status", Op: "=", Value: "overdue", Tone: Bad}}})
	wb.Locale = &Locale{
		NumFmts:       map[Format]string{Integer: "[$-40C]#,##0", Money: "[$-40C]#,##0.00", Month: "[$-40C]mmm yyyy"},
		MoneyFmts:     map[string]string{"USD": "[$-40C]#,##0.00\" $US\""},
		ChartNumFmts:  map[Format]string{Integer: "[$-40C]#,##0", Month: "[$-40C]mmm yyyy"},
		Widths:        map[Format]int{Month: 3},
		MetadataSheet: "Métadonnées", Key: "Clé", Value: "Valeur", RowsLabel: "Lignes : ", Page: "Page &P sur &N",
	}
	f, data, _ := writeBook(t, wb, Options{})
	for _, c := range []struct{ sheet, cell, want string }{
		{"Summary", "A2", "[$-40C]mmm yyyy"},
		{"Summary", "B2", "[$-40C]#,##0"},
		{"Summary", "C2", "[$-40C]#,##0.00\" $US\""}, // Money in USD
		{"Statuts", "B2", "[$-40C]#,##0"},
	} {
		if _, got := numFmtOf(t, f, c.sheet, c.cell); got != c.want {
			t.Errorf("%s!%s: format %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
	if v, _ := f.GetCellValue("Statuts", "A2"); v != "en retard" {
		t.Errorf("Display: A2 = %q", v)
	}
	if v, _ := f.GetCellValue("Statuts", "A3"); v != "Acme" {
		t.Errorf("Display keeps data: A3 = %q", v)
	}
	if v, _ := f.GetCellValue("Statuts", "B2", excelize.Options{RawCellValue: true}); v != "1234" {
		t.Errorf("the number stays: B2 = %q", v)
	}
	if x := sheetXML(t, f, data, "Statuts"); !strings.Contains(x, "$A2=&#34;en retard&#34;") {
		t.Errorf("the highlight does not test the shown text: %s", x[strings.Index(x, "<conditionalFormatting"):][:300])
	}
	sheets := f.GetSheetList()
	if sheets[len(sheets)-1] != "Métadonnées" {
		t.Errorf("last sheet %q", sheets[len(sheets)-1])
	}
	if v, _ := f.GetCellValue("Métadonnées", "A1"); v != "Clé" {
		t.Errorf("metadata header %q", v)
	}
	rows, _ := f.GetRows("Métadonnées")
	found := false
	for _, r := range rows {
		found = found || (len(r) > 0 && r[0] == "Lignes : Statuts")
	}
	if !found {
		t.Errorf("no row count line 'Lignes : Statuts' in %q", rows)
	}
	if x := sheetXML(t, f, data, "Statuts"); !strings.Contains(x, "Page &amp;P sur &amp;N") {
		t.Error("footer page number is not the Locale's")
	}
	if c := zipFile(t, data, "xl/charts/chart1.xml"); !strings.Contains(c, `formatCode="[$-40C]mmm yyyy"`) {
		t.Error("chart axis without the Locale's month format")
	}
	if props := zipFile(t, data, "docProps/core.xml"); !strings.Contains(props, "run-42") {
		t.Error("document properties lost the run id")
	}
}
