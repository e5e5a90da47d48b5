package render

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// WriteCSV writes t as RFC 4180 CSV: UTF-8 without a byte order mark, CRLF
// line ends, a header row of the column headers, then one line per row.
// Fields are quoted only when they hold a comma, a quote or a line break.
// Nulls are empty fields, decimals (money) keep their exact digits
// ("1234.50"), dates are ISO 8601 ("2025-06-01", "2025-06" for Month),
// timestamps ISO 8601 ("2025-06-01T13:45:00", with "Z" when the Arrow type has
// a time zone). Percent columns hold the ratio as it is (0.125). Integer
// values are whole numbers ("2", not "2.00") even when the query computed
// them as decimals; decimals and money keep the digits they have, at least
// two, without the zeros of the column's scale ("96.00", not "96.000000";
// "0.125" stays, exact). Text that a spreadsheet would run as a formula is
// neutralised (see neutralise). The output is a pure function of the table.
func WriteCSV(w io.Writer, t Table) (Stats, error) { return writeDelimited(w, t, ',', "csv") }

// WriteTSV writes t as WriteCSV does, with a tab between fields (Partner
// Center's TSV export); a field holding a tab, a quote or a line break is
// quoted.
func WriteTSV(w io.Writer, t Table) (Stats, error) { return writeDelimited(w, t, '\t', "tsv") }

func writeDelimited(w io.Writer, t Table, sep byte, kind string) (Stats, error) {
	var st Stats
	cols, err := t.columns()
	if err != nil {
		return st, fmt.Errorf("%s: %w", kind, err)
	}
	if len(cols) == 0 {
		return st, nil // no columns, no header: an empty file rather than a blank line
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	line := make([]byte, 0, 1024)
	for j, c := range cols {
		if j > 0 {
			line = append(line, sep)
		}
		line = appendField(line, []byte(c.HeaderText()), sep)
	}
	line = append(line, '\r', '\n')
	if _, err := bw.Write(line); err != nil {
		return st, fmt.Errorf("%s: write header: %w", kind, err)
	}
	readers := make([]*colReader, len(cols))
	rowFmt, err := newRowFormats(cols)
	if err != nil {
		return st, fmt.Errorf("%s: table %q: %w", kind, t.Name, err)
	}
	var field []byte
	for _, rec := range t.Records {
		for j := range readers {
			readers[j] = newColReader(rec.Column(j), cols[j].Format)
		}
		n := int(rec.NumRows())
		for i := range n {
			line = line[:0]
			for j, r := range readers {
				if j > 0 {
					line = append(line, sep)
				}
				if r.isText() {
					field = neutralise(r.appendText(field[:0], i))
					line = appendField(line, field, sep)
					continue
				}
				start := len(line)
				line = r.appendText(line, i) // numbers and dates never need quotes
				switch rowFmt.format(j, readers, i) {
				case Integer:
					line = trimZeroFraction(line, start)
				case Decimal, Money:
					line = trimTrailingZeros(line, start, 2)
				}
			}
			line = append(line, '\r', '\n')
			if _, err := bw.Write(line); err != nil {
				return st, fmt.Errorf("%s: write row %d: %w", kind, st.Rows+1, err)
			}
			st.Rows++
		}
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("%s: flush: %w", kind, err)
	}
	st.Cells = st.Rows * int64(len(cols))
	return st, nil
}

// appendCSVField appends f, quoted (with inner quotes doubled) when it holds
// a delimiter, a quote or a line break.
func appendCSVField(b, f []byte) []byte { return appendField(b, f, ',') }

// appendField appends f, quoted when it holds sep, a quote or a line break.
func appendField(b, f []byte, sep byte) []byte {
	quote := false
	for _, c := range f {
		if c == sep || c == '"' || c == '\r' || c == '\n' {
			quote = true
			break
		}
	}
	if !quote {
		return append(b, f...)
	}
	b = append(b, '"')
	for _, c := range f {
		if c == '"' {
			b = append(b, '"')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

// neutralise prefixes a text field that a spreadsheet would read as a
// formula with a single quote, as OWASP's CSV injection guidance recommends
// (https://owasp.org/www-community/attacks/CSV_Injection): a field starting
// with '=', '+', '-', '@', a tab or a carriage return. Spreadsheets then show
// the text instead of running it, and a script still sees the original after
// dropping the one leading quote. Only text cells are touched: a negative
// number is a number column and stays "-5".
func neutralise(f []byte) []byte {
	if len(f) == 0 {
		return f
	}
	switch f[0] {
	case '=', '+', '-', '@', '\t', '\r':
		f = append(f, 0)
		copy(f[1:], f)
		f[0] = '\''
	}
	return f
}

// trimTrailingZeros drops the zeros that end the fraction of the decimal
// number written at b[start:], keeping at least keep digits after the point
// ("96.000000" → "96.00", "0.123400" → "0.1234"): the value is unchanged.
func trimTrailingZeros(b []byte, start, keep int) []byte {
	p := bytes.IndexByte(b[start:], '.')
	if p < 0 {
		return b
	}
	minEnd := start + p + 1 + keep
	end := len(b)
	for end > minEnd && b[end-1] == '0' {
		end--
	}
	for _, c := range b[start+p+1 : end] { // not a plain decimal (an exponent): leave it
		if c < '0' || c > '9' {
			return b
		}
	}
	return b[:end]
}

// trimZeroFraction drops an all-zero fraction from the number written at
// b[start:] ("12.00" → "12"); a fraction that is not zero stays, exact.
func trimZeroFraction(b []byte, start int) []byte {
	for k := len(b) - 1; k >= start; k-- {
		switch b[k] {
		case '0':
			continue
		case '.':
			return b[:k]
		}
		return b
	}
	return b
}
