package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/xuri/excelize/v2"
)

// The parts of a workbook that make it read and print well: the title block
// above the first table, print settings, conditional formats and data bars.

// Colours: dark text on light fills (Excel's own "good / bad / neutral"
// pairs), legible on screen and in black-and-white print.
var tones = map[Tone][2]string{ // font, fill
	Good: {"006100", "C6EFCE"},
	Bad:  {"9C0006", "FFC7CE"},
	Warn: {"9C5700", "FFEB9C"},
}

// bodyFont is named on every styled font: a style that names no family
// falls back to a program's own (LibreOffice draws it as a wider serif),
// and the widths planned for Calibri would not hold.
const bodyFont = "Calibri"

const (
	darkText  = "1F1F1F"
	titleBlue = "1F3864"
	labelGrey = "595959"
	barColour = "#5B9BD5"
)

// decoStyles are the styles of the title block, empty notes and highlights.
type decoStyles struct {
	title, label, value, empty int
	tone                       map[Tone]int // conditional (dxf) styles
}

func (x *xlsxWriter) initDeco() error {
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = x.f.NewStyle(s)
		return id
	}
	x.deco.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: titleBlue, Family: bodyFont}})
	x.deco.label = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Color: labelGrey, Family: bodyFont}})
	x.deco.value = mk(&excelize.Style{Font: &excelize.Font{Color: darkText, Family: bodyFont}, Alignment: &excelize.Alignment{Horizontal: "left"}})
	x.deco.empty = mk(&excelize.Style{Font: &excelize.Font{Italic: true, Color: labelGrey, Family: bodyFont}})
	if err != nil {
		return fmt.Errorf("title styles: %w", err)
	}
	x.deco.tone = map[Tone]int{}
	for _, t := range []Tone{Good, Bad, Warn} { // in order: ids must not depend on map order
		c := tones[t]
		id, err := x.f.NewConditionalStyle(&excelize.Style{
			Font: &excelize.Font{Color: c[0]},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c[1]}},
		})
		if err != nil {
			return fmt.Errorf("highlight style: %w", err)
		}
		x.deco.tone[t] = id
	}
	return nil
}

// introRows is the number of rows the title block takes above the first
// table, a blank row included; 0 when there is none.
func introRows(wb Workbook) int {
	n := len(wb.About)
	if wb.Title != "" {
		n++
	}
	if n == 0 {
		return 0
	}
	return n + 1
}

// writeIntro writes the title and the (label, value) rows in columns A and B.
func (x *xlsxWriter) writeIntro(sheet string, wb Workbook) error {
	row := 1
	if wb.Title != "" {
		if err := x.setStyled(sheet, 1, row, wb.Title, x.deco.title); err != nil {
			return err
		}
		if err := x.f.SetRowHeight(sheet, row, pxToPoints(titleRowPx)); err != nil {
			return err
		}
		x.titled = true
		row++
	}
	for _, kv := range wb.About {
		if err := x.setStyled(sheet, 1, row, kv[0], x.deco.label); err != nil {
			return err
		}
		if err := x.setStyled(sheet, 2, row, kv[1], x.deco.value); err != nil {
			return err
		}
		row++
	}
	return nil
}

func (x *xlsxWriter) setStyled(sheet string, col, row int, v any, style int) error {
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	if err := x.f.SetCellValue(sheet, cell, v); err != nil {
		return err
	}
	return x.f.SetCellStyle(sheet, cell, cell, style)
}

// Chart grid beside the first sheet's table: two charts a row, in pixels.
const (
	chartCols = 2
	chartGap  = 16
	// Excel's default column is 64 pixels wide and its default row 20 high;
	// the print area reaches that far past the charts.
	defaultColPx = 64
	defaultRowPx = 20
	titleRowPx   = 28
)

// gridRows gives the rows where the charts go a fixed 20 pixels, as the
// grid assumes and excelize uses to compute each chart's bottom-right cell:
// programs differ in the height they give a row by default (LibreOffice's is
// lower, and the charts would overlap). Called before the charts are added.
func (x *xlsxWriter) gridRows(p *tablePlan, charts int) error {
	if charts == 0 {
		return nil
	}
	name := p.parts[0].name
	lastRow := p.head + int(max(p.rows, 1))
	from := 1
	if x.chartsBelow {
		from = lastRow + 1 // the table's rows keep their height (wrapped text)
	}
	gridEnd := from + 2 + ((charts+chartCols-1)/chartCols*(chartHeight+chartGap))/defaultRowPx
	if !x.chartsBelow {
		gridEnd = max(gridEnd, lastRow)
	}
	for r := from; r <= gridEnd; r++ {
		if err := x.f.SetRowHeight(name, r, pxToPoints(x.rowPx(r))); err != nil {
			return fmt.Errorf("sheet %q: row height: %w", name, err)
		}
	}
	return nil
}

// finishNormal sets the dimension of the in-memory first sheet and, when it
// carries charts, a print area that includes them (some programs print only
// the cells otherwise).
func (x *xlsxWriter) finishNormal(p *tablePlan, charts int) error {
	name := p.parts[0].name
	lastCol := max(len(p.cols), 2)
	lastRow := p.head + int(max(p.rows, 1))
	if err := x.f.SetSheetDimension(name, "A1:"+cellName(lastCol, lastRow)); err != nil {
		return fmt.Errorf("sheet %q: dimension: %w", name, err)
	}
	if charts == 0 {
		return nil
	}
	gridCols := (chartCols*(chartWidth+chartGap) + defaultColPx - 1) / defaultColPx
	gridRows := ((charts+chartCols-1)/chartCols*(chartHeight+chartGap) + defaultRowPx - 1) / defaultRowPx
	right, bottom := len(p.cols)+1+gridCols, max(lastRow, gridRows)
	if x.chartsBelow {
		// The table's own columns are wider than the default: the grid
		// never reaches past them by more than its width in default columns.
		right, bottom = max(len(p.cols), gridCols), lastRow+1+gridRows
	}
	col, _ := excelize.ColumnNumberToName(right)
	return x.f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Area",
		RefersTo: fmt.Sprintf("%s!$A$1:$%s$%d", quoteSheet(name), col, bottom),
		Scope:    name,
	})
}

func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// chartAnchor places chart i of the grid beside (or under) the first
// sheet's table. excelize limits an offset to the anchor cell's size, so the
// anchor is the cell under the chart's top-left pixel, and the offset what
// remains within it.
func (x *xlsxWriter) chartAnchor(summary *tablePlan, i int) (cell string, offX, offY int) {
	px, py := (i%chartCols)*(chartWidth+chartGap), (i/chartCols)*(chartHeight+chartGap)
	col, row := len(summary.cols)+2, 1
	if x.chartsBelow {
		col, row = 1, summary.head+int(max(summary.rows, 1))+2
	}
	colPx := func(c int) int {
		if c <= len(summary.widths) {
			return int(summary.widths[c-1]*7 + 5) // Excel's pixels for a width in characters (Calibri 11)
		}
		return defaultColPx
	}
	for px >= colPx(col) {
		px -= colPx(col)
		col++
	}
	for py >= x.rowPx(row) {
		py -= x.rowPx(row)
		row++
	}
	return cellName(col, row), px, py
}

// rowPx is the height of a row of the first sheet in pixels: the title
// row is taller.
func (x *xlsxWriter) rowPx(row int) int {
	if row == 1 && x.titled {
		return titleRowPx
	}
	return defaultRowPx
}

// Print: every sheet prints landscape on A4 or Letter, whichever the
// printer has, so a page is planned to the smaller of each: Letter's width
// (11 in) and A4's height (8.27 in), inside the margins set below.
const (
	printWidthPt  = (11 - 0.4 - 0.4) * 72    // 734 points
	printHeightPt = (8.27 - 0.55 - 0.6) * 72 // 512 points
	// minReadableScale: 11-point text printed smaller than this is hard to
	// read, so a sheet that only fits one page wide below it (a detail
	// list) prints at detailScale instead, on as many pages as it takes
	// across, with its header row and first column on every page.
	minReadableScale = 70
	detailScale      = 80
	// printSlack leaves a tenth of the width spare: LibreOffice draws
	// columns (and the charts anchored to them) wider than Excel's
	// arithmetic, and a sheet planned to the last point spills onto a
	// sliver of a second page there.
	printSlack = 0.9
)

// printPlan is how one sheet prints.
type printPlan struct {
	fit       bool  // one page wide, as tall as it takes (the program picks the scale)
	onePage   bool  // fit on exactly one page
	scale     int   // percent, when not fit
	titleRows int   // the header row, repeated on every page; 0 = none
	titleCol  bool  // the first column repeated on every page across (a wide list)
	rowBreaks []int // manual page breaks before these rows
	colBreaks []int // and before these columns
}

// colsPx is the width of columns in pixels, as Excel draws a width in
// characters (Calibri 11).
func colsPx(widths []float64) int {
	px := 0
	for _, w := range widths {
		px += int(w*7 + 5)
	}
	return px
}

// fitScale is the largest scale (percent, at most 100) at which px pixels
// (0.75 points each) fit the printed width, with printSlack to spare.
func fitScale(px int) int {
	if px <= 0 {
		return 100
	}
	return min(100, int(printSlack*printWidthPt*100/(float64(px)*0.75)))
}

// planPrint decides how part k of a table prints: one page wide when that
// is readable, else at a readable scale across pages with the header row and
// first column repeated. The first sheet with charts prints its table on the
// first page and the charts on the pages after, never cut by a page break.
func (x *xlsxWriter) planPrint(p *tablePlan, k int) printPlan {
	head := p.headRow(k)
	first := k == 0 && p.normal
	if first && x.charts > 0 {
		return x.planChartsPrint(p)
	}
	if first && p.rows <= onePageRows && fitScale(colsPx(p.widths)) >= minReadableScale {
		return printPlan{fit: true, onePage: true} // a short first sheet (a Summary without charts)
	}
	if fitScale(colsPx(p.widths)) >= minReadableScale {
		return printPlan{fit: true, titleRows: head}
	}
	return printPlan{scale: detailScale, titleRows: head, titleCol: true}
}

// planChartsPrint plans the first sheet with its chart grid: beside the
// table, the charts start a new page across (a column break) and each page
// holds as many whole rows of charts as fit; under the table, they start a
// new page when the table and the charts do not share one.
func (x *xlsxWriter) planChartsPrint(p *tablePlan) printPlan {
	gridPx := (chartCols*(chartWidth+chartGap) + defaultColPx - 1) / defaultColPx * defaultColPx
	scale := max(fitScale(max(colsPx(p.widths), gridPx)), minReadableScale)
	pageH := printHeightPt * 100 / float64(scale)       // the page's height in the sheet's points
	chartRowPt := pxToPoints(chartHeight + chartGap)    // a row of charts, in row points
	chartRows := (x.charts + chartCols - 1) / chartCols // rows of charts
	perPage := max(1, int(pageH/chartRowPt))            // rows of charts a page holds
	pl := printPlan{scale: scale}
	if !x.chartsBelow {
		cell, _, _ := x.chartAnchor(p, 0)
		col, _, _ := excelize.CellNameToCoordinates(cell)
		pl.colBreaks = []int{col}
		for r := perPage; r < chartRows; r += perPage {
			cell, _, _ := x.chartAnchor(p, r*chartCols)
			_, row, _ := excelize.CellNameToCoordinates(cell)
			pl.rowBreaks = append(pl.rowBreaks, row)
		}
		return pl
	}
	lastRow := p.head + int(max(p.rows, 1))
	tablePt := float64(lastRow) * lineHeight
	if tablePt > pageH {
		pl.titleRows = p.head // a long table: its header on every page
	}
	if tablePt+float64(chartRows)*chartRowPt > pageH {
		pl.rowBreaks = []int{lastRow + 2} // the charts start on a page of their own
	}
	return pl
}

// printSetup makes a sheet print landscape as planned, with the sheet name
// in the page header and the footer with the page number.
func (x *xlsxWriter) printSetup(sheet string, head int, pl printPlan) error {
	landscape := "landscape"
	lo := &excelize.PageLayoutOptions{Orientation: &landscape}
	if pl.fit {
		wide, tall := 1, 0
		if pl.onePage {
			tall = 1
		}
		lo.FitToWidth, lo.FitToHeight = &wide, &tall
	} else {
		scale := uint(pl.scale)
		order := "overThenDown" // a band of rows across its pages before the next band
		lo.AdjustTo, lo.PageOrder = &scale, &order
	}
	if err := x.f.SetPageLayout(sheet, lo); err != nil {
		return err
	}
	fit := pl.fit
	if err := x.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	l, r, t, b, hf := 0.4, 0.4, 0.55, 0.6, 0.25
	if err := x.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &l, Right: &r, Top: &t, Bottom: &b, Header: &hf, Footer: &hf,
	}); err != nil {
		return err
	}
	footer := "&R&8" + x.locale.text(&x.localeTexts().Page, "Page &P of &N")
	if x.footer != "" {
		footer = "&L&8" + strings.ReplaceAll(x.footer, "&", "&&") + footer
	}
	if err := x.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L&8&A", OddFooter: footer,
	}); err != nil {
		return err
	}
	for _, row := range pl.rowBreaks {
		if err := x.f.InsertPageBreak(sheet, cellName(1, row)); err != nil {
			return err
		}
	}
	for _, col := range pl.colBreaks {
		if err := x.f.InsertPageBreak(sheet, cellName(col, 1)); err != nil {
			return err
		}
	}
	var titles []string
	if pl.titleCol {
		titles = append(titles, quoteSheet(sheet)+"!$A:$A")
	}
	if pl.titleRows > 0 {
		titles = append(titles, fmt.Sprintf("%s!$%d:$%d", quoteSheet(sheet), pl.titleRows, pl.titleRows))
	}
	if len(titles) == 0 {
		return nil
	}
	return x.f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: strings.Join(titles, ","),
		Scope:    sheet,
	})
}

// highlight adds the table's highlights to one of its sheets as formula
// conditional formats over the data rows.
func (x *xlsxWriter) highlight(p *tablePlan, part sheetPart, head int) error {
	if len(p.t.Highlights) == 0 || part.rows == 0 {
		return nil
	}
	first, last := head+1, head+int(part.rows)
	lastCol, _ := excelize.ColumnNumberToName(len(p.cols))
	// One call per range: excelize replaces the formats of a range it is
	// given again.
	var refs []string
	byRef := map[string][]excelize.ConditionalFormatOptions{}
	for _, h := range p.t.Highlights {
		ref := fmt.Sprintf("A%d:%s%d", first, lastCol, last)
		if h.Column != "" {
			j, err := columnIndex(p.cols, h.Column)
			if err != nil {
				return fmt.Errorf("highlight: %w", err)
			}
			c, _ := excelize.ColumnNumberToName(j)
			ref = fmt.Sprintf("%s%d:%s%d", c, first, c, last)
		}
		formula, err := highlightFormula(p.cols, h, first)
		if err != nil {
			return err
		}
		style, ok := x.deco.tone[h.Tone]
		if !ok {
			return fmt.Errorf("highlight of %q: no tone", h.Column)
		}
		if _, seen := byRef[ref]; !seen {
			refs = append(refs, ref)
		}
		byRef[ref] = append(byRef[ref], excelize.ConditionalFormatOptions{Type: "formula", Criteria: formula, Format: &style})
	}
	for _, ref := range refs {
		if err := x.f.SetConditionalFormat(part.name, ref, byRef[ref]); err != nil {
			return err
		}
	}
	return nil
}

// highlightFormula is the condition of h for the first data row, with the
// tested columns absolute and the row relative, e.g. $H2="breached", or
// AND(…) of every test when h has further conditions.
func highlightFormula(cols []Column, h Highlight, firstRow int) (string, error) {
	test := h.If
	if test == "" {
		test = h.Column
	}
	f, err := conditionFormula(cols, Condition{If: test, Op: h.Op, Value: h.Value}, firstRow)
	if err != nil || len(h.And) == 0 {
		return f, err
	}
	parts := []string{f}
	for _, c := range h.And {
		g, err := conditionFormula(cols, c, firstRow)
		if err != nil {
			return "", err
		}
		parts = append(parts, g)
	}
	return "AND(" + strings.Join(parts, ",") + ")", nil
}

// conditionFormula is one test of column c.If in the first data row.
func conditionFormula(cols []Column, c Condition, firstRow int) (string, error) {
	j, err := columnIndex(cols, c.If)
	if err != nil {
		return "", fmt.Errorf("highlight: %w", err)
	}
	col, _ := excelize.ColumnNumberToName(j)
	ref := "$" + col + strconv.Itoa(firstRow)
	var v string
	switch val := c.Value.(type) {
	case string:
		val = cols[j-1].display(val) // the cell shows the Display text
		v = `"` + strings.ReplaceAll(val, `"`, `""`) + `"`
	case int:
		v = strconv.Itoa(val)
	case int64:
		v = strconv.FormatInt(val, 10)
	case float64:
		v = strconv.FormatFloat(val, 'f', -1, 64)
	default:
		return "", fmt.Errorf("highlight of %q: value %v is neither text nor a number", c.If, c.Value)
	}
	switch c.Op {
	case "=", "<>", ">", "<", ">=", "<=":
		if _, isText := c.Value.(string); !isText && c.Op != "=" && c.Op != "<>" {
			// A blank cell compares as 0 in Excel; a number test needs a number.
			return fmt.Sprintf("AND(ISNUMBER(%s),%s%s%s)", ref, ref, c.Op, v), nil
		}
		return ref + c.Op + v, nil
	case "begins":
		return fmt.Sprintf("LEFT(%s,LEN(%s))=%s", ref, v, v), nil
	}
	return "", fmt.Errorf("highlight of %q: unknown operator %q", c.If, c.Op)
}

// barRows collects, per Bar, the cells of the sheet being written that get
// a data bar.
type barRows struct {
	bars  []Bar
	col   []string // letter of each bar's column
	test  []int    // index of each bar's If column, -1 = every row
	cells [][]string
}

func planBars(p *tablePlan) (*barRows, error) {
	b := &barRows{bars: p.t.Bars}
	for _, bar := range p.t.Bars {
		j, err := columnIndex(p.cols, bar.Column)
		if err != nil {
			return nil, fmt.Errorf("data bar: %w", err)
		}
		c, _ := excelize.ColumnNumberToName(j)
		k := -1
		if bar.If != "" {
			if k, err = columnIndex(p.cols, bar.If); err != nil {
				return nil, fmt.Errorf("data bar: %w", err)
			}
			k--
		}
		b.col, b.test = append(b.col, c), append(b.test, k)
	}
	b.cells = make([][]string, len(b.bars))
	return b, nil
}

// note records row i of the current batch, written to sheet row row.
func (b *barRows) note(readers []*colReader, i, row int) {
	for n, bar := range b.bars {
		if k := b.test[n]; k >= 0 {
			if s, ok := textAt(readers[k], i); !ok || s != bar.Equals {
				continue
			}
		}
		b.cells[n] = append(b.cells[n], b.col[n]+strconv.Itoa(row))
	}
}

// apply adds the bars noted so far to sheet and forgets them.
func (b *barRows) apply(f *excelize.File, sheet string) error {
	for n, bar := range b.bars {
		if len(b.cells[n]) == 0 {
			continue
		}
		opt := []excelize.ConditionalFormatOptions{{
			Type: "data_bar", Criteria: "=",
			MinType: "num", MinValue: strconv.FormatFloat(bar.Min, 'f', -1, 64),
			MaxType: "num", MaxValue: strconv.FormatFloat(bar.Max, 'f', -1, 64),
			BarColor: barColour, BarSolid: true,
		}}
		if err := f.SetConditionalFormat(sheet, strings.Join(b.cells[n], " "), opt); err != nil {
			return err
		}
		b.cells[n] = b.cells[n][:0]
	}
	return nil
}

// textAt is the text of a string column's row i; false for null or non-text.
func textAt(r *colReader, i int) (string, bool) {
	if r.arr.IsNull(i) {
		return "", false
	}
	switch r.kind {
	case kString, kLargeString, kStringView:
		return r.str(i), true
	case kDict:
		return textAt(r.dict, r.arr.(*array.Dictionary).GetValueIndex(i))
	}
	return "", false
}

// pxToPoints is the row height in points that excelize counts as px pixels
// when it places a chart's corners (it converts with 4/3.4, not 4/3): the
// grid's arithmetic and excelize's then agree, whatever the program draws.
func pxToPoints(px int) float64 { return float64(px) * 3.4 / 4 }
