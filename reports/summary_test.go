package reports_test

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/reports/render"
)

// partnerWorkbookFile writes p-contoso's reports and opens its workbook.
func partnerWorkbookFile(t *testing.T) (*excelize.File, string) {
	t.Helper()
	s, _ := fixtureStore(t)
	g, out := generator(t, s, reports.Options{})
	files, err := g.Partner(context.Background(), runFor(t, s), "p-contoso", fixturePeriod(t))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(out, filepath.FromSlash(filesByName(files)["insights_2025-06_6m.xlsx"].Path))
	return openXLSX(t, p), p
}

// findRow is the first row whose column A holds want (1-based), 0 if none.
func findRow(t *testing.T, f *excelize.File, sheet, want string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == want {
			return i + 1
		}
	}
	return 0
}

func cell(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSummarySheet(t *testing.T) {
	f, file := partnerWorkbookFile(t)
	const sheet = "Summary"

	t.Run("title block", func(t *testing.T) {
		want := [][2]string{
			{"Marketplace Insights: Contoso (p-contoso)", ""},
			{"Partner", "Contoso (p-contoso)"},
			{"Company", "Contoso Ltd (PGA pga-contoso)"},
			{"Report month", "2025-06 (against 2025-05)"},
			{"Trend window", "2025-01 to 2025-06 (6 months)"},
			{"As of", "2025-07-05"},
		}
		for i, w := range want {
			r := i + 1
			if got := cell(t, f, sheet, "A"+itoa(r)); got != w[0] {
				t.Errorf("A%d = %q, want %q", r, got, w[0])
			}
			if got := cell(t, f, sheet, "B"+itoa(r)); got != w[1] {
				t.Errorf("B%d = %q, want %q", r, got, w[1])
			}
		}
		if got := cell(t, f, sheet, "A7"); got != "Generated" || !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d UTC, run r`).MatchString(cell(t, f, sheet, "B7")) {
			t.Errorf("row 7 = %q %q, want the generation time and run", got, cell(t, f, sheet, "B7"))
		}
		if got := findRow(t, f, sheet, "Area"); got != 9 {
			t.Errorf("the table's header is in row %d, want 9 (under the title block and a blank row)", got)
		}
	})

	head := findRow(t, f, sheet, "Area")
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	data := rows[head:]

	t.Run("number format of every row", func(t *testing.T) {
		formats := map[string]string{"count": "#,##0", "hours": "#,##0.00##", "quantity": "#,##0.00##", "USD": "#,##0.00", "ratio": "0.0%"}
		if len(data) != 18 {
			t.Fatalf("%d metric rows, want 18", len(data))
		}
		for i, r := range data {
			row := head + 1 + i
			unit := r[2]
			want, ok := formats[unit]
			if !ok {
				t.Errorf("row %d (%s): unit %q has no format", row, r[1], unit)
				continue
			}
			if strings.Contains(r[1], "(USD)") != (unit == "USD") {
				t.Errorf("row %d: %q in %s: money rows name their currency", row, r[1], unit)
			}
			for _, col := range []string{"D", "E", "F"} {
				want := want
				if col == "F" && unit == "ratio" {
					want = `+0.0" pp";-0.0" pp";0.0" pp"` // a change of a ratio is in points
				}
				if got := numFmt(t, f, sheet, col+itoa(row)); got != want {
					t.Errorf("%s%d (%s, %s) number format %q, want %q", col, row, r[1], unit, got, want)
				}
			}
			if got := numFmt(t, f, sheet, "G"+itoa(row)); got != "0.0%" {
				t.Errorf("G%d change %% format %q", row, got)
			}
		}
		for _, c := range []struct{ metric, col, want string }{
			{"Active orders", "D", "4"}, {"Active orders", "E", "5"}, {"Active orders", "G", "-20.0%"},
			{"Marketplace-billed sales (USD)", "D", "2,063.18"},
			{"Normalized usage (hours)", "D", "176.00"},
			{"Progress to next tier", "D", "43.0%"},
			{"Progress to next tier", "F", "+8.0 pp"}, // 35 % → 43 %: 8 points, not 8 %
			{"Progress to next tier", "G", ""},        // no relative change of a ratio
		} {
			for i, r := range data {
				if r[1] == c.metric {
					if got := cell(t, f, sheet, c.col+itoa(head+1+i)); got != c.want {
						t.Errorf("%s %s = %q, want %q", c.metric, c.col, got, c.want)
					}
				}
			}
		}
	})

	t.Run("change coloured by meaning, progress bar", func(t *testing.T) {
		cfs, err := f.GetConditionalFormats(sheet)
		if err != nil {
			t.Fatal(err)
		}
		first, last := head+1, head+len(data)
		if got := cell(t, f, sheet, "H"+itoa(head)); got != "Better when" {
			t.Fatalf("H%d = %q, want the Better when column", head, got)
		}
		for _, col := range []string{"F", "G"} {
			ref := col + itoa(first) + ":" + col + itoa(last)
			got := cfs[ref]
			c, b := "$"+col+itoa(first), "$H"+itoa(first)
			want := []string{
				"AND(AND(ISNUMBER(" + c + ")," + c + ">0)," + b + `="higher")`,
				"AND(AND(ISNUMBER(" + c + ")," + c + "<0)," + b + `="higher")`,
				"AND(AND(ISNUMBER(" + c + ")," + c + "<0)," + b + `="lower")`,
				"AND(AND(ISNUMBER(" + c + ")," + c + ">0)," + b + `="lower")`,
			}
			if len(got) != len(want) {
				t.Fatalf("%s: %d conditional formats, want %d", ref, len(got), len(want))
			}
			for i := range want {
				if got[i].Type != "formula" || got[i].Criteria != want[i] {
					t.Errorf("%s rule %d: %s %q, want %q", ref, i, got[i].Type, got[i].Criteria, want[i])
				}
			}
		}
		bar := "D" + itoa(last) // progress to the next tier is the last row
		if got := cfs[bar]; len(got) != 1 || got[0].Type != "data_bar" || got[0].MinValue != "0" || got[0].MaxValue != "1" {
			t.Errorf("%s: %+v, want a data bar from 0 to 1", bar, got)
		}
	})

	// The colour rule per metric: each metric declares which way is better,
	// and a change is green when it goes that way, red when it goes the
	// other, plain for a metric better neither way (issue 21: fewer canceled
	// orders and a shrinking gap to the next tier were drawn red).
	t.Run("colour rule per metric", func(t *testing.T) {
		r, err := reports.Lookup("summary")
		if err != nil {
			t.Fatal(err)
		}
		better := map[string]string{}
		for _, row := range data {
			for len(row) < 8 {
				row = append(row, "")
			}
			better[row[1]] = row[7]
		}
		tests := []struct {
			metric     string
			better     string
			rise, fall render.Tone // 0 = no colour
		}{
			{"New orders", "higher", render.Good, render.Bad},
			{"Renewed orders", "higher", render.Good, render.Bad},
			{"Canceled orders", "lower", render.Bad, render.Good},
			{"Active orders", "higher", render.Good, render.Bad},
			{"New customers", "higher", render.Good, render.Bad},
			{"Total customers", "higher", render.Good, render.Bad},
			{"Normalized usage (hours)", "higher", render.Good, render.Bad},
			{"Metered quantity", "higher", render.Good, render.Bad},
			{"Estimated usage charges (USD)", "higher", render.Good, render.Bad},
			{"Marketplace-billed sales (USD)", "higher", render.Good, render.Bad},
			{"Attributed deployments", "higher", render.Good, render.Bad},
			{"Attributed usage (hours)", "higher", render.Good, render.Bad},
			{"Page visits", "higher", render.Good, render.Bad},
			{"Calls to action", "higher", render.Good, render.Bad},
			{"Trailing billed sales, company (USD)", "higher", render.Good, render.Bad},
			{"Next tier threshold (USD)", "", 0, 0},
			{"Gap to next tier (USD)", "lower", render.Bad, render.Good},
			{"Progress to next tier", "higher", render.Good, render.Bad},
		}
		if len(tests) != len(data) {
			t.Errorf("%d metrics on the sheet, %d in the test", len(data), len(tests))
		}
		for _, tc := range tests {
			got, ok := better[tc.metric]
			if !ok {
				t.Errorf("%s: not on the Summary", tc.metric)
				continue
			}
			if got != tc.better {
				t.Errorf("%s: better when %q, want %q", tc.metric, got, tc.better)
			}
			for _, c := range []struct {
				change float64
				want   render.Tone
			}{{1, tc.rise}, {-1, tc.fall}, {0, 0}} {
				for _, col := range []string{"change", "change_pct"} {
					row := map[string]any{"change": 0.0, "change_pct": 0.0, "better": got}
					row[col] = c.change
					if tone := toneOf(t, r.Highlights, col, row); tone != c.want {
						t.Errorf("%s: %s %+v coloured %v, want %v", tc.metric, col, c.change, tone, c.want)
					}
				}
			}
		}
	})

	t.Run("charts", func(t *testing.T) {
		got := readCharts(t, file, "xl/worksheets/sheet1.xml")
		want := []chartInfo{
			{"K1", "line", 4, "Orders per month"},
			{"R1", "line", 3, "Company trailing billed sales (USD) against tier thresholds"},
			{"K15", "col", 1, "Normalized usage (hours) per month"},
			{"R15", "line", 3, "Customers per month"},
			{"K30", "col", 1, "Attributed deployments per month"},
			{"R30", "line", 2, "Page visits and calls to action per month"},
			{"K45", "bar", 2, "Active orders by offer (report month)"},
			{"R45", "pie", 1, "Normalized usage by offer (report month)"},
		}
		if len(got) != len(want) {
			t.Fatalf("%d charts %+v, want %d", len(got), got, len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("chart %d: %+v, want %+v", i, got[i], want[i])
			}
		}
	})

	// Print what a person would print: the Summary's table on its own page
	// and the charts on the pages after it, the trends and slices one page
	// wide and readable, the detail lists at a readable scale with their
	// header row and first column on every page (issue 21: 90 pages, the
	// details shrunk to one page wide so small they could not be read).
	t.Run("print settings", func(t *testing.T) {
		names := map[string]string{}
		for _, d := range f.GetDefinedName() {
			names[d.Scope+"|"+d.Name] = d.RefersTo
		}
		details := map[string]bool{"Orders detail": true, "Usage detail": true, "Customers detail": true}
		for _, s := range f.GetSheetList() {
			pl, err := f.GetPageLayout(s)
			if err != nil {
				t.Fatal(err)
			}
			props, err := f.GetSheetProps(s)
			if err != nil {
				t.Fatal(err)
			}
			fit := props.FitToPage != nil && *props.FitToPage
			if pl.Orientation == nil || *pl.Orientation != "landscape" {
				t.Errorf("%s: not landscape", s)
			}
			hf, err := f.GetHeaderFooter(s)
			if err != nil {
				t.Fatal(err)
			}
			if hf == nil || hf.OddFooter != "&L&8Contoso (p-contoso) · report month 2025-06 · as of 2025-07-05&R&8Page &P of &N" {
				t.Errorf("%s: footer %+v", s, hf)
			}
			titles := names[s+"|_xlnm.Print_Titles"]
			switch {
			case s == sheet:
				if fit || pl.AdjustTo == nil || *pl.AdjustTo < 70 {
					t.Errorf("Summary: fit %v, scale %v: want a readable scale, not shrunk to a page", fit, pl.AdjustTo)
				}
				if titles != "" || names[s+"|_xlnm.Print_Area"] != "'Summary'!$A$1:$Z$60" {
					t.Errorf("Summary: print titles %q, print area %q, want none and the table with its charts", titles, names[s+"|_xlnm.Print_Area"])
				}
			case details[s]:
				if fit || pl.AdjustTo == nil || *pl.AdjustTo < 70 || pl.PageOrder == nil || *pl.PageOrder != "overThenDown" {
					t.Errorf("%s: fit %v, scale %v, order %v: want a readable scale across pages", s, fit, pl.AdjustTo, pl.PageOrder)
				}
				if want := "'" + s + "'!$A:$A,'" + s + "'!$1:$1"; titles != want {
					t.Errorf("%s: print titles %q, want %q", s, titles, want)
				}
			case strings.HasSuffix(s, " trend") || s == reports.DefinitionsSheet || s == render.MetadataSheet || !fit:
				// The monthly sheets, Definitions and Metadata fit one page wide;
				// another sheet (Offers, a slice) may be too wide for that and
				// then prints as a detail list does.
				if !fit && !strings.HasSuffix(s, " trend") && pl.AdjustTo != nil && *pl.AdjustTo >= 70 &&
					titles == "'"+s+"'!$A:$A,'"+s+"'!$1:$1" {
					continue
				}
				if !fit || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
					t.Errorf("%s: page layout %s, fit %v, want one page wide", s, describeLayout(pl), fit)
				}
				if titles != "'"+s+"'!$1:$1" {
					t.Errorf("%s: print titles %q, want its header row", s, titles)
				}
			default:
				if titles != "'"+s+"'!$1:$1" {
					t.Errorf("%s: print titles %q, want its header row", s, titles)
				}
			}
		}
		// The charts start a page of their own, beside the table's page.
		z := zipText(t, file, "xl/worksheets/sheet1.xml")
		if !regexp.MustCompile(`<colBreaks[^>]*><brk id="10"`).MatchString(z) {
			t.Errorf("Summary: no page break before the charts (column K): %s", regexp.MustCompile(`<colBreaks.*?</colBreaks>`).FindString(z))
		}
	})

	t.Run("sheet dimensions", func(t *testing.T) {
		want := map[string]string{
			"Summary":          "A1:I27",
			"Orders trend":     "A1:G7",
			"Tier trend":       "A1:E13",
			"Orders detail":    "A1:AD22",
			"Customers detail": "A1:W7",
			"Metadata":         "A1:B" + itoa(1+9+len(reports.Catalog())+1), // + the Definitions; 9 rows with the language
		}
		for s, w := range want {
			if got, err := f.GetSheetDimension(s); err != nil || got != w {
				t.Errorf("%s: dimension %q (%v), want %q", s, got, err, w)
			}
		}
		if _, err := f.GetSheetDimension(render.MetadataSheet); err != nil {
			t.Error(err)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// toneOf is the colour the highlights give column col of a row (0 = none):
// the rules of the catalog evaluated as the spreadsheet evaluates their
// formulas (the first rule that holds wins).
func toneOf(t *testing.T, hs []render.Highlight, col string, row map[string]any) render.Tone {
	t.Helper()
	holds := func(c render.Condition) bool {
		v := row[c.If]
		switch want := c.Value.(type) {
		case string:
			s, _ := v.(string)
			switch c.Op {
			case "=":
				return s == want
			case "<>":
				return s != want
			}
		case int:
			n, ok := v.(float64)
			if !ok {
				return false
			}
			switch c.Op {
			case ">":
				return n > float64(want)
			case "<":
				return n < float64(want)
			case "=":
				return n == float64(want)
			}
		}
		t.Fatalf("rule %+v: not understood by the test", c)
		return false
	}
	for _, h := range hs {
		if h.Column != col {
			continue
		}
		test := h.If
		if test == "" {
			test = h.Column
		}
		ok := holds(render.Condition{If: test, Op: h.Op, Value: h.Value})
		for _, c := range h.And {
			ok = ok && holds(c)
		}
		if ok {
			return h.Tone
		}
	}
	return 0
}

// zipText is one part of an xlsx file.
func zipText(t *testing.T, file, name string) string {
	t.Helper()
	z, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, e := range z.File {
		if e.Name == name {
			r, err := e.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no %s in %s", name, file)
	return ""
}

func describeLayout(pl excelize.PageLayoutOptions) string {
	var b strings.Builder
	if pl.Orientation != nil {
		b.WriteString(*pl.Orientation)
	}
	if pl.FitToWidth != nil {
		b.WriteString(" wide=" + itoa(*pl.FitToWidth))
	}
	if pl.FitToHeight != nil {
		b.WriteString(" tall=" + itoa(*pl.FitToHeight))
	}
	return b.String()
}

// chartInfo is what a test checks of a chart: its anchor (top-left cell),
// type (line, col, bar, pie), number of series and title.
type chartInfo struct {
	Anchor string
	Type   string
	Series int
	Title  string
}

// readCharts reads the charts drawn on one worksheet of an xlsx file, in
// drawing order: excelize reads no charts back, so this follows the parts.
func readCharts(t *testing.T, file, sheetPart string) []chartInfo {
	t.Helper()
	z, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	read := func(name string) []byte {
		for _, e := range z.File {
			if e.Name == name {
				r, err := e.Open()
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				b, err := io.ReadAll(r)
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
		}
		return nil
	}
	type rel struct {
		ID     string `xml:"Id,attr"`
		Target string `xml:"Target,attr"`
	}
	rels := func(part string) map[string]string {
		var v struct {
			Rels []rel `xml:"Relationship"`
		}
		b := read(path.Join(path.Dir(part), "_rels", path.Base(part)+".rels"))
		if b == nil {
			return nil
		}
		if err := xml.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, r := range v.Rels {
			m[r.ID] = path.Clean(path.Join(path.Dir(part), r.Target))
		}
		return m
	}
	var drawing string
	for _, target := range rels(sheetPart) {
		if strings.Contains(target, "drawings/drawing") {
			drawing = target
		}
	}
	if drawing == "" {
		return nil
	}
	chartRels := rels(drawing)
	anchorRe := regexp.MustCompile(`(?s)<xdr:twoCellAnchor.*?<xdr:from><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>.*?<c:chart [^>]*r:id="([^"]+)"`)
	var out []chartInfo
	for _, m := range anchorRe.FindAllStringSubmatch(string(read(drawing)), -1) {
		col, row := atoi(m[1]), atoi(m[2])
		ref, _ := excelize.CoordinatesToCellName(col+1, row+1)
		// excelize writes the chart namespace as the default one: drop any
		// "c:" prefix so that both spellings read the same.
		c := strings.ReplaceAll(strings.ReplaceAll(string(read(chartRels[m[3]])), "<c:", "<"), "</c:", "</")
		ci := chartInfo{Anchor: ref, Series: strings.Count(c, "<ser>")}
		switch {
		case strings.Contains(c, "<lineChart>"):
			ci.Type = "line"
		case strings.Contains(c, "<pieChart>"):
			ci.Type = "pie"
		case strings.Contains(c, `<barDir val="col"`):
			ci.Type = "col"
		case strings.Contains(c, `<barDir val="bar"`):
			ci.Type = "bar"
		}
		if tm := regexp.MustCompile(`(?s)<title>.*?<a:t>([^<]*)</a:t>`).FindStringSubmatch(c); tm != nil {
			ci.Title = tm[1]
		}
		out = append(out, ci)
	}
	return out
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// TestDefinitionsSheet: the workbook's Definitions sheet explains every
// column of every sheet, by sheet and header as the partner sees them.
func TestDefinitionsSheet(t *testing.T) {
	f, _ := partnerWorkbookFile(t)
	sheets := f.GetSheetList()
	if n := len(sheets); n < 2 || sheets[n-2] != reports.DefinitionsSheet {
		t.Fatalf("sheets %q: want Definitions before Metadata", sheets)
	}
	rows, err := f.GetRows(reports.DefinitionsSheet)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], "|") != "Sheet|Column|What it means and how it is computed|Partner Center field, and where we differ" {
		t.Errorf("header %q", rows[0])
	}
	have := map[string]string{}
	for _, r := range rows[1:] {
		if len(r) >= 3 {
			have[r[0]+"|"+r[1]] = r[2]
		}
	}
	for _, s := range sheets {
		if s == reports.DefinitionsSheet || s == render.MetadataSheet {
			continue
		}
		head := 1
		if s == "Summary" {
			head = findRow(t, f, s, "Area")
		}
		sheetRows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range sheetRows[head-1] {
			if have[s+"|"+h] == "" {
				t.Errorf("%s: column %q is not defined on the Definitions sheet", s, h)
			}
		}
	}
	for _, topic := range []string{"Opted-out customers", "Masking"} {
		if have["All sheets|"+topic] == "" {
			t.Errorf("no privacy rule %q", topic)
		}
	}
}
