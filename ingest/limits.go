package ingest

import (
	"fmt"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Limits bound what ingest reads, so that bad input costs a bounded amount of
// memory and time: the header width, a value, a row and a whole file. The
// defaults are far above anything a marketplace export writes (exports have
// at most a few dozen columns and rows of a few kilobytes).
type Limits struct {
	// MaxColumns is the most columns a header (or JSON lines' keys) may have;
	// a wider file is quarantined before anything else reads it.
	MaxColumns int
	// MaxFieldBytes is the longest value of a loaded column; a row with a
	// longer one is rejected.
	MaxFieldBytes int64
	// MaxRowBytes is the longest row (a record of a delimited file, a line of
	// JSON lines); a longer one is rejected with its line, and a longer
	// header quarantines the file.
	MaxRowBytes int64
	// MaxFileBytes is the largest file read; a larger one is quarantined
	// without being read.
	MaxFileBytes int64
}

// The default limits.
const (
	DefaultMaxColumns    = 1000
	DefaultMaxFieldBytes = 256 << 10
	DefaultMaxRowBytes   = 1 << 20
	DefaultMaxFileBytes  = 64 << 30
)

// DefaultLimits returns the limits used where a field is zero.
func DefaultLimits() Limits {
	return Limits{MaxColumns: DefaultMaxColumns, MaxFieldBytes: DefaultMaxFieldBytes, MaxRowBytes: DefaultMaxRowBytes, MaxFileBytes: DefaultMaxFileBytes}
}

// withDefaults fills the zero fields.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxColumns <= 0 {
		l.MaxColumns = d.MaxColumns
	}
	if l.MaxFieldBytes <= 0 {
		l.MaxFieldBytes = d.MaxFieldBytes
	}
	if l.MaxRowBytes <= 0 {
		l.MaxRowBytes = d.MaxRowBytes
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	return l
}

// badFile is a problem with a file's content found by ingest itself (a limit,
// an encoding, a count that does not add up): the file is quarantined and the
// run goes on.
type badFile struct{ msg string }

func (e *badFile) Error() string { return e.msg }

func badFilef(format string, args ...any) error { return &badFile{msg: fmt.Sprintf(format, args...)} }

// byteSize writes n bytes for people (1 MiB, 256 KiB, 1234 bytes).
func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// fieldLimitCheck is the WHEN branch of the stage's checks that rejects a row
// whose value r of column c is longer than limit bytes.
func fieldLimitCheck(c Column, r string, limit int64) string {
	return fmt.Sprintf("WHEN strlen(%s) > %d THEN %s", r, limit,
		duckstore.Literal(c.Name+errSep+"value longer than the "+byteSize(limit)+" limit (ingest.max_field_bytes)"))
}

// fieldsMayExceed reports whether a value of the file can be longer than the
// value limit, so that the stage must measure every value: not when the
// file's longest line is within the limit and no value spans lines (a
// delimited file without quotes, or JSON lines, whose values decode to no
// more bytes than their text). The line statistics come from the pass that
// hashes the file, so the check costs nothing more per value.
func (f *fileInfo) fieldsMayExceed() bool {
	if f.maxField <= 0 {
		return false
	}
	st := f.stats
	if st == nil || f.format == FormatParquet {
		return true
	}
	if f.format != FormatJSONL && st.quotes {
		return true
	}
	return st.longest > f.maxField
}

// maxLineOption gives DuckDB's reader the row limit (a few bytes over it, for
// the line terminator), so that a record spanning lines that is over the
// limit is one of its rejects, and a buffer that holds a few such rows: by
// default DuckDB allocates 16 times the line size per buffer (1.6 GB for a
// 100 MB limit), and it drops a line longer than its buffer without a word.
func maxLineOption(f *fileInfo) string {
	if f.maxRow <= 0 {
		return ""
	}
	line := f.maxRow + 2
	return fmt.Sprintf(", max_line_size = %d, buffer_size = %d", line, max(readerBufferBytes, 4*line))
}

// readerBufferBytes is DuckDB's CSV buffer under the default limits (its own
// default for its default 2 MB line size).
const readerBufferBytes = 32 << 20
