package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// rejectRow is one row of ingest_rejects for the current file.
type rejectRow struct {
	line   int64 // 0: unknown
	column string
	reason string
	raw    string
}

// stageReject is a row of the stage that failed validation.
type stageReject struct {
	ord int64  // rowid (ordinal among the rows DuckDB read), or Parquet row number
	err string // "column|reason"
	raw any    // CSV: the fields ([]any); JSON lines: the line; Parquet: the row as JSON
}

// structReject is a record DuckDB's CSV reader rejected itself (wrong field
// count, bad quoting, invalid UTF-8, an over-long line).
type structReject struct {
	// line is DuckDB's line number: records and blank lines counted, but
	// not the newlines inside quotes; for JSON lines, the physical line.
	// (Its byte positions are only approximate, so they are not used.)
	line    int64
	reason  string
	csvLine string // DuckDB's copy of the text

	found bool // the CSV scan located the record
	row   rejectRow
}

const rejectChunk = 10000

// rawCap caps the raw text stored per reject (an unterminated quote can make
// the rest of the file one record).
const rawCap = 64 << 10

// writeRejects records the file's rejects: the records DuckDB's reader
// refused and the rows validation refused, each with its line and raw text.
// The latter are where c says (loadCounts.ord).
func (l *Loader) writeRejects(ctx context.Context, tx *duckstore.Tx, info *fileInfo, m *Mapping, fid int64, path string, c loadCounts) (int64, error) {
	structural, err := readStructural(ctx, tx, info)
	if err != nil {
		return 0, err
	}
	ord := c.ord
	if ord == ordPlaceholders && info.format != FormatParquet {
		rows, ok, err := l.rejectsByOrdinal(ctx, tx, info, m, structural, c.ords)
		if err != nil {
			return 0, err
		}
		if ok {
			rows = append(rows, info.preRejects...)
			if err := appendRejects(ctx, tx, fid, path, m.Dataset.Name, rows); err != nil {
				return 0, err
			}
			return int64(len(rows)), nil
		}
		l.log.Warn("the rejected rows found in the file were not all rejected again; reading the whole file again for them", "path", info.path)
		if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS temp.main."+duckstore.Ident(stageTable)); err != nil {
			return 0, fmt.Errorf("drop %s: %w", stageTable, err)
		}
		if structural, err = readStructural(ctx, tx, info); err != nil {
			return 0, err
		}
	}
	if ord == ordPlaceholders {
		if _, err := tx.Exec(ctx, rejectPassSQL(info, m)); err != nil {
			return 0, fmt.Errorf("read the rejected rows again: %w", cleanDuckError(err))
		}
		ord = "_ord"
	}
	var loc locator
	switch info.format {
	case FormatCSV, FormatTSV:
		loc = &csvLocator{info: info, structural: structural, ord: -1, log: l.log}
	case FormatJSONL:
		loc = &lineLocator{path: info.path, structural: structural, log: l.log}
	default:
		loc = &parquetLocator{}
	}
	defer loc.close()
	var total int64
	if ord == "rowid" {
		// Rows of a table created in an open transaction are numbered from a
		// large base, contiguously, in insertion order: file order, as long
		// as the stage's plan keeps it (see stageSQL). The locators check.
		var base int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(min(rowid), 0) FROM `+duckstore.Ident(stageTable)).Scan(&base); err != nil {
			return 0, fmt.Errorf("read rejects: %w", err)
		}
		ord = fmt.Sprintf("(rowid - %d)", base)
	}
	last := int64(-1)
	for ord != "" {
		chunk, err := readStageRejects(ctx, tx, ord, last)
		if err != nil {
			return 0, err
		}
		if len(chunk) == 0 {
			break
		}
		rows := make([]rejectRow, len(chunk))
		for i, r := range chunk {
			col, reason, _ := strings.Cut(r.err, errSep)
			rows[i] = loc.locate(r)
			rows[i].column, rows[i].reason = col, reason
		}
		if err := appendRejects(ctx, tx, fid, path, m.Dataset.Name, rows); err != nil {
			return 0, err
		}
		total += int64(len(rows))
		last = chunk[len(chunk)-1].ord
	}
	rows := append(loc.structuralRows(), info.preRejects...)
	if err := appendRejects(ctx, tx, fid, path, m.Dataset.Name, rows); err != nil {
		return 0, err
	}
	return total + int64(len(rows)), nil
}

// ordPlaceholders: the one-pass load kept no stage, only the ordinals of
// the rows it did not load (loadCounts).
const ordPlaceholders = "placeholders"

// rejectsByOrdinal records the rows the one-pass load did not load, given
// their ordinals among the records DuckDB read: the locator finds each in the
// file (its line and text), the found records are written to a file of their
// own, which the same reader and validation read again (a row's verdict
// depends on its text alone) for the reasons. ok is false when the records
// found do not all come back rejected, in order: the caller then reads the
// whole file again instead.
func (l *Loader) rejectsByOrdinal(ctx context.Context, tx *duckstore.Tx, info *fileInfo, m *Mapping, structural []*structReject, ords []int64) (out []rejectRow, ok bool, err error) {
	tmp, err := os.CreateTemp("", "insights-rejects-*")
	if err != nil {
		return nil, false, fmt.Errorf("file of rejected rows: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	w := bufio.NewWriterSize(tmp, 1<<20)
	var found, structRows []rejectRow
	if info.format == FormatJSONL {
		loc := &lineLocator{path: info.path, structural: structural, log: l.log}
		defer loc.close()
		for _, o := range ords {
			line := loc.lineFor(o)
			text, ok := loc.read(line)
			if !ok {
				return nil, false, nil
			}
			if len(bytes.Trim(text, " \t\r")) == 0 {
				continue // a blank line: no record, no reject
			}
			_, _ = w.Write(text)
			_ = w.WriteByte('\n')
			found = append(found, rejectRow{line: line, raw: capRaw(string(text))})
		}
		structRows = loc.structuralRows()
	} else {
		// The reader skips the first line as the header; its columns are named
		// by position anyway.
		names := make([]string, len(info.header))
		for i := range names {
			names[i] = fmt.Sprintf("c%d", i)
		}
		_, _ = w.WriteString(strings.Join(names, string(info.delim)) + "\n")
		loc := &csvLocator{info: info, structural: structural, ord: -1, log: l.log}
		defer loc.close()
		for _, o := range ords {
			r := loc.locate(stageReject{ord: o})
			if r.line == 0 || loc.rec.Truncated || len(loc.rec.Raw) == 0 {
				return nil, false, nil
			}
			_, _ = w.Write(loc.rec.Raw)
			_ = w.WriteByte('\n')
			found = append(found, r)
		}
		structRows = loc.structuralRows()
	}
	if err := w.Flush(); err != nil {
		return nil, false, fmt.Errorf("file of rejected rows: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, false, fmt.Errorf("file of rejected rows: %w", err)
	}
	if len(found) > 0 {
		again := *info
		again.path, again.skip, again.preRejects = tmp.Name(), 0, nil
		if _, err := tx.Exec(ctx, rejectPassSQL(&again, m)); err != nil {
			return nil, false, fmt.Errorf("read the rejected rows again: %w", cleanDuckError(err))
		}
		rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT _ord, _err FROM %s ORDER BY _ord`, duckstore.Ident(stageTable)))
		if err != nil {
			return nil, false, fmt.Errorf("read rejects: %w", err)
		}
		defer rows.Close()
		k := 0
		for rows.Next() {
			var o int64
			var e string
			if err := rows.Scan(&o, &e); err != nil {
				return nil, false, fmt.Errorf("read rejects: %w", err)
			}
			if o != int64(k) || k >= len(found) {
				return nil, false, rows.Close()
			}
			found[k].column, found[k].reason, _ = strings.Cut(e, errSep)
			k++
		}
		if err := rows.Err(); err != nil {
			return nil, false, fmt.Errorf("read rejects: %w", err)
		}
		if k != len(found) {
			return nil, false, nil
		}
	}
	return append(found, structRows...), true, nil
}

func readStageRejects(ctx context.Context, tx *duckstore.Tx, ord string, after int64) ([]stageReject, error) {
	rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT %[1]s, _err, _raw FROM %[2]s WHERE _err <> '' AND %[1]s > ? ORDER BY %[1]s LIMIT %[3]d`,
		ord, duckstore.Ident(stageTable), rejectChunk), after)
	if err != nil {
		return nil, fmt.Errorf("read rejects: %w", err)
	}
	defer rows.Close()
	var out []stageReject
	for rows.Next() {
		var r stageReject
		if err := rows.Scan(&r.ord, &r.err, &r.raw); err != nil {
			return nil, fmt.Errorf("read rejects: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// readStructural reads DuckDB's own rejects of the file, one per record.
func readStructural(ctx context.Context, tx *duckstore.Tx, info *fileInfo) ([]*structReject, error) {
	if info.format == FormatParquet {
		return nil, nil
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?`, rejectsTable).Scan(&n); err != nil {
		return nil, fmt.Errorf("read reader rejects: %w", err)
	}
	if n == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT line, error_type, error_message, csv_line
		FROM temp.main.%s ORDER BY line, column_idx`, duckstore.Ident(rejectsTable)))
	if err != nil {
		return nil, fmt.Errorf("read reader rejects: %w", err)
	}
	defer rows.Close()
	var out []*structReject
	for rows.Next() {
		var s structReject
		var typ, msg string
		if err := rows.Scan(&s.line, &typ, &msg, &s.csvLine); err != nil {
			return nil, fmt.Errorf("read reader rejects: %w", err)
		}
		if k := len(out); k > 0 && out[k-1].line == s.line {
			continue // a second complaint about the same record (one per missing column)
		}
		s.reason = structuralReason(typ, msg, info.maxRow)
		s.csvLine = strings.Trim(s.csvLine, "\r\n")
		out = append(out, &s)
	}
	return out, rows.Err()
}

// structuralReason words DuckDB's reader errors the way the rest of the
// rejects are worded.
func structuralReason(typ, msg string, maxRow int64) string {
	switch typ {
	case "MISSING COLUMNS", "TOO MANY COLUMNS":
		var want, got int
		if _, err := fmt.Sscanf(msg, "Expected Number of Columns: %d Found: %d", &want, &got); err == nil {
			return fmt.Sprintf("row has %d fields, header has %d", got, want)
		}
	case "UNQUOTED VALUE":
		return "unterminated or misplaced quote"
	case "INVALID ENCODING", "INVALID UNICODE":
		return "not valid UTF-8"
	case "LINE SIZE OVER MAXIMUM":
		if maxRow > 0 {
			return "row longer than the " + byteSize(maxRow) + " limit (ingest.max_row_bytes)"
		}
		return "line longer than the reader's maximum"
	}
	return strings.ToLower(typ) + ": " + msg
}

// locator finds the line and raw text of rejects.
type locator interface {
	locate(r stageReject) rejectRow
	structuralRows() []rejectRow
	close()
}

// parquetLocator: the line is the row number, the raw text the row as JSON.
type parquetLocator struct{}

func (parquetLocator) locate(r stageReject) rejectRow {
	return rejectRow{line: r.ord + 1, raw: capRaw(fmt.Sprint(r.raw))}
}
func (parquetLocator) structuralRows() []rejectRow { return nil }
func (parquetLocator) close()                      {}

// lineLocator serves JSON lines: DuckDB returns one row per line, blank ones
// included, except the lines its reader rejected; so row n is line n+1 plus
// the number of rejected lines before it. The line is read back and compared
// with the row's text; on a mismatch (rows not in file order) the locator
// stops giving line numbers.
type lineLocator struct {
	path       string
	structural []*structReject // by line
	next       int             // structural lines already counted
	log        *slog.Logger

	f      *os.File
	r      *bufio.Reader
	at     int64 // lines read so far
	buf    []byte
	broken bool
}

func (l *lineLocator) locate(r stageReject) rejectRow {
	line := l.lineFor(r.ord)
	raw, known := r.raw.(string)
	got, ok := l.read(line)
	switch {
	case ok && (!known || string(got) == raw):
		return rejectRow{line: line, raw: capRaw(string(got))}
	case ok:
		l.fail(fmt.Sprintf("line %d does not hold the text DuckDB read for it", line))
	}
	return rejectRow{raw: capRaw(raw)}
}

// lineFor is the line of the row of ordinal ord (asked for in order).
func (l *lineLocator) lineFor(ord int64) int64 {
	line := ord + 1 + int64(l.next)
	for l.next < len(l.structural) && l.structural[l.next].line <= line {
		l.next++
		line++
	}
	return line
}

// read reads up to line n and returns it without its line terminator.
func (l *lineLocator) read(n int64) ([]byte, bool) {
	if l.broken {
		return nil, false
	}
	if l.r == nil {
		f, err := os.Open(l.path)
		if err != nil {
			l.fail(err.Error())
			return nil, false
		}
		l.f, l.r = f, bufio.NewReaderSize(f, 1<<20)
	}
	var got []byte
	for l.at < n {
		b, err := l.readLine()
		if err != nil && len(b) == 0 {
			l.fail(fmt.Sprintf("file ended before line %d", n))
			return nil, false
		}
		l.at++
		got = b
	}
	if l.at != n {
		l.fail(fmt.Sprintf("line %d asked for after line %d", n, l.at))
		return nil, false
	}
	got = bytes.TrimRight(got, "\r\n")
	if n == 1 {
		got = bytes.TrimPrefix(got, bom)
	}
	return got, true
}

func (l *lineLocator) readLine() ([]byte, error) {
	l.buf = l.buf[:0]
	for {
		b, err := l.r.ReadSlice('\n')
		l.buf = append(l.buf, b...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return l.buf, err
		}
	}
}

func (l *lineLocator) fail(why string) {
	if !l.broken {
		l.log.Warn("cannot locate rejects in the file; recording them without line numbers", "path", l.path, "why", why)
	}
	l.broken = true
}

func (l *lineLocator) structuralRows() []rejectRow {
	out := make([]rejectRow, len(l.structural))
	for i, s := range l.structural {
		out[i] = rejectRow{line: s.line, reason: s.reason, raw: capRaw(s.csvLine)}
	}
	return out
}
func (l *lineLocator) close() {
	if l.f != nil {
		l.f.Close()
	}
}

// csvLocator walks the file with the record scanner, in step with DuckDB:
// after the header, each record is either one DuckDB rejected (matched by
// DuckDB's line count) or the next row of the stage. A reject's fields are compared
// with the record found for it; should they ever differ (the two parsers
// disagreeing on a record boundary), the locator stops trusting the walk and
// falls back to the fields DuckDB read, without a line number.
type csvLocator struct {
	info       *fileInfo
	structural []*structReject // by line
	log        *slog.Logger

	f       *os.File
	sc      *recordScanner
	si      int   // structural rejects already passed
	ord     int64 // ordinal of the last stage row walked over
	rec     record
	broken  bool
	started bool
}

func (c *csvLocator) open() bool {
	if c.started {
		return !c.broken
	}
	c.started = true
	f, err := os.Open(c.info.path)
	if err != nil {
		c.fail("reopen: " + err.Error())
		return false
	}
	c.f = f
	c.sc = newRecordScanner(f, c.info.delim)
	if _, ok := c.sc.Next(); !ok { // the header
		c.fail("no header on second read")
		return false
	}
	return true
}

func (c *csvLocator) fail(why string) {
	if !c.broken {
		c.log.Warn("cannot locate rejects in the file; recording them without line numbers", "path", c.info.path, "why", why)
	}
	c.broken = true
}

// step reads the next record; it reports whether it is a stage row.
func (c *csvLocator) step() (row bool, ok bool) {
	rec, ok := c.sc.Next()
	if !ok {
		if err := c.sc.Err(); err != nil {
			c.fail(err.Error())
		}
		return false, false
	}
	c.rec = rec
	for c.si < len(c.structural) && c.structural[c.si].line < rec.Seq {
		c.si++ // not found where expected: left to the fallback
	}
	if c.si < len(c.structural) && c.structural[c.si].line == rec.Seq {
		s := c.structural[c.si]
		s.found = true
		s.row = rejectRow{line: int64(rec.Line), reason: s.reason, raw: capRaw(string(rec.Raw))}
		c.si++
		return false, true
	}
	c.ord++
	return true, true
}

func (c *csvLocator) locate(r stageReject) rejectRow {
	fields, _ := r.raw.([]any)
	if c.open() {
		for c.ord < r.ord {
			if _, ok := c.step(); !ok {
				c.fail(fmt.Sprintf("file ended before row %d", r.ord))
				break
			}
		}
		if !c.broken && c.ord == r.ord {
			// A duplicate-key reject has no fields to compare (it was found
			// after the stage was built); it is taken on trust.
			if fields == nil || c.rec.Truncated || sameFields(c.rec.Raw, c.info.delim, fields) {
				return rejectRow{line: int64(c.rec.Line), raw: capRaw(string(c.rec.Raw))}
			}
			c.fail(fmt.Sprintf("record at line %d does not hold the fields DuckDB read for row %d", c.rec.Line, r.ord))
		}
	}
	return rejectRow{raw: capRaw(joinFields(fields, c.info.delim))}
}

func (c *csvLocator) structuralRows() []rejectRow {
	if len(c.structural) == 0 {
		return nil
	}
	if c.open() {
		for c.si < len(c.structural) {
			if _, ok := c.step(); !ok {
				break
			}
		}
	}
	out := make([]rejectRow, len(c.structural))
	for i, s := range c.structural {
		if s.found {
			out[i] = s.row
		} else {
			out[i] = rejectRow{reason: s.reason, raw: capRaw(s.csvLine)}
		}
	}
	return out
}

func (c *csvLocator) close() {
	if c.f != nil {
		c.f.Close()
	}
}

// sameFields reports whether raw parses to the fields DuckDB read (DuckDB
// reads an empty field as NULL, and keeps \r\n inside quotes).
func sameFields(raw []byte, delim byte, fields []any) bool {
	r := csv.NewReader(bytes.NewReader(raw))
	r.Comma = rune(delim)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	got, err := r.Read()
	if err != nil || len(got) != len(fields) {
		return false
	}
	for i, f := range fields {
		s, _ := f.(string)
		if strings.ReplaceAll(s, "\r\n", "\n") != got[i] {
			return false
		}
	}
	return true
}

// joinFields writes fields back as one delimited record.
func joinFields(fields []any, delim byte) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = rune(delim)
	rec := make([]string, len(fields))
	for i, f := range fields {
		rec[i], _ = f.(string)
	}
	_ = w.Write(rec)
	w.Flush()
	return strings.TrimRight(b.String(), "\n")
}

// capRaw makes raw text storable: valid UTF-8 (a line rejected for its
// encoding keeps U+FFFD in place of the bad bytes) and at most rawCap bytes.
func capRaw(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= rawCap {
		return s
	}
	return shorten(s, rawCap)
}
