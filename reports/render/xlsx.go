package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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
	Anchor   string   // top-left cell on the Summary sheet, "" = stacked right of the Summary data
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

// MetadataSheet is the name of the last sheet of every workbook.
const MetadataSheet = "Metadata"

// Column widths, in characters.
const (
	minWidth    = 6
	maxWidth    = 60
	widthSample = 1000 // rows sampled per table to fit widths
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
}

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
	plans, err := planSheets(wb.Sheets, maxRows)
	if err != nil {
		return st, fmt.Errorf("xlsx: %w", err)
	}
	charts, err := planCharts(wb.Charts, plans)
	if err != nil {
		return st, fmt.Errorf("xlsx: %w", err)
	}
	plans[0].normal = len(charts) > 0

	f := excelize.NewFile()
	stableContentTypes(f)
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("xlsx: close workbook: %w", cerr)
		}
	}()
	x := &xlsxWriter{f: f, maxRows: maxRows}
	if err := x.init(plans); err != nil {
		return st, fmt.Errorf("xlsx: %w", err)
	}
	if err := setDocProps(f, wb.Meta); err != nil {
		return st, fmt.Errorf("xlsx: document properties: %w", err)
	}
	for _, p := range plans {
		if err := x.writeTable(p); err != nil {
			return st, fmt.Errorf("xlsx: table %q: %w", p.t.Name, err)
		}
		st.Rows += p.rows
		st.Cells += p.rows * int64(len(p.cols))
		st.Sheets += int64(len(p.parts))
	}
	for i, c := range charts {
		if err := x.addChart(plans[0], c, i); err != nil {
			return st, fmt.Errorf("xlsx: chart %q: %w", c.Title, err)
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
	normal bool // built with the in-memory API (Summary with charts) instead of streamed
}

func planSheets(tables []Table, maxRows int64) ([]*tablePlan, error) {
	names := newSheetNamer()
	names.take(MetadataSheet)
	plans := make([]*tablePlan, len(tables))
	for i, t := range tables {
		cols, err := t.columns()
		if err != nil {
			return nil, err
		}
		p := &tablePlan{t: t, cols: cols, rows: t.NumRows()}
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
		p.widths = fitWidths(t, cols)
		plans[i] = p
	}
	return plans, nil
}

// fitWidths sizes each column from its header and the first rows: wide
// enough for the longest sampled value and the header with its filter button,
// within [minWidth, maxWidth]. A Column.Width wins.
func fitWidths(t Table, cols []Column) []float64 {
	chars := make([]int, len(cols))
	for j, c := range cols {
		chars[j] = textWidth([]byte(c.HeaderText())) + 3 // bold text and the filter button
	}
	var scratch []byte
	left := widthSample
	for _, rec := range t.Records {
		n := min(int(rec.NumRows()), left)
		for j := range cols {
			r := newColReader(rec.Column(j), cols[j].Format)
			for i := range n {
				if w := r.displayWidth(i, scratch) + 2; w > chars[j] {
					chars[j] = w
				}
			}
		}
		if left -= n; left == 0 {
			break
		}
	}
	widths := make([]float64, len(cols))
	for j, c := range cols {
		widths[j] = min(c.Width, excelize.MaxColumnWidth)
		if widths[j] <= 0 {
			widths[j] = float64(min(max(chars[j], minWidth), maxWidth))
		}
	}
	return widths
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
	header  int
	styles  map[Format]int
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
	if _, err := x.f.NewSheet(MetadataSheet); err != nil {
		return fmt.Errorf("add sheet %q: %w", MetadataSheet, err)
	}
	var err error
	x.header, err = x.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "1F1F1F"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	if err != nil {
		return fmt.Errorf("header style: %w", err)
	}
	x.styles = map[Format]int{}
	for format := Integer; format <= Timestamp; format++ { // in order: style ids must not depend on map order
		nf := numFmts[format]
		s := &excelize.Style{NumFmt: nf.id}
		if nf.custom != "" {
			s.CustomNumFmt = &nf.custom
		}
		if x.styles[format], err = x.f.NewStyle(s); err != nil {
			return fmt.Errorf("style for %s: %w", format, err)
		}
	}
	return nil
}

// sheetSink receives the data rows of one worksheet.
type sheetSink interface {
	writeRow(row int, values []any) error
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
	for _, rec := range p.t.Records {
		for j := range readers {
			readers[j] = newColReader(rec.Column(j), p.cols[j].Format)
		}
		n := int(rec.NumRows())
		for i := range n {
			if inPart == x.maxRows {
				if err := sink.close(); err != nil {
					return fmt.Errorf("sheet %q: %w", p.parts[part].name, err)
				}
				part++
				if sink, err = x.openPart(p, part); err != nil {
					return err
				}
				inPart = 0
			}
			for j, r := range readers {
				values[j] = r.xlsxValue(i)
				if rowFmt.by[j] >= 0 {
					if f := rowFmt.format(j, readers, i); f != p.cols[j].Format {
						values[j] = excelize.Cell{StyleID: x.styles[f], Value: values[j]}
					}
				}
			}
			if err := sink.writeRow(int(inPart)+2, values); err != nil {
				return fmt.Errorf("sheet %q row %d: %w", p.parts[part].name, inPart+2, err)
			}
			inPart++
		}
	}
	if err := sink.close(); err != nil {
		return fmt.Errorf("sheet %q: %w", p.parts[part].name, err)
	}
	return nil
}

func (x *xlsxWriter) styleOf(c Column) int { return x.styles[c.Format] }

func lastCell(ncols int, rows int64) string {
	col, _ := excelize.ColumnNumberToName(max(ncols, 1))
	return col + strconv.FormatInt(rows+1, 10)
}

var frozenHeader = excelize.Panes{
	Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
}

func (x *xlsxWriter) headerCells(cols []Column) []any {
	h := make([]any, len(cols))
	for j, c := range cols {
		h[j] = excelize.Cell{StyleID: x.header, Value: c.HeaderText()}
	}
	return h
}

func (x *xlsxWriter) openPart(p *tablePlan, k int) (sheetSink, error) {
	part := p.parts[k]
	if len(p.cols) > 0 {
		// Set before streaming: the stream writer copies the sheet's
		// autoFilter element when it flushes.
		if err := x.f.AutoFilter(part.name, "A1:"+lastCell(len(p.cols), part.rows), nil); err != nil {
			return nil, fmt.Errorf("sheet %q: autofilter: %w", part.name, err)
		}
	}
	if p.normal {
		return x.openNormal(p, part)
	}
	sw, err := x.f.NewStreamWriter(part.name)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", part.name, err)
	}
	// Right to left: excelize puts each newly set column first, and Excel
	// wants the <col> elements in ascending order.
	for j := len(p.cols) - 1; j >= 0; j-- {
		c := p.cols[j]
		if err := sw.SetColWidth(j+1, j+1, p.widths[j]); err != nil {
			return nil, fmt.Errorf("sheet %q: column width: %w", part.name, err)
		}
		// A column style formats every cell the stream writes without a
		// style of its own, so data cells need no per-cell Cell wrapper.
		if s := x.styleOf(c); s != 0 {
			if err := sw.SetColStyle(j+1, j+1, s); err != nil {
				return nil, fmt.Errorf("sheet %q: column style: %w", part.name, err)
			}
		}
	}
	if err := sw.SetPanes(&frozenHeader); err != nil {
		return nil, fmt.Errorf("sheet %q: panes: %w", part.name, err)
	}
	if len(p.cols) > 0 {
		if err := sw.SetRow("A1", x.headerCells(p.cols)); err != nil {
			return nil, fmt.Errorf("sheet %q: header: %w", part.name, err)
		}
	}
	return &streamSink{sw: sw}, nil
}

type streamSink struct {
	sw  *excelize.StreamWriter
	ref []byte
}

func (s *streamSink) writeRow(row int, values []any) error {
	s.ref = strconv.AppendInt(append(s.ref[:0], 'A'), int64(row), 10)
	return s.sw.SetRow(string(s.ref), values)
}

func (s *streamSink) close() error { return s.sw.Flush() }

// normalSink builds a sheet with the in-memory API; charts need that.
type normalSink struct {
	x     *xlsxWriter
	sheet string
	cols  []Column
}

func (x *xlsxWriter) openNormal(p *tablePlan, part sheetPart) (sheetSink, error) {
	for j := range p.cols {
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := x.f.SetColWidth(part.name, col, col, p.widths[j]); err != nil {
			return nil, fmt.Errorf("sheet %q: column width: %w", part.name, err)
		}
	}
	if err := x.f.SetPanes(part.name, &frozenHeader); err != nil {
		return nil, fmt.Errorf("sheet %q: panes: %w", part.name, err)
	}
	s := &normalSink{x: x, sheet: part.name, cols: p.cols}
	for j, c := range p.cols {
		if err := s.set(j+1, 1, c.HeaderText(), x.header); err != nil {
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

func (s *normalSink) writeRow(row int, values []any) error {
	for j, v := range values {
		style := s.x.styleOf(s.cols[j])
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

func columnRange(sheet string, col int, rows int64) string {
	c, _ := excelize.ColumnNumberToName(col)
	return fmt.Sprintf("%s!$%s$2:$%s$%d", quoteSheet(sheet), c, c, rows+1)
}

// Chart size in pixels and the rows it spans at the default 20-pixel height.
const (
	chartWidth   = 640
	chartHeight  = 320
	chartRowStep = chartHeight/20 + 2
)

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
	series := c.serCols
	if c.Kind == ChartPie {
		series = series[:1]
	}
	ch := &excelize.Chart{
		Type:      typ,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: c.Title}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: chartWidth, Height: chartHeight},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: chartNumFmt(c.valueFmt)},
		XAxis:     excelize.ChartAxis{NumFmt: chartNumFmt(c.catFmt)},
	}
	if c.Kind == ChartPie {
		ch.Legend.Position = "right"
	}
	for _, sc := range series {
		col, _ := excelize.ColumnNumberToName(sc)
		ch.Series = append(ch.Series, excelize.ChartSeries{
			Name:       quoteSheet(part.name) + "!$" + col + "$1",
			Categories: columnRange(part.name, c.catCol, part.rows),
			Values:     columnRange(part.name, sc, part.rows),
		})
	}
	anchor := c.Anchor
	if anchor == "" {
		col, _ := excelize.ColumnNumberToName(len(summary.cols) + 2)
		anchor = col + strconv.Itoa(2+i*chartRowStep)
	}
	return x.f.AddChart(summary.parts[0].name, anchor, ch)
}

func chartNumFmt(f Format) excelize.ChartNumFmt {
	switch f {
	case Money, Integer:
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
	const sheet = MetadataSheet
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
			rows = append(rows, kv{"Rows: " + part.name, part.rows})
		}
	}
	kw, vw := len("Key")+3, len("Value")+3
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
	if err := x.f.SetSheetRow(sheet, "A1", &[]any{"Key", "Value"}); err != nil {
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
