package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xuri/excelize/v2"
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
		// a further condition: a rise is good only where the metric is better higher
		{Highlight{Column: "b", Op: ">", Value: 0, And: []Condition{{If: "c", Op: "=", Value: "higher"}}},
			`AND(AND(ISNUMBER($B7),$B7>0),$C7="higher")`, false},
		{Highlight{Column: "b", Op: "<", Value: 0, And: []Condition{{If: "c", Op: "=", Value: "lower"}, {If: "a", Op: "<>", Value: ""}}},
			`AND(AND(ISNUMBER($B7),$B7<0),$C7="lower",$A7<>"")`, false},
		{Highlight{Column: "b", Op: ">", Value: 0, And: []Condition{{If: "zz", Op: "=", Value: "x"}}}, "", true},
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

// wideTable has n rows of cols text columns of 40 characters: a detail list
// far wider than a landscape page.
func wideTable(t testing.TB, mem memory.Allocator, name string, cols, n int) Table {
	t.Helper()
	var fields []arrow.Field
	var columns []Column
	for j := range cols {
		fields = append(fields, arrow.Field{Name: "c" + itoa(j), Type: arrow.BinaryTypes.String})
		columns = append(columns, Column{Name: "c" + itoa(j), Header: "Column " + itoa(j)})
	}
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	for i := range n {
		for j := range cols {
			b.Field(j).(*array.StringBuilder).Append(strings.Repeat(string(rune('a'+(i+j)%26)), 40))
		}
	}
	rec := b.NewRecordBatch()
	release(t, rec)
	return Table{Name: name, Records: []arrow.RecordBatch{rec}, Columns: columns}
}

// TestPrintReadable: a sheet that fits one landscape page wide at a
// readable scale prints one page wide; a wider one (a detail list) prints
// at a readable fixed scale, row bands across, with its header row and first
// column on every page, never shrunk to one page wide.
func TestPrintReadable(t *testing.T) {
	mem := newAlloc(t)
	wb := Workbook{Sheets: []Table{seqTable(t, mem, "Summary", 2), trendTable(t, mem, "Trend"), wideTable(t, mem, "Detail", 12, 90)}}
	f, data, _ := writeBook(t, wb, Options{})
	names := map[string]string{}
	for _, d := range f.GetDefinedName() {
		names[d.Scope+"|"+d.Name] = d.RefersTo
	}
	tests := []struct {
		sheet  string
		fit    bool
		scale  int
		titles string
	}{
		{"Trend", true, 0, "'Trend'!$1:$1"},
		{"Detail", false, detailScale, "'Detail'!$A:$A,'Detail'!$1:$1"},
		{MetadataSheet, true, 0, "'Metadata'!$1:$1"},
	}
	for _, tc := range tests {
		pl, err := f.GetPageLayout(tc.sheet)
		if err != nil {
			t.Fatal(err)
		}
		props, err := f.GetSheetProps(tc.sheet)
		if err != nil {
			t.Fatal(err)
		}
		fit := props.FitToPage != nil && *props.FitToPage
		if pl.Orientation == nil || *pl.Orientation != "landscape" || fit != tc.fit {
			t.Errorf("%s: landscape %v, fit to page %v, want %v", tc.sheet, pl.Orientation, fit, tc.fit)
		}
		if tc.fit && (*pl.FitToWidth != 1 || *pl.FitToHeight != 0) {
			t.Errorf("%s: fit %d wide %d tall, want 1 wide", tc.sheet, *pl.FitToWidth, *pl.FitToHeight)
		}
		if !tc.fit {
			if pl.AdjustTo == nil || int(*pl.AdjustTo) != tc.scale || tc.scale < minReadableScale {
				t.Errorf("%s: scale %v, want %d %%", tc.sheet, pl.AdjustTo, tc.scale)
			}
			if pl.PageOrder == nil || *pl.PageOrder != "overThenDown" {
				t.Errorf("%s: page order %v, want over then down", tc.sheet, pl.PageOrder)
			}
		}
		if got := names[tc.sheet+"|_xlnm.Print_Titles"]; got != tc.titles {
			t.Errorf("%s: print titles %q, want %q", tc.sheet, got, tc.titles)
		}
	}
	if got := fitScale(colsPx([]float64{10, 12, 20})); got != 100 {
		t.Errorf("a narrow sheet fits at %d %%, want 100", got)
	}
	if x := sheetXML(t, f, data, "Detail"); strings.Contains(x, "fitToWidth") {
		t.Error("the detail sheet still fits to width")
	}
}

// TestSummaryPrintsChartsOnTheirOwnPages: the first sheet's table prints on
// the first page and its chart grid on the pages after (a column break
// before the charts), each page holding whole rows of charts (row breaks
// between them), at a readable scale; nothing is shrunk to one page.
func TestSummaryPrintsChartsOnTheirOwnPages(t *testing.T) {
	mem := newAlloc(t)
	trend := trendTable(t, mem, "Trend")
	var charts []Chart
	for range 8 {
		charts = append(charts, Chart{Kind: ChartLine, Title: "Orders", Table: "Trend", Category: "month", Series: []string{"orders"}})
	}
	wb := Workbook{Sheets: []Table{seqTable(t, mem, "Summary", 18), trend}, Charts: charts,
		Title: "Title", About: [][2]string{{"Partner", "p"}}}
	f, data, _ := writeBook(t, wb, Options{})
	pl, err := f.GetPageLayout("Summary")
	if err != nil {
		t.Fatal(err)
	}
	if pl.AdjustTo == nil || *pl.AdjustTo < minReadableScale || *pl.AdjustTo > 100 {
		t.Errorf("scale %v, want a readable one", pl.AdjustTo)
	}
	props, _ := f.GetSheetProps("Summary")
	if props.FitToPage != nil && *props.FitToPage {
		t.Error("the Summary is shrunk to fit a page")
	}
	// Its header row stays one line high (the chart grid counts rows), so
	// its headers do not wrap: a wider font would show their second line alone.
	if id, err := f.GetCellStyle("Summary", "A4"); err != nil {
		t.Fatal(err)
	} else if st, _ := f.GetStyle(id); st == nil || st.Alignment == nil || st.Alignment.WrapText {
		t.Errorf("the Summary's header A4 wraps: %+v", st)
	}
	x := sheetXML(t, f, data, "Summary")
	// The table has 2 columns, a blank one, then the charts from column D
	// (index 3); 4 rows of 2 charts, 2 rows a page: a break before the third.
	cell, _, _ := (&xlsxWriter{titled: true}).chartAnchor(&tablePlan{cols: make([]Column, 2), widths: []float64{6, 8}, head: 4, rows: 18}, 4)
	_, row, _ := excelize.CellNameToCoordinates(cell)
	if !strings.Contains(x, `<colBreaks count="1" manualBreakCount="1"><brk id="3"`) {
		t.Errorf("no column break before the charts: %s", between(x, "<colBreaks", "</colBreaks>"))
	}
	if !strings.Contains(x, `<rowBreaks count="1" manualBreakCount="1"><brk id="`+itoa(row-1)+`"`) {
		t.Errorf("no row break before the third row of charts (row %d): %s", row, between(x, "<rowBreaks", "</rowBreaks>"))
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j+len(to)]
}

// TestHeaderAlignsWithItsValues: numbers (and dates) and their headers
// align right, text and its header left with an indent, so that a date
// never runs into the text beside it.
func TestHeaderAlignsWithItsValues(t *testing.T) {
	mem := newAlloc(t)
	trend := trendTable(t, mem, "Trend")
	f, _, _ := writeBook(t, Workbook{Sheets: []Table{seqTable(t, mem, "Summary", 1), trend, wideTable(t, mem, "Text", 2, 2)}}, Options{})
	align := func(sheet, cell string) (string, int) {
		id, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil || st.Alignment == nil {
			t.Fatalf("%s!%s: no alignment (%v)", sheet, cell, err)
		}
		return st.Alignment.Horizontal, st.Alignment.Indent
	}
	for _, c := range []struct {
		sheet, cell, want string
		indent            int
	}{
		{"Trend", "A1", "right", 0}, {"Trend", "A2", "right", 0}, // a month
		{"Trend", "B1", "right", 0}, {"Trend", "B2", "right", 0}, // a count
		{"Trend", "C1", "right", 0}, {"Trend", "C2", "right", 0}, // money
		{"Text", "A1", "left", 1}, {"Text", "A2", "left", 1},
	} {
		h, ind := align(c.sheet, c.cell)
		if h != c.want || ind != c.indent {
			t.Errorf("%s!%s aligned %q indent %d, want %q indent %d", c.sheet, c.cell, h, ind, c.want, c.indent)
		}
	}
	// A long header over short numbers wraps onto two lines instead of
	// widening its column: "Billed sales (USD)" over "600,000.00".
	if w, _ := f.GetColWidth("Trend", "C"); w >= float64(len("Billed sales (USD)")+3) {
		t.Errorf("column C is %v wide: its header does not wrap", w)
	}
	if h, _ := f.GetRowHeight("Trend", 1); h != 2*lineHeight {
		t.Errorf("header row %v points high, want two lines", h)
	}
	id, _ := f.GetCellStyle("Trend", "C1")
	if st, _ := f.GetStyle(id); st == nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Error("the header does not wrap")
	} else if st.Font == nil || st.Font.Family != bodyFont {
		t.Errorf("header font %+v: want %s named, as the widths are planned for it", st.Font, bodyFont)
	}
}

// TestPointsFormat: a change of a ratio shows in percentage points, never
// as a percentage (52 % → 55 % is +3.0 pp, not 3.0%).
func TestPointsFormat(t *testing.T) {
	mem := newAlloc(t)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "unit", Type: arrow.BinaryTypes.String},
		{Name: "change", Type: &arrow.Decimal128Type{Precision: 18, Scale: 2}},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for _, r := range [][2]string{{"ratio", "0.03"}, {"ratio", "-0.12"}, {"count", "3.00"}} {
		b.Field(0).(*array.StringBuilder).Append(r[0])
		b.Field(1).(*array.Decimal128Builder).Append(dec(t, r[1], 18, 2))
	}
	rec := b.NewRecordBatch()
	release(t, rec)
	tb := Table{Name: "T", Records: []arrow.RecordBatch{rec}, Columns: []Column{{Name: "unit"},
		{Name: "change", Format: Decimal, FormatBy: "unit", RowFormats: map[string]Format{"ratio": Points, "count": Integer}}}}
	f, _, _ := writeBook(t, Workbook{Sheets: []Table{seqTable(t, mem, "Summary", 1), tb}}, Options{})
	for cell, want := range map[string]string{"B2": "+3.0 pp", "B3": "-12.0 pp", "B4": "3"} {
		if got, _ := f.GetCellValue("T", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	var buf bytes.Buffer
	if _, err := WriteCSV(&buf, tb); err != nil {
		t.Fatal(err)
	}
	if want := "unit,change\r\nratio,0.03\r\nratio,-0.12\r\ncount,3\r\n"; buf.String() != want {
		t.Errorf("CSV %q, want %q: the file keeps the ratio", buf.String(), want)
	}
}
