package render

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// Locale is how a workbook is written for readers of one language: the
// number formats of its cells and chart axes and the few texts the renderer
// writes itself. The caller translates everything else (sheet names,
// headers, titles, notes; Column.Display for words in the data). A nil
// Locale is the program's English with its ISO formats.
//
// Format codes are always written in Excel's en-US syntax ("," groups,
// "." is the decimal sign): that is what the file format stores, and each
// program shows them with its reader's separators. Prefixing a code with a
// locale id ("[$-40C]") asks for that language's month names, and makes
// LibreOffice use its separators (docs/reports.md, "Languages").
type Locale struct {
	NumFmts      map[Format]string // cell number formats replacing the defaults (numFmts)
	MoneyFmts    map[string]string // Money cells in this currency (Column.Currency, Column.RowCurrency)
	ChartNumFmts map[Format]string // chart axis formats replacing chartNumFmt's
	// Widths are the characters a value of a format takes beyond the
	// default's ("janv. 2025" against "2025-01"; " $US" after an amount).
	Widths map[Format]int

	MetadataSheet string // the last sheet's name; "" = MetadataSheet
	Key, Value    string // the Metadata sheet's header; "" = "Key", "Value"
	RowsLabel     string // before a sheet name in the Metadata row counts; "" = "Rows: "
	Page          string // the page number in the footer, with &P and &N; "" = "Page &P of &N"
}

func (l *Locale) metadataSheet() string {
	if l == nil || l.MetadataSheet == "" {
		return MetadataSheet
	}
	return l.MetadataSheet
}

func (l *Locale) text(s *string, def string) string {
	if l == nil || *s == "" {
		return def
	}
	return *s
}

// extraWidth is what a value of column c takes beyond its English width:
// Widths of its format, and of Money only where a currency symbol is
// written (a currency of MoneyFmts, in the column or its rows).
func (l *Locale) extraWidth(c Column) int {
	if l == nil {
		return 0
	}
	w := 0
	if c.Format != Money || l.MoneyFmts[c.Currency] != "" {
		w = l.Widths[c.Format]
	}
	for key, f := range c.RowFormats {
		if f != Money || l.MoneyFmts[c.RowCurrency[key]] != "" {
			w = max(w, l.Widths[f])
		}
	}
	return w
}

// numFmtStyle sets the number format of f (in currency cur for Money) on s.
func (l *Locale) numFmtStyle(s *excelize.Style, f Format, cur string) {
	nf := numFmts[f]
	s.NumFmt, s.CustomNumFmt = nf.id, nil
	if nf.custom != "" {
		c := nf.custom
		s.CustomNumFmt = &c
	}
	if l == nil {
		return
	}
	if c, ok := l.NumFmts[f]; ok && c != "" {
		s.NumFmt, s.CustomNumFmt = 0, &c
	}
	if f == Money && cur != "" {
		if c, ok := l.MoneyFmts[cur]; ok && c != "" {
			s.NumFmt, s.CustomNumFmt = 0, &c
		}
	}
}

// styleKey names a data cell style: format, currency, wrapping.
type styleKey struct {
	f    Format
	cur  string
	wrap bool
}

// style is the data cell style of format f in currency cur (Money only),
// wrapping or not; made when first needed, in the order the cells are
// written, so that the ids do not depend on map order.
func (x *xlsxWriter) style(f Format, cur string, wrap bool) (int, error) {
	if f != Money || x.locale == nil || x.locale.MoneyFmts[cur] == "" {
		cur = ""
	}
	if !wrap && cur == "" {
		return x.styles[f], nil
	}
	k := styleKey{f, cur, wrap}
	if id, ok := x.more[k]; ok {
		return id, nil
	}
	s := &excelize.Style{Alignment: alignment(f.numeric(), wrap, "top")}
	x.locale.numFmtStyle(s, f, cur)
	id, err := x.f.NewStyle(s)
	if err != nil {
		return 0, fmt.Errorf("style for %s %s: %w", f, cur, err)
	}
	x.more[k] = id
	return id, nil
}

// display is the text a Column shows for a text value of its data.
func (c Column) display(s string) string {
	if c.Display == nil {
		return s
	}
	return c.Display(s)
}

// localeTexts is the Locale to read texts from: a zero one when there is none.
func (x *xlsxWriter) localeTexts() *Locale {
	if x.locale == nil {
		return &Locale{}
	}
	return x.locale
}
