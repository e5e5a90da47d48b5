package ingest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// lineStats is what one pass over a file learns about its physical lines
// (split at LF), cheaply enough to be done while it is hashed: the longest
// line, the lines over the row limit, and the counts that say how many
// records DuckDB must find.
type lineStats struct {
	lines     int64 // physical lines (a last one without LF included)
	empty     int64 // lines with nothing but their terminator (LF, CR LF)
	blank     int64 // lines with nothing but spaces, tabs and CR (empty ones included)
	longest   int64 // bytes of the longest line, its LF excluded
	overLimit int64 // lines longer than the row limit
	quotes    bool  // the file has a double quote (records may span lines)
}

// lineCounter accumulates lineStats block by block.
type lineCounter struct {
	st      lineStats
	limit   int64
	cur     int64 // length of the current line so far
	first   byte  // its first byte
	allWS   bool  // only spaces, tabs and CR so far
	started bool  // a line is open
}

func newLineCounter(limit int64) *lineCounter { return &lineCounter{limit: limit} }

func (c *lineCounter) Write(b []byte) (int, error) {
	n := len(b)
	if !c.st.quotes && bytes.IndexByte(b, '"') >= 0 {
		c.st.quotes = true
	}
	for len(b) > 0 {
		if !c.started {
			c.started, c.cur, c.first, c.allWS = true, 0, b[0], true
		}
		i := bytes.IndexByte(b, '\n')
		seg := b
		if i >= 0 {
			seg = b[:i]
		}
		c.cur += int64(len(seg))
		if c.allWS {
			for _, x := range seg {
				if x != ' ' && x != '\t' && x != '\r' {
					c.allWS = false
					break
				}
			}
		}
		if i < 0 {
			break
		}
		c.endLine()
		b = b[i+1:]
	}
	return n, nil
}

func (c *lineCounter) endLine() {
	c.st.lines++
	if c.cur == 0 || (c.cur == 1 && c.first == '\r') {
		c.st.empty++
	}
	if c.allWS {
		c.st.blank++
	}
	if c.cur > c.st.longest {
		c.st.longest = c.cur
	}
	if c.cur > c.limit {
		c.st.overLimit++
	}
	c.started = false
}

func (c *lineCounter) stats() lineStats {
	if c.started {
		c.endLine()
	}
	return c.st
}

// hashAndCount reads the file once: its SHA-256 (the ledger's key) and its
// line statistics.
func hashAndCount(path string, rowLimit int64) (string, lineStats, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", lineStats{}, err
	}
	defer f.Close()
	h := sha256.New()
	lc := newLineCounter(rowLimit)
	if _, err := io.CopyBuffer(io.MultiWriter(h, lc), f, make([]byte, 1<<20)); err != nil {
		return "", lineStats{}, err
	}
	return hex.EncodeToString(h.Sum(nil)), lc.stats(), nil
}

// hashing is hashAndCount of one file, running in the background (started
// for the next file while the current one loads).
type hashing struct {
	path  string
	limit int64
	start time.Time // when it was started
	done  chan struct{}
	info  os.FileInfo // the file when it was started (nil: could not stat)
	sum   string
	stats lineStats
	err   error
}

// startHashing starts hashing f, unless it will not be read: unchanged
// since ingest last hashed it (seenAs), or its size says so (empty or over
// the file limit). Then nil, and ingestFile decides.
func startHashing(f foundFile, lim Limits) *hashing {
	if f.seenAs != "" || f.size <= 0 || f.size > lim.MaxFileBytes {
		return nil
	}
	h := &hashing{path: f.path, limit: lim.MaxRowBytes, start: time.Now(), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		if h.info, h.err = os.Stat(h.path); h.err == nil {
			h.sum, h.stats, h.err = hashAndCount(h.path, h.limit)
		}
	}()
	return h
}

func (h *hashing) wait() { <-h.done }

// result is the hash and line statistics of the file at path, now described
// by st, and when the read that gave them began: the background result when
// there is one and the file is the same file (not one renamed over it), of
// the same size, not modified since the hash started; else the file is read
// now.
func (h *hashing) result(path string, rowLimit int64, st os.FileInfo) (string, lineStats, time.Time, error) {
	if h != nil && h.path == path {
		h.wait()
		if h.err == nil && os.SameFile(h.info, st) && st.Size() == h.info.Size() && st.ModTime().Before(h.start) {
			return h.sum, h.stats, h.start, nil
		}
	}
	start := time.Now()
	sum, stats, err := hashAndCount(path, rowLimit)
	return sum, stats, start, err
}

// countLines is the line statistics of a file alone (of a copy ingest made).
func countLines(path string, rowLimit int64) (lineStats, error) {
	f, err := os.Open(path)
	if err != nil {
		return lineStats{}, err
	}
	defer f.Close()
	lc := newLineCounter(rowLimit)
	if _, err := io.CopyBuffer(lc, f, make([]byte, 1<<20)); err != nil {
		return lineStats{}, err
	}
	return lc.stats(), nil
}

// checkRecordCount makes sure DuckDB read every record of a delimited or JSON
// lines file: records (rows loaded plus rejected) must match the file's lines.
// Without quotes a record is a non-empty line (for JSON lines, a non-blank
// one); with quotes a record may span lines, so there can only be fewer, but
// never none when there is data. A file that fails this is not recorded as
// ingested: DuckDB's reader has been seen to drop a record longer than its
// buffer without a word.
func checkRecordCount(info *fileInfo, records int64) error {
	if info.stats == nil || info.format == FormatParquet {
		return nil
	}
	most, exact := recordsExpected(info)
	st := info.stats
	// some: whether the file holds any record.
	var some bool
	switch {
	case info.format == FormatJSONL:
		some = most > 0
	case len(info.header) == 1:
		some = st.lines-st.empty-1 > 0
	default:
		some = most > 0
	}
	switch {
	case exact && records != most:
		return badFilef("the reader found %d record(s) where the file has %d non-empty line(s) of data; nothing of it was loaded", records, most)
	case records > most || (some && records == 0):
		return badFilef("the reader found %d record(s) in %d line(s) of data; nothing of it was loaded", records, most)
	}
	return nil
}

// recordsExpected is the most records a delimited or JSON lines file can
// hold, by its line statistics, and whether it holds exactly that many.
func recordsExpected(info *fileInfo) (most int64, exact bool) {
	st := info.stats
	if st == nil || info.format == FormatParquet {
		return 0, false
	}
	switch {
	case info.format == FormatJSONL:
		return st.lines - st.blank, true
	case len(info.header) == 1:
		// One column: DuckDB reads an empty line after the header as a
		// record (of one empty value), so every line after it may be one.
		return st.lines - int64(info.skip) - 1, false
	default:
		// The header's line and the empty lines are no records; with
		// quotes, a record may span lines.
		return st.lines - st.empty - 1, !st.quotes
	}
}

// dropLongRecords copies src to dst with each record longer than limit (a
// line, for JSON lines) replaced by the empty lines it spanned, so that line
// numbers stay and DuckDB's reader, which skips empty lines, never meets it,
// and returns a reject for each. The scan's memory is bounded by its buffer
// and a short excerpt per reject, whatever the length of the record.
func dropLongRecords(src, dst string, info *fileInfo, limit int64) ([]rejectRow, error) {
	in, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	copyFrom, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer copyFrom.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	fail := func(err error) ([]rejectRow, error) {
		out.Close()
		return nil, fmt.Errorf("copy %s without its long rows: %w", filepath.Base(src), err)
	}
	sc := newRecordScanner(in, info.delim)
	sc.rawCap = longRowExcerpt
	sc.noQuotes = info.format == FormatJSONL
	reason := "row longer than the " + byteSize(limit) + " limit (ingest.max_row_bytes)"
	var rejects []rejectRow
	var at int64 // bytes of src copied so far
	for {
		rec, ok := sc.Next()
		if !ok {
			break
		}
		if rec.End-rec.Start <= limit+2 { // +2: the line terminator
			continue
		}
		if _, err := io.CopyN(w, copyFrom, rec.Start-at); err != nil {
			return fail(err)
		}
		for i := rec.Line; i < sc.line; i++ {
			if err := w.WriteByte('\n'); err != nil {
				return fail(err)
			}
		}
		if _, err := copyFrom.Seek(rec.End, io.SeekStart); err != nil {
			return fail(err)
		}
		at = rec.End
		rejects = append(rejects, rejectRow{line: int64(rec.Line), reason: reason, raw: capRaw(string(rec.Raw)) + "…"})
	}
	if err := sc.Err(); err != nil {
		return fail(err)
	}
	if _, err := io.Copy(w, copyFrom); err != nil {
		return fail(err)
	}
	if err := w.Flush(); err != nil {
		return fail(err)
	}
	if err := out.Close(); err != nil {
		return nil, err
	}
	return rejects, nil
}

// longRowExcerpt is how much of a row over the limit its reject keeps.
const longRowExcerpt = 256
