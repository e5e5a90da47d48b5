package render

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// TestTitleBlockShiftsTheTable: a title block pushes the first table down;
// its header, autofilter, highlights and the charts drawing from it follow.
func TestTitleBlockShiftsTheTable(t *testing.T) {
	mem := newAlloc(t)
	summary := trendTable(t, mem, "Summary")
	summary.Highlights = []Highlight{{Column: "orders", Op: ">", Value: 12, Tone: Good}}
	wb := Workbook{
		Sheets: []Table{summary},
		Charts: []Chart{{Kind: ChartLine, Title: "Orders", Table: "Summary", Category: "month", Series: []string{"orders"}}},
		Title:  "Report of Contoso",
		About:  [][2]string{{"Partner", "Contoso (p-1)"}, {"Report month & window", "2025-06"}},
		Footer: "Contoso & Co",
	}
	f, data, _ := writeBook(t, wb, Options{})
	for cell, want := range map[string]string{
		"A1": "Report of Contoso", "A2": "Partner", "B2": "Contoso (p-1)", "A3": "Report month & window",
		"A4": "", "A5": "Month", "A6": "2025-01", "B6": "10",
	} {
		if got, _ := f.GetCellValue("Summary", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	if x := sheetXML(t, f, data, "Summary"); !hasAutoFilter(x, "A5:C11") {
		t.Error("no autofilter over the table under the title block")
	}
	if w, _ := f.GetColWidth("Summary", "A"); w < float64(len("Report month & window")) {
		t.Errorf("column A is %v wide: the title block's labels do not fit", w)
	}
	cfs, err := f.GetConditionalFormats("Summary")
	if err != nil {
		t.Fatal(err)
	}
	if got := cfs["B6:B11"]; len(got) != 1 || got[0].Criteria != "AND(ISNUMBER($B6),$B6>12)" {
		t.Errorf("highlights %+v", cfs)
	}
	chart := zipFile(t, data, "xl/charts/chart1.xml")
	if !strings.Contains(chart, "&#39;Summary&#39;!$A$6:$A$11") || !strings.Contains(chart, "&#39;Summary&#39;!$B$5") {
		t.Errorf("the chart does not draw the shifted table: %s", chart)
	}
	hf, err := f.GetHeaderFooter("Summary")
	if err != nil {
		t.Fatal(err)
	}
	if hf.OddFooter != "&L&8Contoso && Co&R&8Page &P of &N" || hf.OddHeader != "&L&8&A" {
		t.Errorf("header/footer %+v ('&' must be doubled)", hf)
	}
	if got, _ := f.GetSheetDimension("Summary"); got != "A1:C11" {
		t.Errorf("dimension %q", got)
	}
}

// TestChartKinds: one colour per series (never per category), a pie of one
// slice becomes a bar chart, dark titles.
func TestChartKinds(t *testing.T) {
	mem := newAlloc(t)
	one := seqTable(t, mem, "One", 1)
	two := seqTable(t, mem, "Two", 2)
	wb := Workbook{
		Sheets: []Table{seqTable(t, mem, "Summary", 1), one, two},
		Charts: []Chart{
			{Kind: ChartPie, Title: "One slice", Table: "One", Category: "label", Series: []string{"id"}},
			{Kind: ChartPie, Title: "Two slices", Table: "Two", Category: "label", Series: []string{"id"}},
			{Kind: ChartColumn, Title: "Columns", Table: "Two", Category: "label", Series: []string{"id"}},
		},
	}
	_, data, _ := writeBook(t, wb, Options{})
	tests := []struct {
		part, kind string
		vary       bool
	}{
		{"xl/charts/chart1.xml", `<c:barDir val="bar"`, false},
		{"xl/charts/chart2.xml", "<c:pieChart>", true},
		{"xl/charts/chart3.xml", `<c:barDir val="col"`, false},
	}
	for _, tc := range tests {
		c := strings.ReplaceAll(strings.ReplaceAll(zipFile(t, data, tc.part), "<c:", "<"), "</c:", "</")
		kind := strings.ReplaceAll(strings.ReplaceAll(tc.kind, "<c:", "<"), "</c:", "</")
		if !strings.Contains(c, kind) {
			t.Errorf("%s: not %s", tc.part, tc.kind)
		}
		if vary := strings.Contains(c, `<varyColors val="1"`) || strings.Contains(c, `<varyColors val="true"`); vary != tc.vary {
			t.Errorf("%s: varyColors %v, want %v", tc.part, vary, tc.vary)
		}
		if !strings.Contains(c, `<a:srgbClr val="`+darkText+`"`) {
			t.Errorf("%s: title and axis labels are not dark", tc.part)
		}
		if !tc.vary && !strings.Contains(c, `<a:srgbClr val="`+seriesColours[0]+`"`) {
			t.Errorf("%s: the series has no colour of its own", tc.part)
		}
	}
}

// TestEmptyTableSaysSo: an empty table writes its note under the header,
// not counted as a row.
func TestEmptyTableSaysSo(t *testing.T) {
	empty := Table{Name: "Breaches", Columns: ordersColumns[:3], Empty: "No breaches as of 2026-10-31"}
	f, _, st := writeBook(t, Workbook{Sheets: []Table{empty, {Name: "Other", Columns: ordersColumns[:2]}}}, Options{})
	for _, sheet := range []string{"Breaches", "Other"} {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		want := 2
		if sheet == "Other" {
			want = 1 // no note given: the header alone
		}
		if len(rows) != want {
			t.Errorf("%s: rows %q", sheet, rows)
		}
	}
	if got, _ := f.GetCellValue("Breaches", "A2"); got != "No breaches as of 2026-10-31" {
		t.Errorf("A2 = %q", got)
	}
	if st.Rows != 0 {
		t.Errorf("stats count %d rows", st.Rows)
	}
}

// TestStreamedSheetSettings: a streamed sheet (and each continuation) gets
// its dimension, print setup and conditional formats.
func TestStreamedSheetSettings(t *testing.T) {
	mem := newAlloc(t)
	x := seqTable(t, mem, "X", 5)
	x.Highlights = []Highlight{{Column: "label", Op: "begins", Value: `row "b`, Tone: Bad}}
	f, _, _ := writeBook(t, Workbook{Sheets: []Table{seqTable(t, mem, "Summary", 1), x}, Footer: "F"}, Options{MaxRows: 3})
	for sheet, dim := range map[string]string{"X": "A1:B4", "X (2)": "A1:B3", "Metadata": "A1:B4"} {
		if got, _ := f.GetSheetDimension(sheet); got != dim {
			t.Errorf("%s: dimension %q, want %q", sheet, got, dim)
		}
		pl, _ := f.GetPageLayout(sheet)
		if pl.Orientation == nil || *pl.Orientation != "landscape" || *pl.FitToWidth != 1 || *pl.FitToHeight != 0 {
			t.Errorf("%s: page layout %+v", sheet, pl)
		}
	}
	cfs, _ := f.GetConditionalFormats("X (2)")
	if got := cfs["B2:B3"]; len(got) != 1 || got[0].Criteria != `LEFT($B2,LEN("row ""b"))="row ""b"` {
		t.Errorf("continuation highlights %+v", cfs)
	}
	names := map[string]string{}
	for _, d := range f.GetDefinedName() {
		names[d.Scope+"|"+d.Name] = d.RefersTo
	}
	if names["X (2)|_xlnm.Print_Titles"] != "'X (2)'!$1:$1" {
		t.Errorf("print titles %v", names)
	}
}

func TestHighlightFormula(t *testing.T) {
	cols := []Column{{Name: "a"}, {Name: "b"}, {Name: "c"}}
	tests := []struct {
		h       Highlight
		want    string
		wantErr bool
	}{
		{Highlight{Column: "a", Op: "=", Value: "x"}, `$A7="x"`, false},
		{Highlight{Column: "b", If: "c", Op: "<>", Value: "it's \"q\""}, `$C7<>"it's ""q"""`, false},
		{Highlight{Column: "c", Op: ">=", Value: 1.5}, `AND(ISNUMBER($C7),$C7>=1.5)`, false},
		{Highlight{Column: "c", Op: "=", Value: int64(0)}, `$C7=0`, false},
		{Highlight{Column: "a", Op: "begins", Value: "miss"}, `LEFT($A7,LEN("miss"))="miss"`, false},
		{Highlight{Column: "a", Op: "~", Value: "x"}, "", true},
		{Highlight{Column: "z", Op: "=", Value: "x"}, "", true},
		{Highlight{Column: "a", Op: "=", Value: true}, "", true},
	}
	for _, tc := range tests {
		got, err := highlightFormula(cols, tc.h, 7)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("%+v: %q %v, want %q (error %v)", tc.h, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestWrapAndBars: long text wraps in a column sized to the longest word
// with a row tall enough; a data bar lands on the rows it names.
func TestWrapAndBars(t *testing.T) {
	mem := newAlloc(t)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "unit", Type: arrow.BinaryTypes.String},
		{Name: "v", Type: arrow.PrimitiveTypes.Float64},
		{Name: "text", Type: arrow.BinaryTypes.String},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	long := strings.Repeat("benefit words ", 12) // 168 characters
	for _, r := range []struct {
		unit string
		v    float64
		text string
	}{{"count", 3, "short"}, {"ratio", 0.4, long}, {"ratio", 0.9, strings.Repeat("x", 70)}} {
		b.Field(0).(*array.StringBuilder).Append(r.unit)
		b.Field(1).(*array.Float64Builder).Append(r.v)
		b.Field(2).(*array.StringBuilder).Append(r.text)
	}
	rec := b.NewRecordBatch()
	release(t, rec)
	tb := Table{Name: "T", Records: []arrow.RecordBatch{rec}, Bars: []Bar{{Column: "v", If: "unit", Equals: "ratio", Max: 1}}}
	f, _, _ := writeBook(t, Workbook{Sheets: []Table{seqTable(t, mem, "Summary", 1), tb}}, Options{})
	if w, _ := f.GetColWidth("T", "C"); w != maxWordWidth {
		t.Errorf("text column width %v, want %d (the longest word, capped)", w, maxWordWidth)
	}
	st, _ := f.GetCellStyle("T", "C3")
	style, _ := f.GetStyle(st)
	if style.Alignment == nil || !style.Alignment.WrapText {
		t.Error("long text does not wrap")
	}
	if h, _ := f.GetRowHeight("T", 3); h < 3*lineHeight {
		t.Errorf("row 3 is %v points high for 168 characters in a 64-wide column", h)
	}
	cfs, _ := f.GetConditionalFormats("T")
	bar := cfs["B3 B4"]
	if len(bar) != 1 || bar[0].Type != "data_bar" || bar[0].MaxValue != "1" {
		t.Errorf("data bars %+v, want one over B3 and B4", cfs)
	}
}
