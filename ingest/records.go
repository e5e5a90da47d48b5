package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// record is one record of a delimited file, as the scanner found it.
type record struct {
	Line      int    // physical line (1-based) the record starts on
	Seq       int64  // DuckDB's "line" of the record: records and blank lines counted, quoted newlines not
	Start     int64  // byte offset of its first byte
	End       int64  // byte offset just past it and its line terminator
	Raw       []byte // its text without the final line terminator; valid until the next call
	Truncated bool   // Raw was cut at maxRawBytes
}

// maxRawBytes caps the raw text kept per record. DuckDB refuses lines above
// 2 MB anyway; the cap matters only for an unterminated quote, which swallows
// the rest of the file into one record.
const maxRawBytes = 1 << 20

// recordScanner splits delimited text into records the way DuckDB's strict
// CSV reader does (and, on valid input, the way encoding/csv does): a record
// ends at a newline outside quotes; a quote opens a quoted field only at the
// start of a field ("" inside it is a literal quote; a quote elsewhere is
// data); empty lines are skipped. It reports each record's physical line,
// byte range and raw text, which DuckDB's reader does not give for rows that
// parse. It is only run over a file's header, over files that have rejects,
// and over files with a line over the row limit. Its memory is bounded by
// its raw cap and its reader's buffer, whatever the length of a line.
type recordScanner struct {
	r      *bufio.Reader
	delim  byte
	rawCap int // most bytes of a record's text kept in Raw
	// noQuotes splits at every line end (JSON lines: quotes are no CSV quotes).
	noQuotes bool
	off      int64 // offset of the next unread byte
	line     int   // physical line number of the next unread line
	seq      int64 // records and blank lines seen
	buf      []byte
	err      error
}

func newRecordScanner(r io.Reader, delim byte) *recordScanner {
	return &recordScanner{r: bufio.NewReaderSize(r, 64<<10), delim: delim, line: 1, rawCap: maxRawBytes}
}

// Err is the read error that stopped the scan, if any (io.EOF is not an error).
func (s *recordScanner) Err() error { return s.err }

// quoteState follows quoting across the bytes of a record, block by block.
type quoteState struct {
	inQuote    bool // inside a quoted field
	maybeEnd   bool // inside one, just after a quote: "" or the end of the field
	fieldStart bool // the next byte starts a field
}

func (q *quoteState) feed(b []byte, delim byte) {
	if len(b) == 0 {
		return
	}
	if !q.inQuote && bytes.IndexByte(b, '"') < 0 {
		c := b[len(b)-1]
		q.fieldStart = c == delim || c == '\n'
		return
	}
	for _, c := range b {
		if q.maybeEnd {
			q.maybeEnd = false
			if c == '"' {
				continue // a doubled quote: a literal one, still quoted
			}
			q.inQuote = false
		}
		if q.inQuote {
			q.maybeEnd = c == '"'
			continue
		}
		switch c {
		case delim, '\n':
			q.fieldStart = true
		case '"':
			q.inQuote = q.fieldStart
			q.fieldStart = false
		default:
			q.fieldStart = false
		}
	}
}

// open reports whether the record continues past the current line.
func (q *quoteState) open() bool { return q.inQuote && !q.maybeEnd }

// readLine reads one physical line (through its '\n', absent at EOF) block by
// block, keeping at most rawCap bytes of the record and feeding the quote
// state. It returns the line's first two bytes and length.
func (s *recordScanner) readLine(q *quoteState, rec *record) (head [2]byte, n int, nl bool, ok bool) {
	for {
		chunk, err := s.r.ReadSlice('\n')
		if len(chunk) > 0 {
			for i := 0; n+i < 2 && i < len(chunk); i++ {
				head[n+i] = chunk[i]
			}
			n += len(chunk)
			s.off += int64(len(chunk))
			if room := s.rawCap - len(s.buf); room < len(chunk) {
				if room > 0 {
					s.buf = append(s.buf, chunk[:room]...)
				}
				rec.Truncated = true
			} else {
				s.buf = append(s.buf, chunk...)
			}
			if !s.noQuotes {
				q.feed(chunk, s.delim)
			}
			nl = chunk[len(chunk)-1] == '\n'
		}
		switch {
		case err == nil:
			return head, n, nl, true
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return head, n, nl, n > 0
		default:
			s.err = err
			return head, n, nl, n > 0
		}
	}
}

func isBlankLine(head [2]byte, n int) bool {
	switch n {
	case 0:
		return true
	case 1:
		return head[0] == '\n' || head[0] == '\r'
	case 2:
		return head[0] == '\r' && head[1] == '\n'
	}
	return false
}

// Next returns the next record; false at the end of the input.
func (s *recordScanner) Next() (record, bool) {
	rec := record{}
	s.buf = s.buf[:0]
	q := quoteState{fieldStart: true}
	started := false
	for {
		startOff := s.off
		head, n, nl, ok := s.readLine(&q, &rec)
		if !ok {
			if !started {
				return record{}, false
			}
			break
		}
		if !started && isBlankLine(head, n) {
			s.buf, rec.Truncated, q = s.buf[:0], false, quoteState{fieldStart: true}
			if nl {
				s.line++
			}
			s.seq++
			continue
		}
		if !started {
			started = true
			s.seq++
			rec.Line, rec.Start, rec.Seq = s.line, startOff, s.seq
		}
		if nl {
			s.line++
		}
		if !q.open() || !nl {
			break
		}
	}
	rec.End = s.off
	raw := s.buf
	if !rec.Truncated {
		raw = bytes.TrimSuffix(raw, []byte{'\n'})
		raw = bytes.TrimSuffix(raw, []byte{'\r'})
	}
	rec.Raw = raw
	return rec, true
}
