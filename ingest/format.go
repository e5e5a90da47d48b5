package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Format is a file format ingest reads.
type Format string

// The formats.
const (
	FormatCSV     Format = "csv"
	FormatTSV     Format = "tsv"
	FormatJSONL   Format = "jsonl"
	FormatParquet Format = "parquet"
)

// supportedExt are the extensions a folder walk picks up. A file named on
// the command line is read whatever its name (its format is sniffed).
var supportedExt = map[string]bool{
	".csv": true, ".tsv": true, ".txt": true,
	".jsonl": true, ".ndjson": true, ".json": true,
	".parquet": true,
}

// fileInfo is what ingest learns about a file before DuckDB reads it.
type fileInfo struct {
	path       string
	format     Format
	delim      byte     // delimited files
	header     []string // column names (JSON lines: keys seen in the first lines)
	skip       int      // blank lines before a delimited file's header
	headerOnly bool     // a delimited file with a header and nothing else

	// crOnly: the lines end with a bare CR; nothing else was read (the
	// loader reads a copy with LF line ends instead).
	crOnly bool
	// origin is the file as found, recorded in the ledger and the rejects;
	// path may be a copy of it that ingest made (CR line ends turned into
	// LF, rows over the limit taken out).
	origin string
	// stats are the line statistics of path (delimited and JSON lines).
	stats *lineStats
	// maxRow and maxField are the row and value limits.
	maxRow, maxField int64
	// preRejects are rows ingest rejected before DuckDB read the file (rows
	// over the row limit).
	preRejects []rejectRow
}

// recordedPath is the file's path as the tables record it: absolute, and
// valid UTF-8 (the database refuses anything else; a file name in a legacy
// code page keeps U+FFFD in place of its bad bytes).
func (f *fileInfo) recordedPath() string {
	p := f.origin
	if p == "" {
		p = f.path
	}
	return strings.ToValidUTF8(absPath(p), "\uFFFD")
}

// jsonSampleLines is how many JSON lines are read to learn the keys.
const jsonSampleLines = 1000

var bom = []byte{0xEF, 0xBB, 0xBF}

// sniff decides the format from the extension (or, failing that, from the
// first bytes) and reads the header of delimited and JSON lines files, within
// the limits: a file that is not UTF-8 text, a JSON array, a header wider or
// longer than the limits are refused (a *badFile). A file whose lines end
// with a bare CR comes back with crOnly set and nothing read. Parquet headers
// come from DuckDB.
func sniff(path string, lim Limits) (*fileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(headBytes)
	body := bytes.TrimPrefix(head, bom)
	info := &fileInfo{path: path}
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".parquet" || bytes.HasPrefix(head, []byte("PAR1")) {
		info.format = FormatParquet
		return info, nil
	}
	if err := checkEncoding(head); err != nil {
		return nil, err
	}
	if crOnly(body) {
		info.crOnly = true
		return info, nil
	}
	start := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case ext == ".jsonl" || ext == ".ndjson" || ext == ".json" ||
		(ext != ".csv" && ext != ".tsv" && (bytes.HasPrefix(start, []byte("{")) || bytes.HasPrefix(start, []byte("[")))):
		info.format = FormatJSONL
		if bytes.HasPrefix(start, []byte("[")) {
			return nil, badFilef("a JSON array, not JSON lines: only one JSON object per line is read (convert it, e.g. with jq -c '.[]')")
		}
		keys, err := jsonKeys(br, lim.MaxColumns)
		if err != nil {
			return nil, err
		}
		info.header = keys
		return info, nil
	case ext == ".tsv":
		info.format, info.delim = FormatTSV, '\t'
	default:
		info.format, info.delim = FormatCSV, ','
	}
	return info, readDelimitedHeader(br, info, ext, lim)
}

// readDelimitedHeader reads the first record as the header, choosing the
// delimiter: the extension's unless the header has none of it and has
// another candidate; for .txt and unknown extensions the most frequent one.
func readDelimitedHeader(r io.Reader, info *fileInfo, ext string, lim Limits) error {
	sc := newRecordScanner(r, info.delim)
	sc.rawCap = int(lim.MaxRowBytes) + 2
	rec, ok := sc.Next()
	if !ok {
		if err := sc.Err(); err != nil {
			return err
		}
		return errors.New("no header: the file has only blank lines")
	}
	if rec.Truncated {
		return badFilef("the header (line %d) is longer than the %s row limit (ingest.max_row_bytes)", rec.Line, byteSize(lim.MaxRowBytes))
	}
	raw := bytes.TrimPrefix(rec.Raw, bom)
	if err := checkUTF8("the header", raw); err != nil {
		return err
	}
	counts := map[byte]int{}
	for _, d := range []byte{',', '\t', ';', '|'} {
		counts[d] = countOutsideQuotes(raw, d)
	}
	best := byte(0)
	for _, d := range []byte{',', '\t', ';', '|'} {
		if counts[d] > 0 && (best == 0 || counts[d] > counts[best]) {
			best = d
		}
	}
	switch {
	case (ext == ".csv" || ext == ".tsv") && counts[info.delim] > 0:
	case best != 0:
		info.delim = best
	}
	if n := counts[info.delim] + 1; n > lim.MaxColumns {
		return badFilef("the header has %d columns, over the limit of %d (ingest.max_columns)", n, lim.MaxColumns)
	}
	if info.delim == '\t' {
		info.format = FormatTSV
	} else {
		info.format = FormatCSV
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.Comma = rune(info.delim)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	fields, err := cr.Read()
	if err != nil {
		return fmt.Errorf("read header: %w", err)
	}
	if len(fields) > lim.MaxColumns {
		return badFilef("the header has %d columns, over the limit of %d (ingest.max_columns)", len(fields), lim.MaxColumns)
	}
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	info.header = fields
	info.skip = rec.Line - 1
	_, more := sc.Next()
	info.headerOnly = !more
	return sc.Err()
}

func countOutsideQuotes(b []byte, d byte) int {
	n, in := 0, false
	for _, c := range b {
		switch {
		case c == '"':
			in = !in
		case c == d && !in:
			n++
		}
	}
	return n
}

// jsonKeys returns the keys of the objects on the first lines, in the order
// first seen. Keys that appear only further down are not read (they are
// logged as unknown by nobody: exports write every key on every line).
func jsonKeys(r io.Reader, maxKeys int) ([]string, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	seen := map[string]bool{}
	var keys []string
	objects := 0
	for lines := 0; lines < jsonSampleLines; lines++ {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// An enormous line: skip the rest of it.
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			line = nil
		}
		line = bytes.TrimPrefix(bytes.TrimSpace(line), bom)
		if len(line) > 0 && line[0] == '{' {
			if ks, ok := objectKeys(line); ok {
				objects++
				for _, k := range ks {
					if !seen[k] {
						seen[k] = true
						keys = append(keys, k)
					}
					if len(keys) > maxKeys {
						return nil, badFilef("the JSON objects of the first lines have more than %d keys, the column limit (ingest.max_columns)", maxKeys)
					}
				}
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, err
		}
	}
	if objects == 0 {
		return nil, badFilef("no JSON object on the first %d lines: only JSON lines (one object per line) are read", jsonSampleLines)
	}
	if len(keys) == 0 {
		return nil, badFilef("the JSON objects of the first lines have no keys")
	}
	return keys, nil
}

// objectKeys lists the top-level keys of one JSON object, in order.
func objectKeys(line []byte) ([]string, bool) {
	dec := json.NewDecoder(bytes.NewReader(line))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		k, ok := t.(string)
		if !ok {
			return nil, false
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, false
		}
		keys = append(keys, k)
	}
	return keys, true
}
