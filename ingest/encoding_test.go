package ingest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckEncoding(t *testing.T) {
	tests := []struct {
		name, head, want string
	}{
		{"utf-8 text", "PartnerId,PgaId\np-1,100\n", ""},
		{"utf-8 with BOM", "\xEF\xBB\xBFPartnerId\n", ""},
		{"gzip", "\x1F\x8B\x08\x00rest", "gzip-compressed data"},
		{"zip / xlsx", "PK\x03\x04rest", "a ZIP archive"},
		{"xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", "an old Excel workbook"},
		{"utf-16 le", "\xFF\xFEP\x00a\x00", "UTF-16 (little-endian) text with a byte-order mark"},
		{"utf-16 be", "\xFE\xFF\x00P\x00a", "UTF-16 (big-endian) text with a byte-order mark"},
		{"utf-32 le", "\xFF\xFE\x00\x00P\x00\x00\x00", "UTF-32 (little-endian)"},
		{"utf-32 be", "\x00\x00\xFE\xFF\x00\x00\x00P", "UTF-32 (big-endian)"},
		{"utf-16 without BOM", "P\x00a\x00r\x00t\x00n\x00e\x00r\x00", "UTF-16 text without a byte-order mark"},
		{"NUL bytes", "abc\x00\x01\x02def", "binary data, not text (a 00 byte at offset 3)"},
		{"control bytes", strings.Repeat("\x01\x02\x03x", 10), "binary data, not text (30 control bytes in the first 40)"},
		{"a few control bytes in text", "a,b\n" + strings.Repeat("x", 100) + "\x1b\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkEncoding([]byte(tc.head))
			var bad *badFile
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !errors.As(err, &bad) || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSafeTextAndUTF8(t *testing.T) {
	if got := safeText("ok: é"); got != "ok: é" {
		t.Errorf("%q", got)
	}
	if got := safeText("bad \xe9 and \x1b[31m"); got != `bad \xe9 and \x1b[31m` {
		t.Errorf("%q", got)
	}
	err := checkUTF8("the header", []byte("Name,R\xe9gion"))
	if err == nil || err.Error() != "the header is not valid UTF-8 (byte e9 at offset 6; Windows-1252 or Latin-1?): save the file as UTF-8" {
		t.Errorf("%v", err)
	}
	if err := checkUTF8("the header", []byte("Name,Région")); err != nil {
		t.Error(err)
	}
}

func TestCROnly(t *testing.T) {
	for in, want := range map[string]bool{
		"a,b\rc,d\r": true, "a,b\r": true, "a,b\r\nc,d\r\n": false, "a,b\nc\rd\n": false, "a,b": false, "\r\n": false,
		"\"x\ry\",b\n1,2\n": false, "a,b\r\"x\ny\",2\r3,4\r": true, "a\rb\nc\n": false,
	} {
		if got := crOnly([]byte(in)); got != want {
			t.Errorf("crOnly(%q) = %v", in, got)
		}
	}
}

// TestTranslateCR: bare CRs become LFs byte for byte, CR LF stays, also
// when a CR ends a read block.
func TestTranslateCR(t *testing.T) {
	block := 1 << 20
	tests := map[string]string{
		"a\rb\rc":                                   "a\nb\nc",
		"a\r\nb\r":                                  "a\r\nb\n",
		"\r\r\n\r":                                  "\n\r\n\n",
		strings.Repeat("x", block-1) + "\rb":        strings.Repeat("x", block-1) + "\nb",
		strings.Repeat("x", block-1) + "\r\nb":      strings.Repeat("x", block-1) + "\r\nb",
		strings.Repeat("x", block-1) + "\r":         strings.Repeat("x", block-1) + "\n",
		strings.Repeat("x", block-2) + "\r\r\nb\rc": strings.Repeat("x", block-2) + "\n\r\nb\nc",
	}
	dir := t.TempDir()
	i := 0
	for in, want := range tests {
		i++
		src := writeFile(t, dir, "in"+string(rune('a'+i)), in)
		dst := filepath.Join(dir, "out"+string(rune('a'+i)))
		if err := translateCR(src, dst); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, []byte(want)) {
			t.Errorf("%q…: got %q…", in[max(0, len(in)-8):], got[max(0, len(got)-8):])
		}
	}
}

func TestCheckRecordCount(t *testing.T) {
	csvStats := lineStats{lines: 5, empty: 1, blank: 1}
	tests := []struct {
		name    string
		format  Format
		stats   lineStats
		records int64
		ok      bool
	}{
		{"csv: every line a record", FormatCSV, csvStats, 3, true},
		{"csv: a record missing", FormatCSV, csvStats, 2, false},
		{"csv with quotes: fewer records", FormatCSV, lineStats{lines: 5, empty: 1, quotes: true}, 2, true},
		{"csv with quotes: none at all", FormatCSV, lineStats{lines: 5, empty: 1, quotes: true}, 0, false},
		{"csv with quotes: more than lines", FormatCSV, lineStats{lines: 5, empty: 1, quotes: true}, 4, false},
		{"header only", FormatCSV, lineStats{lines: 1}, 0, true},
		{"jsonl: blank lines are none", FormatJSONL, lineStats{lines: 6, empty: 1, blank: 2}, 4, true},
		{"jsonl: a line missing", FormatJSONL, lineStats{lines: 6, empty: 1, blank: 2}, 3, false},
		{"parquet: not checked", FormatParquet, lineStats{lines: 6}, 0, true},
		{"one column: empty lines are records", FormatCSV, lineStats{lines: 4, empty: 1}, 3, true},
		{"one column: more records than lines", FormatCSV, lineStats{lines: 4, empty: 1}, 4, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := tc.stats
			header := []string{"a", "b"}
			if strings.HasPrefix(tc.name, "one column") {
				header = header[:1]
			}
			err := checkRecordCount(&fileInfo{format: tc.format, stats: &st, header: header}, tc.records)
			if (err == nil) != tc.ok {
				t.Fatalf("got %v", err)
			}
		})
	}
}

// FuzzLineCounter: the counts agree with splitting the input at LF.
func FuzzLineCounter(f *testing.F) {
	for _, s := range []string{"a\nb\n", "\n\r\n \t\n", "x", "", "\"a\nb\"\n", "aaaa\nbb\r\n"} {
		f.Add([]byte(s), 3, 2)
	}
	f.Fuzz(func(t *testing.T, data []byte, limit int, split int) {
		if limit < 0 || split < 0 {
			return
		}
		lc := newLineCounter(int64(limit))
		if split > len(data) {
			split = len(data)
		}
		lc.Write(data[:split])
		lc.Write(data[split:])
		got := lc.stats()
		var want lineStats
		lines := bytes.Split(data, []byte("\n"))
		if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1]
		}
		for _, l := range lines {
			want.lines++
			if len(l) == 0 || string(l) == "\r" {
				want.empty++
			}
			if len(bytes.Trim(l, " \t\r")) == 0 {
				want.blank++
			}
			want.longest = max(want.longest, int64(len(l)))
			if int64(len(l)) > int64(limit) {
				want.overLimit++
			}
		}
		want.quotes = bytes.IndexByte(data, '"') >= 0
		if got != want {
			t.Fatalf("%q: got %+v, want %+v", data, got, want)
		}
	})
}

// FuzzSniff: sniffing never panics and what it accepts is within the
// limits: a header no wider than the column limit, of valid UTF-8.
func FuzzSniff(f *testing.F) {
	for _, s := range []string{
		"PartnerId,PgaId\np-1,1\n", "a;b;c\n1;2;3\n", "\xff\xfeP\x00", "\x1f\x8b\x08", "[{\"a\":1}]", "{\"a\":1}\n{\"b\":2}\n",
		"a,b\rc,d\r", "\"a\nb\",c\n1,2\n", "a,b,c,d,e,f\n", "R\xe9gion,x\n", "{}\n",
	} {
		f.Add([]byte(s), ".csv")
		f.Add([]byte(s), ".txt")
	}
	f.Add([]byte("{\"a\":1}\n"), ".jsonl")
	lim := Limits{MaxColumns: 4, MaxRowBytes: 64}.withDefaults()
	f.Fuzz(func(t *testing.T, data []byte, ext string) {
		switch ext {
		case ".csv", ".tsv", ".txt", ".json", ".jsonl":
		default:
			return
		}
		p := filepath.Join(t.TempDir(), "f"+ext)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		info, err := sniff(p, lim)
		if err != nil || info.crOnly || info.format == FormatParquet {
			return
		}
		if len(info.header) > lim.MaxColumns {
			t.Fatalf("%q: %d columns accepted", data, len(info.header))
		}
		for _, h := range info.header {
			if !utf8Valid(h) {
				t.Fatalf("%q: header %q is not UTF-8", data, h)
			}
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }
