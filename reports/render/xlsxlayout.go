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
	x.deco.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: titleBlue}})
	x.deco.label = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Color: labelGrey}})
	x.deco.value = mk(&excelize.Style{Font: &excelize.Font{Color: darkText}, Alignment: &excelize.Alignment{Horizontal: "left"}})
	x.deco.empty = mk(&excelize.Style{Font: &excelize.Font{Italic: true, Color: labelGrey}})
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

// printSetup makes a sheet print landscape, one page wide (the first sheet
// on exactly one page), its header row repeated on every page, the sheet
// name in the page header and the footer with the page number.
func (x *xlsxWriter) printSetup(sheet string, head int, onePage bool) error {
	landscape, wide, tall := "landscape", 1, 0
	if onePage {
		tall = 1
	}
	if err := x.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	fit := true
	if err := x.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	l, r, t, b, hf := 0.4, 0.4, 0.55, 0.6, 0.25
	if err := x.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &l, Right: &r, Top: &t, Bottom: &b, Header: &hf, Footer: &hf,
	}); err != nil {
		return err
	}
	footer := "&R&8Page &P of &N"
	if x.footer != "" {
		footer = "&L&8" + strings.ReplaceAll(x.footer, "&", "&&") + footer
	}
	if err := x.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L&8&A", OddFooter: footer,
	}); err != nil {
		return err
	}
	if onePage {
		return nil
	}
	return x.f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("%s!$%d:$%d", quoteSheet(sheet), head, head),
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
// tested column absolute and the row relative, e.g. $H2="breached".
func highlightFormula(cols []Column, h Highlight, firstRow int) (string, error) {
	test := h.If
	if test == "" {
		test = h.Column
	}
	j, err := columnIndex(cols, test)
	if err != nil {
		return "", fmt.Errorf("highlight: %w", err)
	}
	c, _ := excelize.ColumnNumberToName(j)
	ref := "$" + c + strconv.Itoa(firstRow)
	var v string
	switch val := h.Value.(type) {
	case string:
		v = `"` + strings.ReplaceAll(val, `"`, `""`) + `"`
	case int:
		v = strconv.Itoa(val)
	case int64:
		v = strconv.FormatInt(val, 10)
	case float64:
		v = strconv.FormatFloat(val, 'f', -1, 64)
	default:
		return "", fmt.Errorf("highlight of %q: value %v is neither text nor a number", test, h.Value)
	}
	switch h.Op {
	case "=", "<>", ">", "<", ">=", "<=":
		if _, isText := h.Value.(string); !isText && h.Op != "=" && h.Op != "<>" {
			// A blank cell compares as 0 in Excel; a number test needs a number.
			return fmt.Sprintf("AND(ISNUMBER(%s),%s%s%s)", ref, ref, h.Op, v), nil
		}
		return ref + h.Op + v, nil
	case "begins":
		return fmt.Sprintf("LEFT(%s,LEN(%s))=%s", ref, v, v), nil
	}
	return "", fmt.Errorf("highlight of %q: unknown operator %q", test, h.Op)
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
