package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
)

type scanned struct {
	Line  int
	Seq   int64
	Start int64
	End   int64
	Raw   string
}

func scanAll(data []byte, delim byte) ([]scanned, error) {
	sc := newRecordScanner(bytes.NewReader(data), delim)
	var out []scanned
	for {
		r, ok := sc.Next()
		if !ok {
			return out, sc.Err()
		}
		out = append(out, scanned{r.Line, r.Seq, r.Start, r.End, string(r.Raw)})
	}
}

func TestRecordScanner(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []scanned
	}{
		{"plain", "a,b\n1,2\n", []scanned{{1, 1, 0, 4, "a,b"}, {2, 2, 4, 8, "1,2"}}},
		{"no final newline", "a,b\n1,2", []scanned{{1, 1, 0, 4, "a,b"}, {2, 2, 4, 7, "1,2"}}},
		{"crlf", "a,b\r\n1,2\r\n", []scanned{{1, 1, 0, 5, "a,b"}, {2, 2, 5, 10, "1,2"}}},
		{"blank lines count for DuckDB's line, not as records", "\na,b\n\r\n\n1,2\n",
			[]scanned{{2, 2, 1, 5, "a,b"}, {5, 5, 8, 12, "1,2"}}},
		{"quoted newline", "a,b\n\"x\ny\",2\n3,4\n", []scanned{{1, 1, 0, 4, "a,b"}, {2, 2, 4, 12, "\"x\ny\",2"}, {4, 3, 12, 16, "3,4"}}},
		{"quoted blank line", "a\n\"x\n\ny\"\n", []scanned{{1, 1, 0, 2, "a"}, {2, 2, 2, 9, "\"x\n\ny\""}}},
		{"doubled quotes", "\"a\"\"\",b\n\"\"\"\n\",c\n", []scanned{{1, 1, 0, 8, `"a""",b`}, {2, 2, 8, 16, "\"\"\"\n\",c"}}},
		{"bare quote is data", "a,x\"y\n1,2\n", []scanned{{1, 1, 0, 6, `a,x"y`}, {2, 2, 6, 10, "1,2"}}},
		{"text after a closing quote", "\"ab\"c,d\n1,2\n", []scanned{{1, 1, 0, 8, `"ab"c,d`}, {2, 2, 8, 12, "1,2"}}},
		{"unterminated quote takes the rest", "a,b\n\"x,1\n2,3\n", []scanned{{1, 1, 0, 4, "a,b"}, {2, 2, 4, 13, "\"x,1\n2,3"}}},
		{"whitespace line is a record", "a\n  \n", []scanned{{1, 1, 0, 2, "a"}, {2, 2, 2, 5, "  "}}},
		{"empty input", "", nil},
		{"only blank lines", "\n\r\n\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := scanAll([]byte(tc.in), ',')
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("record %d: got %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestRecordScannerLongLinesAndCap(t *testing.T) {
	long := strings.Repeat("x", 3<<20) // longer than the reader's buffer and the raw cap
	got, err := scanAll([]byte("a\n"+long+"\nb\n"), ',')
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[2].Raw != "b" || got[2].Line != 3 || got[1].End != int64(2+len(long)+1) {
		t.Fatalf("records: %d, last %+v", len(got), got[len(got)-1])
	}
	if len(got[1].Raw) != maxRawBytes {
		t.Errorf("raw of the long line is %d bytes, want the %d cap", len(got[1].Raw), maxRawBytes)
	}
}

// FuzzRecordScanner: the scanner never panics, always moves forward, and on
// input encoding/csv accepts it finds the same records: same count, same
// starting lines, same end offsets.
func FuzzRecordScanner(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "a,b\r\n\"x\r\ny\",2\r\n", "\n\na\n\n", "\"a\"\"b\",c\n", "a\tb\n1\t\"2\n3\"\n",
		"\"unterminated\n", "x\"y,z\n", "\"ab\"c\n", "\r", "a\r\n\r\n", "\ufeffa,b\n1,2",
	} {
		f.Add([]byte(s), false)
	}
	f.Add([]byte("a\tb\n\"1\t2\"\t3\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, tab bool) {
		delim := byte(',')
		if tab {
			delim = '\t'
		}
		got, err := scanAll(data, delim)
		if err != nil {
			t.Fatal(err)
		}
		var last int64
		for _, r := range got {
			if r.Start < last || r.End <= r.Start || r.End > int64(len(data)) {
				t.Fatalf("record out of place: %+v after %d (input %d bytes)", r, last, len(data))
			}
			last = r.End
		}

		cr := csv.NewReader(bytes.NewReader(data))
		cr.Comma = rune(delim)
		cr.FieldsPerRecord = -1
		type boundary struct {
			line int
			end  int64
		}
		var want []boundary
		for {
			_, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return // not valid CSV: only the invariants above apply
			}
			line, _ := cr.FieldPos(0)
			want = append(want, boundary{line, cr.InputOffset()})
		}
		if len(got) != len(want) {
			t.Fatalf("%d records, encoding/csv finds %d: %q", len(got), len(want), data)
		}
		for i, w := range want {
			if got[i].Line != w.line || got[i].End != w.end {
				t.Fatalf("record %d: line %d end %d, encoding/csv: line %d end %d; input %q", i, got[i].Line, got[i].End, w.line, w.end, data)
			}
		}
	})
}
