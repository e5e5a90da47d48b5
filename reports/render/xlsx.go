package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// ChartKind is the type of a native Excel chart.
type ChartKind int

// Chart kinds. They carry a Chart prefix because Column is already a type.
const (
	ChartLine   ChartKind = iota // trends over months
	ChartColumn                  // vertical bars
	ChartBar                     // horizontal bars, for long category names
	ChartPie                     // shares; only the first series is drawn
)

// Chart is a native chart placed on the Summary (first) sheet, drawing the
// data of one of the workbook's tables.
type Chart struct {
	Kind     ChartKind
	Title    string
	Table    string   // Table.Name of the data sheet
	Category string   // Column.Name of the categories (x axis, pie slices)
	Series   []string // Column.Name of each value series
	// Reference names series (among Series) drawn as thin dashed lines:
	// thresholds and targets the other series are read against.
	Reference []string
	Anchor    string // top-left cell on the Summary sheet, "" = the next place of a grid right of the Summary data
}

// Workbook is one partner's workbook for one period.
type Workbook struct {
	Sheets []Table // in order; the first is the Summary (a normal sheet, so charts can live there)
	Charts []Chart // placed on the first sheet, data referenced from their Table sheet
	// Meta holds key/value rows for the "Metadata" sheet (partner, period,
	// as-of, run id, generated at...). The renderer adds a row count per sheet.
	// Keys named like "Partner", "Period", "Run ID", "As of" and "Generated at"
	// also fill the document properties, so that nothing depends on the clock.
	Meta [][2]string
	// Title and About introduce the workbook above the first sheet's table:
	// a large title, then one row per (label, value), e.g. the partner, the
	// report month and the as-of date. Empty = the table starts in row 1.
	Title string
	About [][2]string
	// Footer is printed on every page, left; the page number ("Page 3 of 9")
	// is printed right. Every sheet prints landscape, one page wide, with its
	// header row repeated on each page; the first sheet fits on one page.
	Footer string
	// ChartsBelow places the charts under the first sheet's table instead
	// of beside it (a wide table).
	ChartsBelow bool
	// Locale is the language's number formats and the renderer's own texts;
	// nil = English with ISO dates.
	Locale *Locale
	// Props, when set, fills the document properties instead of Meta (whose
	// keys are then in the reader's language): same keys as Meta's.
	Props [][2]string
}

// Options tune WriteXLSX.
type Options struct {
	// MaxRows is the number of data rows per sheet before the table continues
	// on "Name (2)", "Name (3)"...; 0 (or more than Excel allows) = 1,048,575,
	// Excel's 1,048,576 rows minus the header.
	MaxRows int
}

// MaxDataRows is the most data rows an Excel sheet holds under its header.
const MaxDataRows = 1_048_575

// onePageRows is the longest first sheet printed on a single page.
const onePageRows = 60

// MetadataSheet is the name of the last sheet of every workbook.
const MetadataSheet = "Metadata"

// Column widths, in characters.
const (
	minWidth = 6
	maxWidth = 50
	// maxWordWidth: a column of long text is widened up to this for its
	// longest word (an id), which wrapping cannot split.
	maxWordWidth = 64
	widthSample  = 1000 // rows sampled per table to fit widths
)

// Number formats per Format. Integer and Money use Excel's built-in formats
// 3 and 4 so that every spreadsheet program knows them.
var numFmts = map[Format]struct {
	id     int
	custom string
}{
	Integer:   {id: 3},                         // #,##0
	Money:     {id: 4},                         // #,##0.00
	Decimal:   {custom: "#,##0.00##"},          //
	Percent:   {custom: "0.0%"},                //
	Date:      {custom: "yyyy-mm-dd"},          //
	Month:     {custom: "yyyy-mm"},             //
	Timestamp: {custom: "yyyy-mm-dd hh:mm:ss"}, //
	Points:    {custom: `+0.0" pp";-0.0" pp";0.0" pp"`},
}

// inPoints turns a difference of ratios into percentage points for a
// Points cell (0.03 → 3); the cell's format then reads "+3.0 pp".
func inPoints(v any) any {
	if f, ok := v.(float64); ok {
		return math.Round(f*100*1e9) / 1e9 // 0.03*100 is 3.0000000000000004
	}
	return v
}

// numeric reports whether a format shows numbers (dates and times
// included), which spreadsheets align right; text aligns left.
func (f Format) numeric() bool { return f != Text }

// WriteXLSX writes wb as an .xlsx workbook: the Summary sheet first (with the
// charts), one sheet per further table (continued on numbered sheets past
// opt.MaxRows rows), and the Metadata sheet last. Every data sheet has a
// styled, frozen header row, an autofilter over its data, fitted column widths
// and a number format per column. Large sheets are streamed; the Summary is
// built in memory only when it carries charts, which Excel allows only there.
func WriteXLSX(w io.Writer, wb Workbook, opt Options) (st Stats, err error) {
	if len(wb.Sheets) == 0 {
		return st, errors.New("xlsx: workbook has no sheets")
	}
	maxRows := int64(opt.MaxRows)
	if maxRows <= 0 || maxRows > MaxDataRows {
		maxRows = MaxDataRows
	}
	plans, err := planSheets(wb.Sheets, maxRows, wb.ChartsBelow, wb.Locale)
	if err != nil {
		return st, fmt.Errorf("xlsx: %w", err)
	}
	charts, err := planCharts(wb.Charts, plans)
	if err != nil {
		return st, fmt.Errorf("xlsx: %w", err)
	}
	intro := introRows(wb)
	plans[0].normal = len(charts) > 0 || intro > 0
	plans[0].head = intro + 1
	if intro > 0 && len(plans[0].widths) > 0 { // the title block's labels live in column A
		for _, kv := range wb.About {
			plans[0].widths[0] = max(plans[0].widths[0], float64(min(textWidth([]byte(kv[0]))+2, maxWidth)))
		}
	}

	f := excelize.NewFile()
	stableContentTypes(f)
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("xlsx: close workbook: %w", cerr)
		}
	}()
	x := &xlsxWriter{f: f, maxRows: maxRows, footer: wb.Footer, chartsBelow: wb.ChartsBelow, locale: wb.Locale, more: map[styleKey]int{}}
	if err := x.init(plans); err != nil {
		return st, fmt.Errorf("xlsx: %w", err)
	}
	if err := x.writeIntro(plans[0].parts[0].name, wb); err != nil {
		return st, fmt.Errorf("xlsx: title block: %w", err)
	}
	props := wb.Props
	if props == nil {
		props = wb.Meta
	}
	if err := setDocProps(f, props); err != nil {
		return st, fmt.Errorf("xlsx: document properties: %w", err)
	}
	x.charts = len(charts) // the first sheet's print setup places page breaks around them
	for _, p := range plans {
		if err := x.writeTable(p); err != nil {
			return st, fmt.Errorf("xlsx: table %q: %w", p.t.Name, err)
		}
		st.Rows += p.rows
		st.Cells += p.rows * int64(len(p.cols))
		st.Sheets += int64(len(p.parts))
	}
	if err := x.gridRows(plans[0], len(charts)); err != nil {
		return st, fmt.Errorf("xlsx: %w", err)
	}
	for i, c := range charts {
		if err := x.addChart(plans[0], c, i); err != nil {
			return st, fmt.Errorf("xlsx: chart %q: %w", c.Title, err)
		}
	}
	if plans[0].normal {
		if err := x.finishNormal(plans[0], len(charts)); err != nil {
			return st, fmt.Errorf("xlsx: %w", err)
		}
	}
	if err := x.writeMetadata(wb.Meta, plans); err != nil {
		return st, fmt.Errorf("xlsx: metadata sheet: %w", err)
	}
	st.Sheets++
	// No SetActiveSheet: the first sheet is active by default, and setting it
	// makes excelize re-read every streamed sheet into memory.
	if err := f.Write(w); err != nil {
		return st, fmt.Errorf("xlsx: write workbook: %w", err)
	}
	return st, nil
}

// sheetPart is one worksheet of a table.
type sheetPart struct {
	name string
	rows int64
}

// tablePlan is everything decided about a table before a cell is written.
type tablePlan struct {
	t      Table
	cols   []Column
	rows   int64
	parts  []sheetPart
	widths []float64
	wrap   []bool // text wider than maxWidth wraps within the column
	// headWrap: a header wider than its column's values wraps onto a
	// second line (the header row is two lines high), so that a column of
	// small numbers under a long header does not take a page's width.
	headWrap bool
	normal   bool // built with the in-memory API (Summary with charts) instead of streamed
	head     int  // header row of the first part (1 unless a title block sits above)
}

// headRow is the header row of part k: continuations have no title block.
func (p *tablePlan) headRow(k int) int {
	if k == 0 {
		return max(p.head, 1)
	}
	return 1
}

// planSheets plans every table; headers may wrap onto two lines on every
// sheet but the first, unless its charts sit below it (wrapFirst): a chart
// grid beside the table counts its rows.
func planSheets(tables []Table, maxRows int64, wrapFirst bool, loc *Locale) ([]*tablePlan, error) {
	names := newSheetNamer()
	names.take(loc.metadataSheet())
	plans := make([]*tablePlan, len(tables))
	for i, t := range tables {
		cols, err := t.columns()
		if err != nil {
			return nil, err
		}
		p := &tablePlan{t: t, cols: cols, rows: t.NumRows(), head: 1}
		nparts := max(1, (p.rows+maxRows-1)/maxRows)
		base := SanitizeSheetName(t.Name)
		for k := range nparts {
			part := sheetPart{rows: min(maxRows, p.rows-k*maxRows)}
			if k == 0 {
				part.name = names.unique(base)
			} else {
				part.name = names.numbered(base, int(k)+1)
			}
			p.parts = append(p.parts, part)
		}
		wrapHeaders := i > 0 || wrapFirst
		p.widths, p.wrap = fitWidths(t, cols, wrapHeaders, loc)
		for j, c := range cols {
			p.headWrap = p.headWrap || wrapHeaders && p.widths[j] < float64(headerWidth(c))
		}
		plans[i] = p
	}
	return plans, nil
}

// fitWidths sizes each column from its header and the first rows: wide
// enough for the longest sampled value and the header with its filter button,
// within [minWidth, maxWidth]; a text column with longer values wraps them
// (wrap[j]) instead of running into the next cell. A Column.Width wins.
// With wrapHeaders, a header needs only the width of its longer half (two
// lines) when the values are narrower.
func fitWidths(t Table, cols []Column, wrapHeaders bool, loc *Locale) (widths []float64, wrap []bool) {
	chars := make([]int, len(cols))
	words := make([]int, len(cols)) // longest word of long text: wrapping never splits one
	for j, c := range cols {
		chars[j] = headerWidth(c)
		if wrapHeaders {
			chars[j] = twoLineWidth(c.HeaderText()) + 3
		}
	}
	var scratch []byte
	left := widthSample
	for _, rec := range t.Records {
		n := min(int(rec.NumRows()), left)
		for j := range cols {
			r := newColReader(rec.Column(j), cols[j].Format)
			extra := loc.extraWidth(cols[j])
			for i := range n {
				w := r.displayWidth(i, scratch) + 2 + extra
				if cols[j].Display != nil {
					if s, ok := textAt(r, i); ok {
						w = textWidth([]byte(cols[j].Display(s))) + 2
					}
				}
				if w > chars[j] {
					chars[j] = w
				}
				if w > maxWidth && r.isText() {
					scratch = r.appendText(scratch[:0], i)
					for _, word := range bytes.Fields(scratch) {
						words[j] = max(words[j], textWidth(word)+2)
					}
				}
			}
		}
		if left -= n; left == 0 {
			break
		}
	}
	widths = make([]float64, len(cols))
	wrap = make([]bool, len(cols))
	for j, c := range cols {
		widths[j] = min(c.Width, excelize.MaxColumnWidth)
		if widths[j] <= 0 {
			w := min(max(chars[j], minWidth), max(maxWidth, min(words[j], maxWordWidth)))
			widths[j] = float64(w)
			wrap[j] = chars[j] > w && c.Format == Text
		}
	}
	return widths, wrap
}

// headerWidth is the width a header takes on one line: bold text, the
// filter button and the indent of text.
func headerWidth(c Column) int { return textWidth([]byte(c.HeaderText())) + 3 }

// twoLineWidth is the width of text wrapped onto at most two lines at a
// space: the longer line of the best split (the whole text if it has no
// space).
func twoLineWidth(text string) int {
	best := textWidth([]byte(text))
	for i := 0; i < len(text); i++ {
		if text[i] == ' ' {
			best = min(best, max(textWidth([]byte(text[:i])), textWidth([]byte(text[i+1:]))))
		}
	}
	return best
}

// chartPlan is a validated Chart with its cell references.
type chartPlan struct {
	Chart
	data     *tablePlan
	catCol   int // 1-based
	serCols  []int
	catFmt   Format
	valueFmt Format
}

func planCharts(charts []Chart, plans []*tablePlan) ([]chartPlan, error) {
	var out []chartPlan
	for _, c := range charts {
		var data *tablePlan
		for _, p := range plans {
			if p.t.Name == c.Table {
				data = p
				break
			}
		}
		if data == nil {
			return nil, fmt.Errorf("chart %q: no table named %q", c.Title, c.Table)
		}
		if len(c.Series) == 0 {
			return nil, fmt.Errorf("chart %q: no series", c.Title)
		}
		cp := chartPlan{Chart: c, data: data}
		var err error
		if cp.catCol, err = columnIndex(data.cols, c.Category); err != nil {
			return nil, fmt.Errorf("chart %q: category: %w", c.Title, err)
		}
		cp.catFmt = data.cols[cp.catCol-1].Format
		for _, s := range c.Series {
			j, err := columnIndex(data.cols, s)
			if err != nil {
				return nil, fmt.Errorf("chart %q: series: %w", c.Title, err)
			}
			cp.serCols = append(cp.serCols, j)
		}
		cp.valueFmt = data.cols[cp.serCols[0]-1].Format
		if data.rows == 0 {
			continue // an empty table draws no chart; the data sheet shows the empty result
		}
		out = append(out, cp)
	}
	return out, nil
}

func columnIndex(cols []Column, name string) (int, error) {
	for j, c := range cols {
		if c.Name == name {
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("no column named %q", name)
}

// xlsxWriter holds the workbook being built and its shared styles.
type xlsxWriter struct {
	f       *excelize.File
	maxRows int64
	header  int    // the header style of text columns (and of the Metadata sheet)
	headers [4]int // header styles: left (text), right (numbers); the same wrapping
	styles  map[Format]int
	footer  string
	locale  *Locale
	more    map[styleKey]int // data styles of a currency or wrapping, made when first needed
	deco    decoStyles
	// chartsBelow: the chart grid goes under the first table, not beside it.
	chartsBelow bool
	titled      bool // the first sheet starts with a title row
	charts      int  // charts drawn on the first sheet
}

// init creates every sheet in order (so sheet indexes, which autofilters
// refer to, never move) and the styles.
func (x *xlsxWriter) init(plans []*tablePlan) error {
	first := true
	for _, p := range plans {
		for _, part := range p.parts {
			if first {
				if err := x.f.SetSheetName("Sheet1", part.name); err != nil {
					return fmt.Errorf("name sheet %q: %w", part.name, err)
				}
				first = false
				continue
			}
			if _, err := x.f.NewSheet(part.name); err != nil {
				return fmt.Errorf("add sheet %q: %w", part.name, err)
			}
		}
	}
	if _, err := x.f.NewSheet(x.locale.metadataSheet()); err != nil {
		return fmt.Errorf("add sheet %q: %w", x.locale.metadataSheet(), err)
	}
	var err error
	// Headers align as the values under them: numbers (and dates) right,
	// text left. Text is indented by a character, so that a date or a
	// number right-aligned in one column never runs into the text of the
	// next ("2026-10-31 Tier 4"), on screen or in print. Headers wrap only
	// on a sheet whose header row is two lines high: in a one-line row a
	// program with wider fonts would show the second line alone.
	for k := range x.headers { // left, right; then the same wrapping
		x.headers[k], err = x.f.NewStyle(&excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: "1F1F1F", Family: bodyFont},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
			Alignment: alignment(k%2 == 1, k >= 2, "bottom"),
		})
		if err != nil {
			return fmt.Errorf("header style: %w", err)
		}
	}
	x.header = x.headers[0]
	x.styles = map[Format]int{}
	for format := Text; format <= lastFormat; format++ { // in order: style ids must not depend on map order
		// Top-aligned: next to a wrapped cell of several lines, every cell
		// of the row starts on its first line.
		s := &excelize.Style{Alignment: alignment(format.numeric(), false, "top")}
		x.locale.numFmtStyle(s, format, "")
		if x.styles[format], err = x.f.NewStyle(s); err != nil {
			return fmt.Errorf("style for %s: %w", format, err)
		}
	}
	return x.initDeco()
}

// sheetSink receives the data rows of one worksheet.
type sheetSink interface {
	writeRow(row int, values []any, height float64) error // height in points, 0 = the default
	close() error
}

// writeTable writes the header and rows of a table over its sheets.
func (x *xlsxWriter) writeTable(p *tablePlan) error {
	part := 0
	sink, err := x.openPart(p, part)
	if err != nil {
		return err
	}
	var inPart int64
	values := make([]any, len(p.cols))
	readers := make([]*colReader, len(p.cols))
	rowFmt, err := newRowFormats(p.cols)
	if err != nil {
		return err
	}
	bars, err := planBars(p)
	if err != nil {
		return err
	}
	first := p.headRow(0) + 1 // data row of the part's first record
	var scratch []byte
	for _, rec := range p.t.Records {
		for j := range readers {
			readers[j] = newColReader(rec.Column(j), p.cols[j].Format)
		}
		n := int(rec.NumRows())
		for i := range n {
			if inPart == x.maxRows {
				if err := x.closePart(p, part, sink, bars); err != nil {
					return err
				}
				part++
				if sink, err = x.openPart(p, part); err != nil {
					return err
				}
				inPart = 0
				first = p.headRow(part) + 1
			}
			bars.note(readers, i, first+int(inPart))
			for j, r := range readers {
				values[j] = r.xlsxValue(i)
				c := p.cols[j]
				if s, ok := values[j].(string); ok && c.Display != nil {
					values[j] = c.Display(s)
				}
				f := c.Format
				cur := ""
				if rowFmt.by[j] >= 0 {
					f = rowFmt.format(j, readers, i)
					if key, ok := textAt(readers[rowFmt.by[j]], i); ok {
						cur = c.RowCurrency[key]
					}
				}
				if f == Points {
					values[j] = inPoints(values[j])
				}
				if f != c.Format || cur != "" {
					id, err := x.style(f, cur, p.wrap[j])
					if err != nil {
						return err
					}
					values[j] = excelize.Cell{StyleID: id, Value: values[j]}
				}
			}
			if err := sink.writeRow(first+int(inPart), values, wrapHeight(p, readers, i, &scratch)); err != nil {
				return fmt.Errorf("sheet %q row %d: %w", p.parts[part].name, first+int(inPart), err)
			}
			inPart++
		}
	}
	if p.rows == 0 && p.t.Empty != "" && len(p.cols) > 0 {
		if err := sink.writeRow(first, []any{excelize.Cell{StyleID: x.deco.empty, Value: p.t.Empty}}, 0); err != nil {
			return fmt.Errorf("sheet %q: empty note: %w", p.parts[part].name, err)
		}
	}
	return x.closePart(p, part, sink, bars)
}

// lineHeight is the height of a line of text in points (Calibri 11).
const lineHeight = 15

// wrapHeight is the height row i needs for its wrapped cells: spreadsheet
// programs do not grow a row for wrapped text when they open a file, so the
// renderer says how many lines the longest wrapped value takes. 0 = one line.
func wrapHeight(p *tablePlan, readers []*colReader, i int, scratch *[]byte) float64 {
	lines := 1
	for j, r := range readers {
		if !p.wrap[j] {
			continue
		}
		w := r.displayWidth(i, *scratch)
		// Words do not break mid-word: count a tenth more than the width.
		if n := (w*11/10 + int(p.widths[j]) - 2) / max(int(p.widths[j])-1, 1); n > lines {
			lines = n
		}
	}
	if lines == 1 {
		return 0
	}
	return float64(min(lines, 15) * lineHeight)
}

// closePart adds the part's data bars and finishes its sheet.
func (x *xlsxWriter) closePart(p *tablePlan, k int, sink sheetSink, bars *barRows) error {
	name := p.parts[k].name
	if err := bars.apply(x.f, name); err != nil {
		return fmt.Errorf("sheet %q: data bars: %w", name, err)
	}
	if err := sink.close(); err != nil {
		return fmt.Errorf("sheet %q: %w", name, err)
	}
	return nil
}

// colStyle is the style of column j of p: its number format (in its
// currency where the Locale writes one), wrapping long text.
func (x *xlsxWriter) colStyle(p *tablePlan, j int) (int, error) {
	return x.style(p.cols[j].Format, p.cols[j].Currency, p.wrap[j])
}

// lastCellFrom is the bottom-right cell of a table of rows data rows under
// a header in row head (an empty table keeps one row for its note).
func lastCellFrom(head, ncols int, rows int64) string {
	col, _ := excelize.ColumnNumberToName(max(ncols, 1))
	return col + strconv.FormatInt(int64(head)+max(rows, 1), 10)
}

var frozenHeader = excelize.Panes{
	Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
}

// alignment is the alignment of a cell: numbers right, text left and
// indented by one character.
func alignment(right, wrap bool, vertical string) *excelize.Alignment {
	if right {
		return &excelize.Alignment{Horizontal: "right", WrapText: wrap, Vertical: vertical}
	}
	return &excelize.Alignment{Horizontal: "left", Indent: 1, WrapText: wrap, Vertical: vertical}
}

// headerStyle is the style of column c's header cell: aligned as its values.
func (x *xlsxWriter) headerStyle(c Column, wrap bool) int {
	k := 0
	if c.Format.numeric() {
		k = 1
	}
	if wrap {
		k += 2
	}
	return x.headers[k]
}

func (x *xlsxWriter) headerCells(cols []Column, wrap bool) []any {
	h := make([]any, len(cols))
	for j, c := range cols {
		h[j] = excelize.Cell{StyleID: x.headerStyle(c, wrap), Value: c.HeaderText()}
	}
	return h
}

func (x *xlsxWriter) openPart(p *tablePlan, k int) (sheetSink, error) {
	part := p.parts[k]
	head := p.headRow(k)
	// Everything about the sheet is set before streaming: the stream writer
	// writes the elements before the data (dimension, fit-to-page) when it
	// starts and copies the others (autofilter, conditional formats, page
	// setup) when it flushes.
	if len(p.cols) > 0 {
		ref := fmt.Sprintf("A%d:%s", head, lastCellFrom(head, len(p.cols), part.rows))
		if err := x.f.AutoFilter(part.name, ref, nil); err != nil {
			return nil, fmt.Errorf("sheet %q: autofilter: %w", part.name, err)
		}
		if err := x.f.SetSheetDimension(part.name, fmt.Sprintf("A1:%s", lastCellFrom(head, len(p.cols), part.rows))); err != nil {
			return nil, fmt.Errorf("sheet %q: dimension: %w", part.name, err)
		}
		if err := x.highlight(p, part, head); err != nil {
			return nil, fmt.Errorf("sheet %q: highlights: %w", part.name, err)
		}
	}
	if err := x.printSetup(part.name, head, x.planPrint(p, k)); err != nil {
		return nil, fmt.Errorf("sheet %q: print setup: %w", part.name, err)
	}
	if p.normal {
		return x.openNormal(p, part, head)
	}
	sw, err := x.f.NewStreamWriter(part.name)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", part.name, err)
	}
	// Right to left: excelize puts each newly set column first, and Excel
	// wants the <col> elements in ascending order.
	for j := len(p.cols) - 1; j >= 0; j-- {
		if err := sw.SetColWidth(j+1, j+1, p.widths[j]); err != nil {
			return nil, fmt.Errorf("sheet %q: column width: %w", part.name, err)
		}
		// A column style formats every cell the stream writes without a
		// style of its own, so data cells need no per-cell Cell wrapper.
		s, err := x.colStyle(p, j)
		if err != nil {
			return nil, err
		}
		if s != 0 {
			if err := sw.SetColStyle(j+1, j+1, s); err != nil {
				return nil, fmt.Errorf("sheet %q: column style: %w", part.name, err)
			}
		}
	}
	if err := sw.SetPanes(&frozenHeader); err != nil {
		return nil, fmt.Errorf("sheet %q: panes: %w", part.name, err)
	}
	if len(p.cols) > 0 {
		var opts []excelize.RowOpts
		if p.headWrap {
			opts = append(opts, excelize.RowOpts{Height: 2 * lineHeight})
		}
		if err := sw.SetRow("A1", x.headerCells(p.cols, p.headWrap), opts...); err != nil {
			return nil, fmt.Errorf("sheet %q: header: %w", part.name, err)
		}
	}
	return &streamSink{sw: sw}, nil
}

type streamSink struct {
	sw  *excelize.StreamWriter
	ref []byte
}

func (s *streamSink) writeRow(row int, values []any, height float64) error {
	s.ref = strconv.AppendInt(append(s.ref[:0], 'A'), int64(row), 10)
	if height > 0 {
		return s.sw.SetRow(string(s.ref), values, excelize.RowOpts{Height: height})
	}
	return s.sw.SetRow(string(s.ref), values)
}

func (s *streamSink) close() error { return s.sw.Flush() }

// normalSink builds a sheet with the in-memory API; charts need that.
type normalSink struct {
	x      *xlsxWriter
	sheet  string
	styles []int
}

func (x *xlsxWriter) openNormal(p *tablePlan, part sheetPart, head int) (sheetSink, error) {
	s := &normalSink{x: x, sheet: part.name, styles: make([]int, len(p.cols))}
	for j := range p.cols {
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := x.f.SetColWidth(part.name, col, col, p.widths[j]); err != nil {
			return nil, fmt.Errorf("sheet %q: column width: %w", part.name, err)
		}
		var err error
		if s.styles[j], err = x.colStyle(p, j); err != nil {
			return nil, err
		}
	}
	if head == 1 { // below a title block the header scrolls away with it
		if err := x.f.SetPanes(part.name, &frozenHeader); err != nil {
			return nil, fmt.Errorf("sheet %q: panes: %w", part.name, err)
		}
	}
	if p.headWrap {
		if err := x.f.SetRowHeight(part.name, head, 2*lineHeight); err != nil {
			return nil, fmt.Errorf("sheet %q: header height: %w", part.name, err)
		}
	}
	for j, c := range p.cols {
		if err := s.set(j+1, head, c.HeaderText(), x.headerStyle(c, p.headWrap)); err != nil {
			return nil, fmt.Errorf("sheet %q: header: %w", part.name, err)
		}
	}
	return s, nil
}

func (s *normalSink) set(col, row int, v any, style int) error {
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	if v != nil {
		if str, ok := v.(string); ok {
			// The cell outlives this call; Arrow string memory may not.
			v = strings.Clone(str)
		}
		if err := s.x.f.SetCellValue(s.sheet, cell, v); err != nil {
			return err
		}
	}
	if style != 0 {
		return s.x.f.SetCellStyle(s.sheet, cell, cell, style)
	}
	return nil
}

func (s *normalSink) writeRow(row int, values []any, height float64) error {
	if height > 0 {
		if err := s.x.f.SetRowHeight(s.sheet, row, height); err != nil {
			return err
		}
	}
	for j, v := range values {
		style := s.styles[j]
		if c, ok := v.(excelize.Cell); ok {
			v, style = c.Value, c.StyleID
		}
		if err := s.set(j+1, row, v, style); err != nil {
			return err
		}
	}
	return nil
}

func (s *normalSink) close() error { return nil }

// quoteSheet quotes a sheet name for a cell reference formula.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// columnRange is the data cells of column col under a header in row head.
func columnRange(sheet string, col, head int, rows int64) string {
	c, _ := excelize.ColumnNumberToName(col)
	return fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(sheet), c, head+1, c, int64(head)+rows)
}

// Chart size in pixels.
const (
	chartWidth  = 480
	chartHeight = 280
)

// seriesColours gives each series of a chart its own colour (never one
// colour per category), dark enough to read on white and in grey print.
var seriesColours = []string{"2E75B6", "C55A11", "548235", "7030A0", "BF9000", "3B3838"}

// referenceColours are the colours of dashed reference lines (thresholds).
var referenceColours = []string{"7F7F7F", "C00000", "BF9000"}

var chartTypes = map[ChartKind]excelize.ChartType{
	ChartLine: excelize.Line, ChartColumn: excelize.Col, ChartBar: excelize.Bar, ChartPie: excelize.Pie,
}

// addChart draws c on the Summary sheet. Charts reference the first sheet
// of their table: chart data is small, and a split table is a detail list.
func (x *xlsxWriter) addChart(summary *tablePlan, c chartPlan, i int) error {
	typ, ok := chartTypes[c.Kind]
	if !ok {
		return fmt.Errorf("unknown chart kind %d", c.Kind)
	}
	part := c.data.parts[0]
	head := c.data.headRow(0) // the first sheet's table sits under its title block
	series := c.serCols
	kind := c.effectiveKind()
	if kind == ChartPie {
		series = series[:1]
		typ = excelize.Pie
	} else if kind != c.Kind {
		typ = chartTypes[kind]
	}
	dark := &excelize.Font{Color: darkText, Size: 9}
	vary := kind == ChartPie // one colour per slice; every other chart: one colour per series
	ch := &excelize.Chart{
		Type: typ,
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: c.Title,
			Font: &excelize.Font{Bold: true, Size: 11, Color: darkText}}}},
		Legend:     excelize.ChartLegend{Position: "bottom", Font: dark},
		Dimension:  excelize.ChartDimension{Width: chartWidth, Height: chartHeight},
		VaryColors: &vary,
		YAxis:      excelize.ChartAxis{MajorGridLines: true, NumFmt: x.chartNumFmt(c.valueFmt), Font: *dark},
		XAxis:      excelize.ChartAxis{NumFmt: x.chartNumFmt(c.catFmt), Font: *dark},
	}
	if kind == ChartPie {
		ch.Legend.Position = "right"
	}
	if kind == ChartBar {
		ch.XAxis.ReverseOrder = true // the first row on top, as in the table
	}
	if kind != ChartBar && part.rows > 6 {
		ch.XAxis.Alignment = excelize.Alignment{TextRotation: -45} // twelve months side by side overlap
	}
	if len(series) == 1 && kind != ChartPie {
		ch.Legend.Position = "none" // the title names the one series
	}
	for k, sc := range series {
		col, _ := excelize.ColumnNumberToName(sc)
		colour := seriesColours[k%len(seriesColours)]
		s := excelize.ChartSeries{
			Name:       quoteSheet(part.name) + "!$" + col + "$" + strconv.Itoa(head),
			Categories: columnRange(part.name, c.catCol, head, part.rows),
			Values:     columnRange(part.name, sc, head, part.rows),
		}
		fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}}
		switch kind {
		case ChartLine: // excelize colours a line from the series' Fill
			s.Fill = fill
			s.Line = excelize.LineOptions{Width: 2.25}
			s.Marker = excelize.ChartMarker{Symbol: "circle", Size: 5, Fill: fill, Border: excelize.LineOptions{Fill: fill}}
			if r := slices.Index(c.Reference, c.Series[k]); r >= 0 {
				ref := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{referenceColours[r%len(referenceColours)]}}
				s.Fill = ref
				s.Line = excelize.LineOptions{Width: 1.5, Dash: excelize.LineDashDash}
				s.Marker = excelize.ChartMarker{Symbol: "none"}
			}
		case ChartColumn, ChartBar:
			s.Fill = fill
		}
		ch.Series = append(ch.Series, s)
	}
	anchor := c.Anchor
	if anchor == "" {
		anchor, ch.Format.OffsetX, ch.Format.OffsetY = x.chartAnchor(summary, i)
		if x.chartsBelow && x.charts == 1 { // a lone chart under a wide table takes the grid's width
			ch.Dimension.Width = chartCols*chartWidth + (chartCols-1)*chartGap
		}
	}
	return x.f.AddChart(summary.parts[0].name, anchor, ch)
}

// effectiveKind is the kind drawn: a pie of fewer than two slices says
// nothing, so it becomes a bar chart.
func (c chartPlan) effectiveKind() ChartKind {
	if c.Kind == ChartPie && c.data.parts[0].rows < 2 {
		return ChartBar
	}
	return c.Kind
}

func (x *xlsxWriter) chartNumFmt(f Format) excelize.ChartNumFmt {
	if c := x.locale; c != nil && c.ChartNumFmts[f] != "" {
		return excelize.ChartNumFmt{CustomNumFmt: c.ChartNumFmts[f]}
	}
	switch f {
	case Money, Integer, Decimal:
		return excelize.ChartNumFmt{CustomNumFmt: "#,##0"}
	case Percent:
		return excelize.ChartNumFmt{CustomNumFmt: "0%"}
	case Month:
		return excelize.ChartNumFmt{CustomNumFmt: "yyyy-mm"}
	case Date:
		return excelize.ChartNumFmt{CustomNumFmt: "yyyy-mm-dd"}
	}
	return excelize.ChartNumFmt{}
}

// writeMetadata fills the last sheet: the caller's key/value rows, then the
// number of data rows on every sheet.
func (x *xlsxWriter) writeMetadata(meta [][2]string, plans []*tablePlan) error {
	sheet := x.locale.metadataSheet()
	rowsLabel := x.locale.text(&x.localeTexts().RowsLabel, "Rows: ")
	keyText, valueText := x.locale.text(&x.localeTexts().Key, "Key"), x.locale.text(&x.localeTexts().Value, "Value")
	type kv struct {
		k string
		v any
	}
	rows := make([]kv, 0, len(meta)+len(plans))
	for _, m := range meta {
		rows = append(rows, kv{m[0], m[1]})
	}
	for _, p := range plans {
		for _, part := range p.parts {
			rows = append(rows, kv{rowsLabel + part.name, part.rows})
		}
	}
	kw, vw := textWidth([]byte(keyText))+3, textWidth([]byte(valueText))+3
	for i, r := range rows {
		for j, v := range []any{r.k, r.v} {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if err := x.f.SetCellValue(sheet, cell, v); err != nil {
				return err
			}
		}
		kw = max(kw, textWidth([]byte(r.k))+2)
		if s, ok := r.v.(string); ok {
			vw = max(vw, textWidth([]byte(s))+2)
		} else if err := x.f.SetCellStyle(sheet, "B"+strconv.Itoa(i+2), "B"+strconv.Itoa(i+2), x.styles[Integer]); err != nil {
			return err
		}
	}
	if err := x.f.SetSheetRow(sheet, "A1", &[]any{keyText, valueText}); err != nil {
		return err
	}
	if err := x.f.SetCellStyle(sheet, "A1", "B1", x.header); err != nil {
		return err
	}
	if err := x.f.SetColWidth(sheet, "A", "A", float64(min(kw, maxWidth))); err != nil {
		return err
	}
	if err := x.f.SetColWidth(sheet, "B", "B", float64(min(vw, maxWidth))); err != nil {
		return err
	}
	if err := x.f.SetSheetDimension(sheet, fmt.Sprintf("A1:B%d", len(rows)+1)); err != nil {
		return err
	}
	if err := x.printSetup(sheet, 1, printPlan{fit: true, titleRows: 1}); err != nil {
		return err
	}
	return x.f.SetPanes(sheet, &frozenHeader)
}

// metaValue finds a Meta value by a key compared without case, spaces or
// punctuation ("Run ID", "run_id" and "runId" all match "runid").
func metaValue(meta [][2]string, key string) string {
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, s)
	}
	for _, m := range meta {
		if norm(m[0]) == key {
			return m[1]
		}
	}
	return ""
}

// setDocProps fills the core document properties from Meta only. The
// creation time comes from "generated at" (or the as-of date), never from the
// clock, so regenerating a report yields the same content.
func setDocProps(f *excelize.File, meta [][2]string) error {
	partner, period := metaValue(meta, "partner"), metaValue(meta, "period")
	props := &excelize.DocProperties{
		Creator:        "Marketplace Insights",
		LastModifiedBy: "Marketplace Insights",
		Title:          strings.TrimSpace("Marketplace Insights " + partner + " " + period),
		Subject:        period,
		Identifier:     metaValue(meta, "runid"),
		Category:       "Partner report",
	}
	stamp := ""
	if t, err := time.Parse(time.RFC3339, metaValue(meta, "generatedat")); err == nil {
		stamp = t.UTC().Format("2006-01-02T15:04:05Z")
	} else if t, err := time.Parse(time.DateOnly, metaValue(meta, "asof")); err == nil {
		stamp = t.Format("2006-01-02T15:04:05Z")
	}
	props.Created, props.Modified = stamp, stamp // "" keeps excelize's fixed template date
	return f.SetDocProps(props)
}

// stableContentTypes lists the image types in [Content_Types].xml up front.
// Adding a chart makes excelize append the ones that are missing in Go map
// order, so two renderings of the same workbook would differ in that part.
// With the list already complete nothing is appended. This reaches into
// excelize's package map (excelize is pinned); if the template ever changes,
// the function does nothing, which TestWriteXLSXReproducible reports.
// (The zip entry order of streamed sheets still follows a map in excelize:
// every part is identical, the archive bytes may not be.)
func stableContentTypes(f *excelize.File) {
	const part = "[Content_Types].xml"
	v, _ := f.Pkg.Load(part)
	b, ok := v.([]byte)
	marker := []byte(`<Default Extension="xml" ContentType="application/xml"/>`)
	if !ok || !bytes.Contains(b, marker) {
		return
	}
	defaults := append([]byte{}, marker...)
	for _, t := range [][2]string{
		{"bmp", "image/bmp"}, {"emf", "image/x-emf"}, {"emz", "image/x-emz"}, {"gif", "image/gif"},
		{"ico", "image/x-ico"}, {"jpeg", "image/jpeg"}, {"png", "image/png"}, {"svg", "image/svg"},
		{"tiff", "image/tiff"}, {"wmf", "image/x-wmf"}, {"wmz", "image/x-wmz"},
	} {
		defaults = fmt.Appendf(defaults, `<Default Extension="%s" ContentType="%s"/>`, t[0], t[1])
	}
	f.Pkg.Store(part, bytes.Replace(b, marker, defaults, 1))
	f.ContentTypes = nil // re-read from the part on next use
}
