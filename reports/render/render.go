// Package render turns report results (Arrow record batches) into the files
// partners download: Excel workbooks, CSV files and Parquet files, and writes
// them atomically.
//
// Renderers never see a database: a report definition runs its query elsewhere
// and hands over Arrow records plus a description of how each column is shown.
// Money stays exact (Arrow decimal128) up to this package; it becomes a float64
// only inside an xlsx cell, because that is all a spreadsheet can hold. CSV and
// Parquet keep the exact decimal.
package render

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Format says how a column is shown. Money is exact up to here; converting to
// float64 happens only in the xlsx renderer.
type Format int

// Column formats. The zero value is Text.
const (
	Text      Format = iota // as is; numbers keep Excel's General format
	Integer                 // "#,##0"
	Decimal                 // "#,##0.00##"
	Money                   // "#,##0.00"; the currency code belongs in the header (see Column.Currency)
	Percent                 // "0.0%"; the value is a ratio (0.125 shows as 12.5%)
	Date                    // "yyyy-mm-dd"
	Month                   // "yyyy-mm"; a date (first of the month) or a "YYYY-MM" string
	Timestamp               // "yyyy-mm-dd hh:mm:ss", in UTC when the Arrow type has a time zone
	// Points is a difference of two ratios, shown in percentage points: the
	// value 0.03 (52 % → 55 %) reads "+3.0 pp" in a workbook, never "3.0%",
	// which would be a relative change. CSV and Parquet keep the ratio.
	Points
)

// lastFormat is the highest Format.
const lastFormat = Points

var formatNames = [...]string{"Text", "Integer", "Decimal", "Money", "Percent", "Date", "Month", "Timestamp", "Points"}

func (f Format) String() string {
	if f >= 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Column describes one record column.
type Column struct {
	Name     string  // the Arrow field name; columns match the records by position and must agree ("" = don't check)
	Header   string  // shown in the header row; "" = Name
	Format   Format  // how values are shown
	Width    float64 // xlsx column width in characters; 0 = fit to header and sampled values
	Currency string  // Money only: ISO code appended to the header as " (USD)" unless already there
	// FormatBy names another column of the same table whose text says how
	// each row's value is shown, through RowFormats (a value missing from
	// RowFormats keeps Format). The Summary needs it: one "This month" column
	// holds counts, hours and dollars, and each row gets its own number format.
	FormatBy   string
	RowFormats map[string]Format
	// RowCurrency is the currency of the rows formatted Money through
	// RowFormats, by the same key (the Summary's "USD" unit), for a Locale
	// that writes a currency's symbol in its cells.
	RowCurrency map[string]string
	// Display, when set, is the text a workbook cell shows for a text value
	// of the column: the words of a fixed vocabulary (the Summary's metric
	// names, slice names) in the reader's language. CSV and Parquet keep the
	// value; highlights that test the column compare with Display(Value).
	Display func(string) string
}

// HeaderText is the text of the column's header cell (and CSV header field).
func (c Column) HeaderText() string {
	h := c.Header
	if h == "" {
		h = c.Name
	}
	if c.Format == Money && c.Currency != "" && !strings.Contains(h, c.Currency) {
		h += " (" + c.Currency + ")"
	}
	return h
}

// Table is one report result: one sheet (or several, past the row limit) of
// a workbook, one CSV file or one Parquet file.
type Table struct {
	Name    string              // sheet name / file stem, e.g. "Orders by offer"
	Columns []Column            // one per record column, same order; nil = derive from the Arrow schema
	Records []arrow.RecordBatch // caller owns them (Retain/Release); may be empty
	// Schema is used only when Records is empty: Parquet needs it to write an
	// empty file, and Columns may be derived from it. Optional otherwise.
	Schema *arrow.Schema

	// The rest shapes the xlsx sheet only.

	// Empty is written in the row under the header when the table has no
	// rows ("no breaches as of 2026-10-31"), so that an empty sheet says so
	// instead of showing a bare header.
	Empty string
	// Highlights colour cells by their row's values, as Excel conditional
	// formats: they follow sorting and filtering, and a reader sees the rule.
	Highlights []Highlight
	// Bars draw a data bar (a progress bar) in cells.
	Bars []Bar
}

// Tone is the colour of a highlight.
type Tone int

// Tones: a light fill with a dark text of the same hue, legible in print.
const (
	Good Tone = iota + 1 // green: up, done, within the SLA
	Bad                  // red: down, breached, blocked
	Warn                 // amber: needs a look
)

// Highlight colours the cells of Column (or the whole row when Column is
// "") in rows where the value of column If compares to Value with Op, and
// every condition of And holds too.
type Highlight struct {
	Column string // Column.Name of the coloured cells; "" = the whole row
	If     string // Column.Name of the tested value; "" = Column
	Op     string // "=", "<>", ">", "<", ">=", "<=" or "begins" (text starts with Value)
	Value  any    // a string or a number
	Tone   Tone
	// And are further tests of the same row, e.g. the Summary colours a
	// rise green only where the metric says that higher is better.
	And []Condition
}

// Condition is one more test of a Highlight: column If compares to Value with Op.
type Condition struct {
	If    string
	Op    string
	Value any
}

// Bar draws a data bar from Min to Max in the cells of Column, in the rows
// whose column If holds the text Equals (every row when If is "").
type Bar struct {
	Column   string
	If       string
	Equals   string
	Min, Max float64
}

// NumRows is the number of data rows over all records.
func (t Table) NumRows() int64 {
	var n int64
	for _, r := range t.Records {
		n += r.NumRows()
	}
	return n
}

// schema returns the schema shared by the records (or Table.Schema), nil if
// there is none, and an error if the records disagree.
func (t Table) schema() (*arrow.Schema, error) {
	var s *arrow.Schema
	if len(t.Records) > 0 {
		s = t.Records[0].Schema()
	} else {
		s = t.Schema
	}
	for i, r := range t.Records[min(1, len(t.Records)):] {
		rs := r.Schema()
		if rs.NumFields() != s.NumFields() {
			return nil, fmt.Errorf("table %q: record %d has %d columns, record 0 has %d", t.Name, i+1, rs.NumFields(), s.NumFields())
		}
		for j := range rs.NumFields() {
			if !arrow.TypeEqual(rs.Field(j).Type, s.Field(j).Type) {
				return nil, fmt.Errorf("table %q: record %d column %d is %s, record 0 has %s", t.Name, i+1, j, rs.Field(j).Type, s.Field(j).Type)
			}
		}
	}
	return s, nil
}

// columns returns the table's columns, derived from the schema when the
// caller gave none, after checking they match the records.
func (t Table) columns() ([]Column, error) {
	s, err := t.schema()
	if err != nil {
		return nil, err
	}
	if t.Columns == nil {
		if s == nil {
			return nil, nil
		}
		cols := make([]Column, s.NumFields())
		for i, f := range s.Fields() {
			cols[i] = Column{Name: f.Name, Format: FormatFor(f.Type)}
		}
		return cols, nil
	}
	if s != nil {
		if s.NumFields() != len(t.Columns) {
			return nil, fmt.Errorf("table %q: %d columns described, records have %d", t.Name, len(t.Columns), s.NumFields())
		}
		// Columns match by position; a differing name means the description
		// and the query disagree on the order, and numbers would land under
		// the wrong header.
		for i, c := range t.Columns {
			if c.Name != "" && c.Name != s.Field(i).Name {
				return nil, fmt.Errorf("table %q: column %d is described as %q, records have %q", t.Name, i, c.Name, s.Field(i).Name)
			}
		}
	}
	return t.Columns, nil
}

// FormatFor is the default Format for an Arrow type, used when a Table has no
// Columns. Decimals with a scale are shown as Decimal, not Money: only the
// report definition knows that a number is an amount of money.
func FormatFor(dt arrow.DataType) Format {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return Integer
	case arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64:
		return Decimal
	case arrow.DECIMAL128, arrow.DECIMAL256:
		if dt.(arrow.DecimalType).GetScale() == 0 {
			return Integer
		}
		return Decimal
	case arrow.DATE32, arrow.DATE64:
		return Date
	case arrow.TIMESTAMP:
		return Timestamp
	case arrow.DICTIONARY:
		return FormatFor(dt.(*arrow.DictionaryType).ValueType)
	}
	return Text
}

// Stats counts what a renderer wrote. Rows and Cells count data only (no
// header rows, no Metadata sheet); Cells = Rows × columns, nulls included.
type Stats struct {
	Sheets int64 // worksheets in the workbook (Summary and Metadata included); 0 for CSV and Parquet
	Rows   int64
	Cells  int64
}

// rowFormats resolves Column.FormatBy: for each column, the index of the
// column whose text picks the row's format (-1 = none).
type rowFormats struct {
	cols []Column
	by   []int
}

func newRowFormats(cols []Column) (rowFormats, error) {
	rf := rowFormats{cols: cols, by: make([]int, len(cols))}
	for j, c := range cols {
		rf.by[j] = -1
		if c.FormatBy == "" {
			continue
		}
		k, err := columnIndex(cols, c.FormatBy)
		if err != nil {
			return rf, fmt.Errorf("column %q: format by: %w", c.Name, err)
		}
		rf.by[j] = k - 1
	}
	return rf, nil
}

// format is the format of column j in row i of the batch the readers read.
func (rf rowFormats) format(j int, readers []*colReader, i int) Format {
	c := rf.cols[j]
	k := rf.by[j]
	if k < 0 {
		return c.Format
	}
	if key, ok := textAt(readers[k], i); ok {
		if f, ok := c.RowFormats[key]; ok {
			return f
		}
	}
	return c.Format
}
