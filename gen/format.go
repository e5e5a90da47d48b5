package gen

import (
	"bufio"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// fileFormat is how a table is laid out on disk.
type fileFormat int

const (
	formatCSV fileFormat = iota
	formatTSV
	formatJSONL
)

// table writes one landing file row by row. Fields are appended straight into
// a reusable row buffer (no fmt, no per-field allocation) because usage reaches
// millions of rows. The file is written under a temporary name and renamed on
// commit, so a reader of the landing folder never sees half a file.
type table struct {
	path, tmp string
	f         *os.File
	w         *bufio.Writer
	format    fileFormat
	cols      []string
	keys      [][]byte // JSON lines: the pre-rendered `"Key":` of every column
	row       []byte
	col       int
	rows      int64
}

const writeBuffer = 1 << 20

func createTable(dir, name string, format fileFormat, cols []string) (*table, error) {
	t := &table{
		path:   filepath.Join(dir, name),
		tmp:    filepath.Join(dir, "."+name+".tmp"),
		format: format,
		cols:   cols,
		row:    make([]byte, 0, 1024),
	}
	f, err := os.Create(t.tmp)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	t.f = f
	t.w = bufio.NewWriterSize(f, writeBuffer)
	switch format {
	case formatJSONL:
		for _, c := range cols {
			t.keys = append(t.keys, []byte(strconv.Quote(c)+":"))
		}
	default:
		sep := ","
		if format == formatTSV {
			sep = "\t"
		}
		if _, err := t.w.WriteString(strings.Join(cols, sep) + "\n"); err != nil {
			t.abort()
			return nil, fmt.Errorf("write %s header: %w", name, err)
		}
	}
	return t, nil
}

// commit flushes, closes and renames the file into place.
func (t *table) commit() error {
	if err := t.w.Flush(); err != nil {
		t.abort()
		return fmt.Errorf("write %s: %w", t.path, err)
	}
	if err := t.f.Close(); err != nil {
		_ = os.Remove(t.tmp)
		return fmt.Errorf("close %s: %w", t.path, err)
	}
	if err := os.Rename(t.tmp, t.path); err != nil {
		_ = os.Remove(t.tmp)
		return fmt.Errorf("rename %s: %w", t.path, err)
	}
	return nil
}

// abort drops the temporary file; used on any error path.
func (t *table) abort() {
	_ = t.f.Close()
	_ = os.Remove(t.tmp)
}

// begin opens the next field: separator, and for JSON the key and opening quote.
func (t *table) begin() {
	switch t.format {
	case formatJSONL:
		if t.col == 0 {
			t.row = append(t.row, '{')
		} else {
			t.row = append(t.row, ',')
		}
		t.row = append(t.row, t.keys[t.col]...)
		t.row = append(t.row, '"')
	case formatTSV:
		if t.col > 0 {
			t.row = append(t.row, '\t')
		}
	default:
		if t.col > 0 {
			t.row = append(t.row, ',')
		}
	}
}

func (t *table) finish() {
	if t.format == formatJSONL {
		t.row = append(t.row, '"')
	}
	t.col++
}

// str appends a text field, quoting or escaping it as the format requires.
func (t *table) str(s string) {
	t.begin()
	switch t.format {
	case formatJSONL:
		t.row = appendJSONString(t.row, s)
	case formatTSV:
		// Reference values never contain tabs or newlines; keep TSV unquoted.
		t.row = append(t.row, s...)
	default:
		if strings.ContainsAny(s, ",\"\r\n") {
			t.row = append(t.row, '"')
			t.row = append(t.row, strings.ReplaceAll(s, `"`, `""`)...)
			t.row = append(t.row, '"')
		} else {
			t.row = append(t.row, s...)
		}
	}
	t.finish()
}

func (t *table) int(v int64) {
	t.begin()
	t.row = strconv.AppendInt(t.row, v, 10)
	t.finish()
}

func (t *table) boolean(v bool) {
	t.begin()
	t.row = strconv.AppendBool(t.row, v)
	t.finish()
}

// fixed appends v scaled by 10^-exp with exactly exp decimals (money, quantities).
func (t *table) fixed(v int64, exp int) {
	t.begin()
	t.row = appendFixed(t.row, v, exp)
	t.finish()
}

// date appends YYYY-MM-DD; the zero time is an empty field.
func (t *table) date(d time.Time) {
	t.begin()
	if !d.IsZero() {
		t.row = appendDate(t.row, d)
	}
	t.finish()
}

// timestamp appends an RFC 3339 UTC instant; the zero time is an empty field.
func (t *table) timestamp(d time.Time) {
	t.begin()
	if !d.IsZero() {
		t.row = appendTimestamp(t.row, d)
	}
	t.finish()
}

// guid appends a fresh random GUID (for per-row ids such as ReferenceId).
func (t *table) guid(hi, lo uint64) {
	t.begin()
	t.row = appendGUID(t.row, hi, lo, false)
	t.finish()
}

// end terminates the row and hands it to the buffered writer.
func (t *table) end() error {
	if t.col != len(t.cols) {
		return fmt.Errorf("%s: row has %d fields, header has %d", t.path, t.col, len(t.cols))
	}
	if t.format == formatJSONL {
		t.row = append(t.row, '}')
	}
	t.row = append(t.row, '\n')
	_, err := t.w.Write(t.row)
	t.row = t.row[:0]
	t.col = 0
	t.rows++
	if err != nil {
		return fmt.Errorf("write %s: %w", t.path, err)
	}
	return nil
}

// appendJSONString escapes s as a JSON string body (without the quotes).
// Non-ASCII stays UTF-8, which is valid JSON and what exports contain.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		case c < utf8.RuneSelf:
			b = append(b, c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size - 1
		}
	}
	return b
}

var pow10 = [...]int64{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000}

// appendFixed prints v/10^exp with exactly exp decimals, from integers only.
func appendFixed(b []byte, v int64, exp int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	if exp == 0 {
		return strconv.AppendInt(b, v, 10)
	}
	p := pow10[exp]
	b = strconv.AppendInt(b, v/p, 10)
	b = append(b, '.')
	frac := v % p
	for d := p / 10; d > 0; d /= 10 {
		b = append(b, byte('0'+frac/d))
		frac %= d
	}
	return b
}

func appendDate(b []byte, d time.Time) []byte {
	y, m, day := d.Date()
	b = append4(b, y)
	b = append(b, '-')
	b = append2(b, int(m))
	b = append(b, '-')
	return append2(b, day)
}

func appendTimestamp(b []byte, d time.Time) []byte {
	b = appendDate(b, d)
	h, mi, s := d.Clock()
	b = append(b, 'T')
	b = append2(b, h)
	b = append(b, ':')
	b = append2(b, mi)
	b = append(b, ':')
	b = append2(b, s)
	return append(b, 'Z')
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// appendGUID formats 128 random bits as a version-4 GUID (8-4-4-4-12).
func appendGUID(b []byte, hi, lo uint64, upper bool) []byte {
	digits := "0123456789abcdef"
	if upper {
		digits = "0123456789ABCDEF"
	}
	hi = hi&^(0xf<<12) | 0x4<<12
	lo = lo&^(0x3<<62) | 0x2<<62
	for i := 15; i >= 0; i-- {
		b = append(b, digits[hi>>(uint(i)*4)&0xf])
		if i == 8 || i == 4 {
			b = append(b, '-')
		}
	}
	b = append(b, '-')
	for i := 15; i >= 0; i-- {
		b = append(b, digits[lo>>(uint(i)*4)&0xf])
		if i == 12 {
			b = append(b, '-')
		}
	}
	return b
}

// mulDiv returns a*b/c (truncated) with a 128-bit intermediate, so currency
// conversion of cents at 8-decimal rates never overflows nor touches floats.
func mulDiv(a, b, c int64) int64 {
	neg := (a < 0) != (b < 0)
	ua, ub := uint64(abs64(a)), uint64(abs64(b))
	hi, lo := bits.Mul64(ua, ub)
	if hi >= uint64(c) {
		panic("gen: mulDiv overflow") // amounts are bounded by construction
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	if neg {
		return -int64(q)
	}
	return int64(q)
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
