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
// parse. It is only run over files that have rejects.
type recordScanner struct {
	r     *bufio.Reader
	delim byte
	off   int64 // offset of the next unread byte
	line  int   // physical line number of the next unread line
	seq   int64 // records and blank lines seen
	buf   []byte
	phys  []byte // the current physical line
	err   error
}

func newRecordScanner(r io.Reader, delim byte) *recordScanner {
	return &recordScanner{r: bufio.NewReaderSize(r, 1<<20), delim: delim, line: 1}
}

// Err is the read error that stopped the scan, if any (io.EOF is not an error).
func (s *recordScanner) Err() error { return s.err }

// readPhys reads one physical line including its '\n' (absent at EOF).
func (s *recordScanner) readPhys() ([]byte, bool) {
	s.phys = s.phys[:0]
	for {
		chunk, err := s.r.ReadSlice('\n')
		s.phys = append(s.phys, chunk...)
		switch {
		case err == nil:
			return s.phys, true
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return s.phys, len(s.phys) > 0
		default:
			s.err = err
			return s.phys, len(s.phys) > 0
		}
	}
}

func isBlankLine(l []byte) bool {
	switch len(l) {
	case 0:
		return true
	case 1:
		return l[0] == '\n' || l[0] == '\r'
	case 2:
		return l[0] == '\r' && l[1] == '\n'
	}
	return false
}

// Next returns the next record; false at the end of the input.
func (s *recordScanner) Next() (record, bool) {
	rec := record{}
	s.buf = s.buf[:0]
	inQuote, started := false, false
	for {
		l, ok := s.readPhys()
		if !ok {
			if !started {
				return record{}, false
			}
			break
		}
		startOff := s.off
		s.off += int64(len(l))
		if !started && isBlankLine(l) {
			if l[len(l)-1] == '\n' {
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
		if l[len(l)-1] == '\n' {
			s.line++
		}
		if room := maxRawBytes - len(s.buf); room < len(l) {
			if room > 0 {
				s.buf = append(s.buf, l[:room]...)
			}
			rec.Truncated = true
		} else {
			s.buf = append(s.buf, l...)
		}
		if inQuote || bytes.IndexByte(l, '"') >= 0 {
			inQuote = s.quoteState(l, inQuote)
		}
		if !inQuote || l[len(l)-1] != '\n' {
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

// quoteState runs the quote state machine over one physical line and reports
// whether the line ends inside a quoted field. A line starts a new field
// unless it continues a quoted one.
func (s *recordScanner) quoteState(l []byte, inQuote bool) bool {
	fieldStart := !inQuote
	for i := 0; i < len(l); i++ {
		c := l[i]
		if inQuote {
			if c == '"' {
				if i+1 < len(l) && l[i+1] == '"' {
					i++
					continue
				}
				inQuote = false
			}
			continue
		}
		switch c {
		case s.delim, '\n':
			fieldStart = true
		case '"':
			inQuote = fieldStart
			fieldStart = false
		default:
			fieldStart = false
		}
	}
	return inQuote
}
