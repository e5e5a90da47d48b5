package render

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/xuri/excelize/v2"
)

// writeBook renders wb and opens the result with excelize, as a spreadsheet
// user would; it also returns the raw bytes for zip-level checks.
func writeBook(t *testing.T, wb Workbook, opt Options) (*excelize.File, []byte, Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := WriteXLSX(&buf, wb, opt)
	if err != nil {
		t.Fatalf("WriteXLSX: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("open written workbook: %v", err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return f, buf.Bytes(), st
}

// zipFile returns one part of the xlsx package ("" if absent).
func zipFile(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("read zip: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	return ""
}

// zipParts returns every part of an xlsx package by name.
func zipParts(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("read zip: %v", err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		parts[f.Name] = zipFile(t, data, f.Name)
	}
	return parts
}

// sheetXML returns the worksheet part behind a sheet name.
func sheetXML(t *testing.T, f *excelize.File, data []byte, sheet string) string {
	t.Helper()
	idx, err := f.GetSheetIndex(sheet)
	if err != nil || idx < 0 {
		t.Fatalf("sheet %q not found", sheet)
	}
	// Sheets are created in order, so the n-th sheet is sheetN.xml.
	return zipFile(t, data, "xl/worksheets/sheet"+itoa(idx+1)+".xml")
}

func itoa(i int) string { return strconv.Itoa(i) }

// hasAutoFilter reports whether worksheet XML filters exactly ref
// (excelize writes the reference in its absolute form).
func hasAutoFilter(sheetXML, ref string) bool {
	return strings.Contains(sheetXML, `<autoFilter ref="`+ref+`"`) ||
		strings.Contains(sheetXML, `<autoFilter ref="`+absRef(ref)+`"`)
}

// absRef turns "A1:K5" into "$A$1:$K$5".
func absRef(ref string) string {
	return regexp.MustCompile(`([A-Z]+)([0-9]+)`).ReplaceAllString(ref, "$$$1$$$2")
}

func numFmtOf(t *testing.T, f *excelize.File, sheet, cell string) (int, string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatalf("style of %s!%s: %v", sheet, cell, err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatalf("style %d: %v", id, err)
	}
	custom := ""
	if st.CustomNumFmt != nil {
		custom = *st.CustomNumFmt
	}
	return st.NumFmt, custom
}

func fullBook(t *testing.T) Workbook {
	mem := newAlloc(t)
	summary := trendTable(t, mem, "Summary")
	return Workbook{
		Sheets: []Table{
			summary,
			{Name: "Orders by offer", Columns: ordersColumns, Records: ordersRecords(t, mem)},
			trendTable(t, mem, "Orders: 6-month trend"),
		},
		Charts: []Chart{
			{Kind: ChartLine, Title: "Orders per month", Table: "Orders: 6-month trend", Category: "month", Series: []string{"orders"}},
			{Kind: ChartPie, Title: "Billed sales by offer", Table: "Orders by offer", Category: "offer", Series: []string{"billed"}, Anchor: "H30"},
		},
		Meta: [][2]string{
			{"Partner", "P-001 Contoso"},
			{"Period", "2025-06"},
			{"As of", "2025-07-01"},
			{"Run ID", "run-42"},
			{"Generated at", "2025-07-01T06:00:00Z"},
		},
	}
}

func TestWriteXLSXWorkbook(t *testing.T) {
	f, data, st := writeBook(t, fullBook(t), Options{})

	wantSheets := []string{"Summary", "Orders by offer", "Orders- 6-month trend", "Metadata"}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, wantSheets) {
		t.Fatalf("sheets = %q, want %q", got, wantSheets)
	}
	if want := (Stats{Sheets: 4, Rows: 6 + 4 + 6, Cells: 6*3 + 4*11 + 6*3}); st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}

	t.Run("headers", func(t *testing.T) {
		rows, err := f.GetRows("Orders by offer")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"Offer", "Country", "Orders", "Billed sales (USD)", "Share", "Month", "Purchased",
			"Event time", "New customer", "Note", "Quantity"}
		if !reflect.DeepEqual(rows[0], want) {
			t.Errorf("header = %q, want %q", rows[0], want)
		}
		if len(rows) != 5 {
			t.Errorf("%d rows, want header + 4", len(rows))
		}
	})

	t.Run("values", func(t *testing.T) {
		const s = "Orders by offer"
		tests := []struct {
			cell      string
			shown     string // as formatted for the user
			raw       string // the stored value
			wantEmpty bool
		}{
			{cell: "A2", shown: "Contoso CRM", raw: "Contoso CRM"},
			{cell: "A3", shown: `Fabrikam, "Pro"`, raw: `Fabrikam, "Pro"`},
			{cell: "B3", shown: "DE", raw: "DE"},           // dictionary-encoded
			{cell: "C2", shown: "1,234", raw: "1234"},      // integer
			{cell: "D2", shown: "1,234.50", raw: "1234.5"}, // money
			{cell: "D3", shown: "-0.05", raw: "-0.05"},
			{cell: "D5", shown: "99,999,999.99", raw: "99999999.99"},
			{cell: "E2", shown: "12.5%", raw: "0.125"},
			{cell: "F2", shown: "2025-06", raw: "45809"},         // month: Excel serial of 2025-06-01
			{cell: "G3", shown: "2025-05-31", raw: "45808"},      // date
			{cell: "G5", shown: "1899-12-31", raw: "1899-12-31"}, // before 1900-03-01: ISO text
			{cell: "H2", shown: "2025-06-03 14:05:06", raw: "45811.58687500000"},
			{cell: "I2", shown: "TRUE", raw: "1"},
			{cell: "J3", shown: "line1\nline2", raw: "line1\nline2"},
			{cell: "K3", shown: "123,456,789,012,346,000,000,000,000,000", raw: "1.23456789012346E+29"},
		}
		for _, tc := range tests {
			t.Run(tc.cell, func(t *testing.T) {
				shown, err := f.GetCellValue(s, tc.cell)
				if err != nil {
					t.Fatal(err)
				}
				raw, err := f.GetCellValue(s, tc.cell, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				if shown != tc.shown {
					t.Errorf("shown = %q, want %q", shown, tc.shown)
				}
				if !strings.HasPrefix(raw, strings.TrimRight(tc.raw, "0")) {
					t.Errorf("raw = %q, want %q", raw, tc.raw)
				}
			})
		}
		// Row 4 is all nulls: every cell empty.
		for col := 1; col <= 11; col++ {
			cell, _ := excelize.CoordinatesToCellName(col, 4)
			if v, err := f.GetCellValue(s, cell); err != nil || v != "" {
				t.Errorf("null %s = %q, %v; want empty", cell, v, err)
			}
		}
	})

	t.Run("number formats", func(t *testing.T) {
		tests := []struct {
			sheet, cell string
			id          int
			custom      string
		}{
			{"Orders by offer", "A2", 0, ""},
			{"Orders by offer", "C2", 3, ""},
			{"Orders by offer", "D2", 4, ""},
			{"Orders by offer", "E2", 0, "0.0%"},
			{"Orders by offer", "F2", 0, "yyyy-mm"},
			{"Orders by offer", "G2", 0, "yyyy-mm-dd"},
			{"Orders by offer", "H2", 0, "yyyy-mm-dd hh:mm:ss"},
			{"Summary", "A2", 0, "yyyy-mm"}, // the in-memory (chart) sheet too
			{"Summary", "B2", 3, ""},
			{"Summary", "C7", 4, ""},
		}
		for _, tc := range tests {
			t.Run(tc.sheet+"!"+tc.cell, func(t *testing.T) {
				id, custom := numFmtOf(t, f, tc.sheet, tc.cell)
				if custom != tc.custom || (tc.custom == "" && id != tc.id) {
					t.Errorf("numFmt = %d %q, want %d %q", id, custom, tc.id, tc.custom)
				}
			})
		}
	})

	t.Run("header style, panes, autofilter, widths", func(t *testing.T) {
		for _, sheet := range wantSheets[:3] {
			id, err := f.GetCellStyle(sheet, "A1")
			if err != nil {
				t.Fatal(err)
			}
			style, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if style.Font == nil || !style.Font.Bold || style.Fill.Pattern != 1 || len(style.Fill.Color) == 0 {
				t.Errorf("%s: header style = %+v, want bold with a fill", sheet, style)
			}
			panes, err := f.GetPanes(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
				t.Errorf("%s: panes = %+v, want the header row frozen", sheet, panes)
			}
		}
		for sheet, ref := range map[string]string{"Summary": "A1:C7", "Orders by offer": "A1:K5", "Orders- 6-month trend": "A1:C7"} {
			if x := sheetXML(t, f, data, sheet); !hasAutoFilter(x, ref) {
				t.Errorf("%s: no autoFilter over %s", sheet, ref)
			}
			found := false
			for _, dn := range f.GetDefinedName() {
				if dn.Name == "_xlnm._FilterDatabase" && dn.Scope == sheet {
					found = dn.RefersTo == quoteSheet(sheet)+"!"+absRef(ref)
				}
			}
			if !found {
				t.Errorf("%s: no _FilterDatabase name over %s in %+v", sheet, ref, f.GetDefinedName())
			}
		}
		for _, sheet := range wantSheets {
			x := sheetXML(t, f, data, sheet)
			var mins []int
			for _, m := range regexp.MustCompile(`<col [^>]*?min="(\d+)"`).FindAllStringSubmatch(x, -1) {
				n, _ := strconv.Atoi(m[1])
				mins = append(mins, n)
			}
			if len(mins) == 0 || !slices.IsSorted(mins) {
				t.Errorf("%s: <col> elements not in ascending order: %v", sheet, mins)
			}
		}
		wantWidth := map[string]float64{
			"A": float64(len(`Fabrikam, "Pro"`) + 2), // the widest sampled value
			"D": float64(len("Billed sales") + 3),    // the header wraps: "Billed sales / (USD)"
			"G": float64(len("Purchased") + 3),
		}
		for col, want := range wantWidth {
			got, err := f.GetColWidth("Orders by offer", col)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("width of %s = %v, want %v", col, got, want)
			}
		}
	})

	t.Run("charts on the Summary", func(t *testing.T) {
		rels := zipFile(t, data, "xl/worksheets/_rels/sheet1.xml.rels")
		if !strings.Contains(rels, "drawing") {
			t.Fatalf("Summary has no drawing: %s", rels)
		}
		drawing := zipFile(t, data, "xl/drawings/drawing1.xml")
		if n := strings.Count(drawing, "<c:chart "); n != 2 {
			t.Errorf("drawing holds %d charts, want 2", n)
		}
		line := html.UnescapeString(zipFile(t, data, "xl/charts/chart1.xml"))
		for _, want := range []string{"<lineChart>", "Orders per month", "'Orders- 6-month trend'!$A$2:$A$7", "'Orders- 6-month trend'!$B$2:$B$7", "'Orders- 6-month trend'!$B$1"} {
			if !strings.Contains(line, want) {
				t.Errorf("line chart lacks %q", want)
			}
		}
		pie := html.UnescapeString(zipFile(t, data, "xl/charts/chart2.xml"))
		for _, want := range []string{"<pieChart>", "'Orders by offer'!$D$2:$D$5"} {
			if !strings.Contains(pie, want) {
				t.Errorf("pie chart lacks %q", want)
			}
		}
		for i := 2; i <= 4; i++ {
			if zipFile(t, data, "xl/worksheets/_rels/sheet"+itoa(i)+".xml.rels") != "" &&
				strings.Contains(zipFile(t, data, "xl/worksheets/_rels/sheet"+itoa(i)+".xml.rels"), "drawing") {
				t.Errorf("sheet%d has a drawing; charts belong on the Summary", i)
			}
		}
	})

	t.Run("metadata", func(t *testing.T) {
		rows, err := f.GetRows("Metadata")
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			{"Key", "Value"},
			{"Partner", "P-001 Contoso"},
			{"Period", "2025-06"},
			{"As of", "2025-07-01"},
			{"Run ID", "run-42"},
			{"Generated at", "2025-07-01T06:00:00Z"},
			{"Rows: Summary", "6"},
			{"Rows: Orders by offer", "4"},
			{"Rows: Orders- 6-month trend", "6"},
		}
		if !reflect.DeepEqual(rows, want) {
			t.Errorf("metadata = %q, want %q", rows, want)
		}
		props, err := f.GetDocProps()
		if err != nil {
			t.Fatal(err)
		}
		if props.Created != "2025-07-01T06:00:00Z" || props.Modified != props.Created || props.Identifier != "run-42" ||
			props.Title != "Marketplace Insights P-001 Contoso 2025-06" {
			t.Errorf("doc props = %+v", props)
		}
	})
}

// allCells reads every sheet's formatted values.
func allCells(t *testing.T, f *excelize.File) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		out[s] = rows
	}
	return out
}

func TestWriteXLSXReproducible(t *testing.T) {
	f1, b1, _ := writeBook(t, fullBook(t), Options{})
	f2, b2, _ := writeBook(t, fullBook(t), Options{})
	// Not a golden comparison: two renderings must hold the same parts with
	// the same bytes. (The order of the zip entries may differ: excelize
	// writes streamed sheets in map order.)
	z1, z2 := zipParts(t, b1), zipParts(t, b2)
	if len(z1) < 10 || len(z1) != len(z2) {
		t.Errorf("parts: %d vs %d", len(z1), len(z2))
	}
	for name, c := range z1 {
		if z2[name] != c {
			t.Errorf("part %s differs between two renderings", name)
		}
	}
	c1, c2 := allCells(t, f1), allCells(t, f2)
	if len(c1) != 4 || !reflect.DeepEqual(c1, c2) {
		t.Errorf("two renders of the same input differ:\n%q\n%q", c1, c2)
	}
	p1, _ := f1.GetDocProps()
	p2, _ := f2.GetDocProps()
	if *p1 != *p2 {
		t.Errorf("doc props differ: %+v vs %+v", p1, p2)
	}
}

func TestWriteXLSXRowLimit(t *testing.T) {
	mem := newAlloc(t)
	x := seqTable(t, mem, "X", 10)
	wb := Workbook{Sheets: []Table{seqTable(t, mem, "Summary", 2), x}}
	f, data, st := writeBook(t, wb, Options{MaxRows: 3})

	want := []string{"Summary", "X", "X (2)", "X (3)", "X (4)", "Metadata"}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	if st.Sheets != 6 || st.Rows != 12 || st.Cells != 24 {
		t.Errorf("stats = %+v", st)
	}
	tests := []struct {
		sheet string
		ids   []string
	}{
		{"X", []string{"1", "2", "3"}},
		{"X (2)", []string{"4", "5", "6"}},
		{"X (3)", []string{"7", "8", "9"}},
		{"X (4)", []string{"10"}},
	}
	for _, tc := range tests {
		t.Run(tc.sheet, func(t *testing.T) {
			rows, err := f.GetRows(tc.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows[0], []string{"id", "label"}) {
				t.Errorf("header = %q", rows[0])
			}
			var ids []string
			for _, r := range rows[1:] {
				ids = append(ids, r[0])
			}
			if !reflect.DeepEqual(ids, tc.ids) {
				t.Errorf("ids = %q, want %q", ids, tc.ids)
			}
			ref := "A1:B" + itoa(len(tc.ids)+1)
			if x := sheetXML(t, f, data, tc.sheet); !hasAutoFilter(x, ref) {
				t.Errorf("no autofilter over %s", ref)
			}
			if p, _ := f.GetPanes(tc.sheet); !p.Freeze || p.YSplit != 1 {
				t.Errorf("panes = %+v", p)
			}
		})
	}
	meta, err := f.GetRows("Metadata")
	if err != nil {
		t.Fatal(err)
	}
	wantMeta := [][]string{{"Key", "Value"}, {"Rows: Summary", "2"}, {"Rows: X", "3"}, {"Rows: X (2)", "3"}, {"Rows: X (3)", "3"}, {"Rows: X (4)", "1"}}
	if !reflect.DeepEqual(meta, wantMeta) {
		t.Errorf("metadata = %q, want %q", meta, wantMeta)
	}
}

func TestWriteXLSXEdgeTables(t *testing.T) {
	mem := newAlloc(t)
	seq := seqTable(t, mem, "Seq", 2)
	tests := []struct {
		name   string
		table  Table
		sheet  string
		header []string
		rows   int
	}{
		{"header only when no records", Table{Name: "Empty", Columns: []Column{{Name: "a", Header: "A"}, {Name: "b"}}}, "Empty", []string{"A", "b"}, 1},
		{"nothing when no columns", Table{Name: "Nothing"}, "Nothing", nil, 0},
		{"columns from the schema", seq, "Seq", []string{"id", "label"}, 3},
		{"schema of an empty result", Table{Name: "S", Schema: seq.Records[0].Schema()}, "S", []string{"id", "label"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, _, _ := writeBook(t, Workbook{Sheets: []Table{tc.table}}, Options{})
			rows, err := f.GetRows(tc.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.rows || (tc.rows > 0 && !reflect.DeepEqual(rows[0], tc.header)) {
				t.Errorf("rows = %q, want %d rows under %q", rows, tc.rows, tc.header)
			}
		})
	}
	t.Run("derived number formats", func(t *testing.T) {
		f, _, _ := writeBook(t, Workbook{Sheets: []Table{seq}}, Options{})
		if id, _ := numFmtOf(t, f, "Seq", "A2"); id != 3 {
			t.Errorf("int64 column numFmt = %d, want 3 (#,##0)", id)
		}
	})
}

func TestWriteXLSXErrors(t *testing.T) {
	mem := newAlloc(t)
	trend := trendTable(t, mem, "Trend")
	tests := []struct {
		name string
		wb   Workbook
		want string
	}{
		{"no sheets", Workbook{}, "no sheets"},
		{"chart on a missing table", Workbook{Sheets: []Table{trend}, Charts: []Chart{{Title: "c", Table: "Nope", Category: "month", Series: []string{"orders"}}}}, `no table named "Nope"`},
		{"chart on a missing column", Workbook{Sheets: []Table{trend}, Charts: []Chart{{Title: "c", Table: "Trend", Category: "month", Series: []string{"nope"}}}}, `no column named "nope"`},
		{"chart without series", Workbook{Sheets: []Table{trend}, Charts: []Chart{{Title: "c", Table: "Trend", Category: "month"}}}, "no series"},
		{"columns do not match", Workbook{Sheets: []Table{{Name: "T", Records: trend.Records, Columns: trend.Columns[:2]}}}, "2 columns described, records have 3"},
		{"columns out of order", Workbook{Sheets: []Table{{Name: "T", Records: trend.Records, Columns: []Column{trend.Columns[0], trend.Columns[2], trend.Columns[1]}}}}, `column 1 is described as "billed", records have "orders"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := WriteXLSX(io.Discard, tc.wb, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestSanitizeSheetName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Orders by offer", "Orders by offer"},
		{"Usage: VM size [A/B]*?\\,", "Usage- VM size -A-B-----"},
		{"  'quoted'  ", "quoted"},
		{"", "Sheet"},
		{"tab\there", "tabhere"},
		{"history", "history_"},
		{strings.Repeat("x", 40), strings.Repeat("x", 31)},
		{strings.Repeat("x", 30) + "😀", strings.Repeat("x", 30)}, // the emoji is two UTF-16 units
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := SanitizeSheetName(tc.in); got != tc.want {
				t.Errorf("SanitizeSheetName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	t.Run("unique", func(t *testing.T) {
		n := newSheetNamer()
		n.take(MetadataSheet)
		long := strings.Repeat("y", 35)
		var got []string
		for _, s := range []string{"A", "a", "A", "metadata", long, long} {
			got = append(got, n.unique(s))
		}
		want := []string{"A", "a (2)", "A (3)", "metadata (2)", strings.Repeat("y", 31), strings.Repeat("y", 27) + " (2)"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("unique names = %q, want %q", got, want)
		}
	})
}

func openXLSX(path string) (*excelize.File, error) { return excelize.OpenFile(path) }

// Text that XML cannot hold as is must still give a workbook that opens, on
// streamed and in-memory sheets alike.
func TestWriteXLSXAwkwardText(t *testing.T) {
	mem := newAlloc(t)
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String}}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"a\x01b", "<&>\"'", " lead ", "bad\xffutf8", "=1+1"}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()
	want := [][]string{{"s"}, {"a\uFFFDb"}, {"<&>\"'"}, {" lead "}, {"bad\uFFFDutf8"}, {"=1+1"}}
	for _, withChart := range []bool{false, true} {
		t.Run("chart="+strconv.FormatBool(withChart), func(t *testing.T) {
			wb := Workbook{Sheets: []Table{{Name: "W", Records: []arrow.RecordBatch{rec}}}}
			if withChart { // makes the first sheet an in-memory one
				wb.Charts = []Chart{{Title: "x", Table: "W", Category: "s", Series: []string{"s"}}}
			}
			f, _, _ := writeBook(t, wb, Options{})
			rows, err := f.GetRows("W")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows, want) {
				t.Errorf("rows = %q, want %q", rows, want)
			}
			if v, _ := f.GetCellFormula("W", "A6"); v != "" {
				t.Errorf("text became a formula: %q", v)
			}
		})
	}
}
