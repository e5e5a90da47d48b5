package ingest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// The bad-input corpus: small files kept in testdata/badinput, and the big
// ones (a header of 100,000 columns, rows over the limits) generated here.

const partnersHeader = "PartnerId,PgaId,PartnerName\n"

var longJSONLine = `{"Timestamp": "2025-06-03T10:00:00Z", "SessionId": "s-21", "OfferId": "` + strings.Repeat("y", 2<<20) + `", "Action": "PageVisit"}`

// wideHeader writes a header of n columns (the first three those of partners)
// and one row.
func wideHeader(t *testing.T, dir, name string, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("PartnerId,PgaId,PartnerName")
	for i := 3; i < n; i++ {
		fmt.Fprintf(&b, ",c%d", i)
	}
	b.WriteString("\np-7,700,Wide\n")
	return writeFile(t, dir, name, b.String())
}

// badCorpus builds a landing folder with every bad file and the good ones,
// and returns it with the names of the good fixtures.
func badCorpus(t *testing.T) (string, []string) {
	t.Helper()
	good := []string{"orders_delivery1.csv", "clicks.jsonl", "usage.tsv"}
	dir := landing(t, good...)
	entries, err := os.ReadDir(filepath.Join("testdata", "badinput"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata", "badinput", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, e.Name(), string(b))
	}
	wideHeader(t, dir, "partners_wide.csv", 100000)
	// A row of 2 MiB (over the 1 MiB row limit) between good rows, in a
	// delimited file and in JSON lines.
	writeFile(t, dir, "partners_long_row.csv", partnersHeader+"p-8,800,Before\np-9,900,"+strings.Repeat("x", 2<<20)+"\np-10,1000,After\n")
	writeFile(t, dir, "clicks_long_line.jsonl",
		`{"Timestamp": "2025-06-03T10:00:00Z", "SessionId": "s-20", "OfferId": "o-1", "Action": "PageVisit"}`+"\n"+longJSONLine+"\n"+
			`{"Timestamp": "2025-06-03T10:00:00Z", "SessionId": "s-22", "OfferId": "o-1", "Action": "GetItNow"}`+"\n")
	// A value over the 256 KiB field limit, in a row under the row limit.
	writeFile(t, dir, "partners_long_value.csv", partnersHeader+"p-11,1100,"+strings.Repeat("z", 300<<10)+"\np-12,1200,Short\n")
	// A symbolic link and a folder named like a data file are skipped.
	outside := writeFile(t, t.TempDir(), "partners_outside.csv", partnersHeader+"p-13,1300,Outside\n")
	if err := os.Symlink(outside, filepath.Join(dir, "partners_link.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "partners_folder.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "partners_folder.csv"), "part-0.csv", partnersHeader+"p-14,1400,InFolder\n")
	return dir, good
}

// syncBuffer is a log destination that tests read after the run.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestBadInputCorpus: every bad file of the corpus is quarantined (moved,
// recorded with its reason and an escaped excerpt) or has its bad rows
// rejected with their lines, the run goes on, every good row loads, nothing
// unloaded is in the ledger, and each skipped entry is logged with why.
func TestBadInputCorpus(t *testing.T) {
	dir, good := badCorpus(t)

	// The good files alone, for the rows they must load.
	ref := testkit.Open(t)
	run(t, ref, Options{}, landing(t, good...))

	s := testkit.Open(t)
	var logs syncBuffer
	quarantine := filepath.Join(t.TempDir(), "quarantine")
	sum, err := New(s, slog.New(slog.NewTextHandler(&logs, nil)), Options{QuarantineDir: quarantine, Partner: testPartner}).Ingest(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}

	quarantined := map[string]string{
		"binary.csv":          "binary data, not text",
		"partners_gzip.csv":   "gzip-compressed data",
		"partners_utf16.csv":  "UTF-16 (little-endian) text with a byte-order mark",
		"partners_latin1.csv": "the header is not valid UTF-8 (byte e9 at offset 29; Windows-1252 or Latin-1?): save the file as UTF-8",
		"clicks_array.json":   "a JSON array, not JSON lines",
		"partners_wide.csv":   "the header has 100000 columns, over the limit of 1000 (ingest.max_columns)",
	}
	for name, want := range quarantined {
		t.Run("quarantined "+name, func(t *testing.T) {
			f := file(t, sum, name)
			if f.Status != StatusQuarantined || !strings.Contains(f.Err, want) {
				t.Fatalf("got %s: %q, want quarantined: %q", f.Status, f.Err, want)
			}
			if f.QuarantinedTo != filepath.Join(quarantine, name) {
				t.Errorf("moved to %q", f.QuarantinedTo)
			}
			rec := column(t, s, `SELECT error || ' | ' || excerpt FROM ingest_quarantine WHERE path LIKE '%' || ?`, string(filepath.Separator)+name)
			if len(rec) != 1 || !strings.Contains(rec[0], want) {
				t.Fatalf("ingest_quarantine: %q", rec)
			}
			orig, err := os.ReadFile(filepath.Join(quarantine, name))
			if err != nil {
				t.Fatal(err)
			}
			_, ex, _ := strings.Cut(rec[0], " | ")
			unq, err := strconv.Unquote(ex)
			if err != nil || !bytes.HasPrefix(orig, []byte(unq)) || len(unq) == 0 {
				t.Errorf("excerpt %s is not the escaped start of the file (%v)", ex, err)
			}
		})
	}

	loaded := map[string]struct {
		loaded  int64
		rejects []string
		note    string
	}{
		"partners_cr_only.csv":   {2, []string{"line 3 pga_id: required value missing [p-5,,Tailspin]"}, ""},
		"partners_long_row.csv":  {2, []string{"line 3 : row longer than the 1 MiB limit (ingest.max_row_bytes) [p-9,900," + strings.Repeat("x", longRowExcerpt-8) + "…]"}, ""},
		"clicks_long_line.jsonl": {2, []string{"line 2 : row longer than the 1 MiB limit (ingest.max_row_bytes) [" + longJSONLine[:longRowExcerpt] + "…]"}, ""},
	}
	for name, want := range loaded {
		t.Run("rows rejected "+name, func(t *testing.T) {
			f := file(t, sum, name)
			if f.Status != StatusLoaded || f.Loaded != want.loaded || f.Rejected != int64(len(want.rejects)) || f.Note != want.note {
				t.Fatalf("%+v", f)
			}
			equal(t, "rejects", rejectStrings(rejects(t, s, name)), want.rejects)
		})
	}
	t.Run("value over the field limit", func(t *testing.T) {
		f := file(t, sum, "partners_long_value.csv")
		if f.Status != StatusLoaded || f.Loaded != 1 || f.Rejected != 1 {
			t.Fatalf("%+v", f)
		}
		equal(t, "reject", column(t, s, `SELECT line || ' ' || column_name || ': ' || reason || ' [' || left(raw, 15) || ']' FROM ingest_rejects WHERE path LIKE '%partners_long_value.csv'`),
			[]string{"2 partner_name: value longer than the 256 KiB limit (ingest.max_field_bytes) [p-11,1100,zzzzz]"})
	})
	t.Run("CR-only rows keep their values", func(t *testing.T) {
		equal(t, "partners", column(t, s, `SELECT partner_id || ' ' || replace(partner_name, chr(10), '\n') FROM partners WHERE partner_id IN ('p-4', 'p-6') ORDER BY 1`),
			[]string{"p-4 Northwind", `p-6 Wide\nWorld`})
	})
	t.Run("every good row loaded", func(t *testing.T) {
		for _, table := range []string{"orders", "clicks", "usage"} {
			q := `SELECT count(*) FROM ` + table + ` WHERE _file_id IN (SELECT file_id FROM ingest_files WHERE path NOT LIKE '%long%')`
			if got, want := count(t, s, q), count(t, ref, `SELECT count(*) FROM `+table); got != want {
				t.Errorf("%s: %d rows, want %d", table, got, want)
			}
		}
		equal(t, "partners loaded", column(t, s, `SELECT partner_id FROM partners ORDER BY partner_id`),
			[]string{"p-10", "p-12", "p-4", "p-6", "p-8"})
	})
	t.Run("the ledger holds only what was read", func(t *testing.T) {
		for _, f := range sum.Files {
			n := count(t, s, `SELECT count(*) FROM ingest_files WHERE path = ?`, absPath(f.Path))
			if want := int64(map[bool]int{true: 1}[f.Status == StatusLoaded]); n != want {
				t.Errorf("%s (%s): %d ledger rows", f.Path, f.Status, n)
			}
		}
		equal(t, "ledger counts match the tables", column(t, s, `SELECT count(*) FROM ingest_files
			WHERE rows_rejected <> (SELECT count(*) FROM ingest_rejects r WHERE r.file_id = ingest_files.file_id)`), []string{"0"})
	})
	t.Run("skipped entries are logged with why", func(t *testing.T) {
		out := logs.String()
		for _, want := range []string{
			`msg="skipping a symbolic link: links in a folder are not followed (name its target on the command line to read it)" path=` + filepath.Join(dir, "partners_link.csv"),
			`msg="skipping a folder named like a data file: nothing in it is read (move its files out, or rename it)" path=` + filepath.Join(dir, "partners_folder.csv"),
			`msg="reading a file whose lines end with a bare CR (carriage return)"`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("log lacks %s", want)
			}
		}
		for _, f := range sum.Files {
			if strings.Contains(f.Path, "partners_link") || strings.Contains(f.Path, "partners_folder") {
				t.Errorf("read %s", f.Path)
			}
		}
	})
	if t.Failed() {
		var b bytes.Buffer
		_ = sum.Print(&b)
		t.Log(b.String())
	}
}

// TestLimitsAreConfigurable: smaller limits quarantine a file over the file
// size and reject a row over the row limit; a header over the row limit
// quarantines its file.
func TestLimitsAreConfigurable(t *testing.T) {
	s := testkit.Open(t)
	dir := t.TempDir()
	writeFile(t, dir, "big.csv", partnersHeader+strings.Repeat("p-1,100,Contoso\n", 100))
	writeFile(t, dir, "rows.csv", partnersHeader+"p-2,200,"+strings.Repeat("a", 300)+"\np-3,300,Short\n")
	writeFile(t, dir, "header.csv", "PartnerId,PgaId,PartnerName,"+strings.Repeat("h", 300)+"\np-4,400,X,Y\n")
	lim := Limits{MaxColumns: 3, MaxFieldBytes: 100, MaxRowBytes: 200, MaxFileBytes: 1000}
	sum := run(t, s, Options{Limits: lim}, dir)
	if f := file(t, sum, "big.csv"); f.Status != StatusQuarantined || f.Err != "the file is 1628 bytes, over the 1000 bytes limit (ingest.max_file_bytes)" {
		t.Errorf("big: %+v", f)
	}
	if f := file(t, sum, "header.csv"); f.Status != StatusQuarantined || f.Err != "the header (line 1) is longer than the 200 bytes row limit (ingest.max_row_bytes)" {
		t.Errorf("header: %+v", f)
	}
	f := file(t, sum, "rows.csv")
	if f.Status != StatusLoaded || f.Loaded != 1 || f.Rejected != 1 {
		t.Fatalf("rows: %+v", f)
	}
	equal(t, "rejects", rejectStrings(rejects(t, s, "rows.csv")), []string{
		"line 2 : row longer than the 200 bytes limit (ingest.max_row_bytes) [p-2,200," + strings.Repeat("a", longRowExcerpt-8) + "…]"})

	s = testkit.Open(t)
	wide := wideHeader(t, t.TempDir(), "wide.csv", 4)
	if f := file(t, run(t, s, Options{Limits: lim}, wide), "wide.csv"); f.Err != "the header has 4 columns, over the limit of 3 (ingest.max_columns)" {
		t.Errorf("wide: %+v", f)
	}
}

// TestNoteSaysWhatHappened: a file whose every row is rejected is not
// summarised as header only.
func TestNoteSaysWhatHappened(t *testing.T) {
	s := testkit.Open(t)
	dir := t.TempDir()
	writeFile(t, dir, "all_bad.csv", partnersHeader+"p-1,,A\np-2,,B\n")
	writeFile(t, dir, "header.csv", partnersHeader)
	sum := run(t, s, Options{}, dir)
	if f := file(t, sum, "all_bad.csv"); f.Note != "every row rejected" || f.Rejected != 2 {
		t.Errorf("%+v", f)
	}
	if f := file(t, sum, "header.csv"); f.Note != "no rows (header only)" {
		t.Errorf("%+v", f)
	}
}

// TestBadInputMemoryIsBounded: a row of 70 MB and a header of 100,000
// columns cost ingest a bounded amount of memory: the Go heap stays far below
// the size of the row (sampled while the run lasts), and so does the
// process's peak resident memory (DuckDB's included) where Linux can reset it.
func TestBadInputMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 70 MB file")
	}
	dir := t.TempDir()
	wideHeader(t, dir, "partners_wide.csv", 100000)
	p := filepath.Join(dir, "partners_huge_row.csv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(partnersHeader + "p-1,100,Before\np-2,200,")
	for i := 0; i < 70; i++ {
		w.WriteString(strings.Repeat("x", 1<<20))
	}
	w.WriteString("\np-3,300,After\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	s := testkit.Open(t)

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	hwmReset := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak {
				peak = m.HeapAlloc
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	sum := run(t, s, Options{}, dir)
	close(stop)
	<-done

	if f := file(t, sum, "partners_wide.csv"); f.Status != StatusQuarantined {
		t.Errorf("wide: %+v", f)
	}
	if f := file(t, sum, "partners_huge_row.csv"); f.Loaded != 2 || f.Rejected != 1 {
		t.Errorf("huge row: %+v", f)
	}
	equal(t, "reject", column(t, s, `SELECT line || ': ' || reason FROM ingest_rejects`), []string{"3: row longer than the 1 MiB limit (ingest.max_row_bytes)"})
	const heapBound = 32 << 20
	if grew := int64(peak) - int64(base.HeapAlloc); grew > heapBound {
		t.Errorf("Go heap grew by %d MiB, over %d MiB", grew>>20, heapBound>>20)
	}
	t.Logf("Go heap: %d MiB before, peak %d MiB", base.HeapAlloc>>20, peak>>20)
	if hwmReset {
		hwm := vmHWM(t)
		t.Logf("peak resident memory: %d MiB", hwm>>20)
		if hwm > 1<<30 {
			t.Errorf("peak resident memory %d MiB, over 1 GiB", hwm>>20)
		}
	}
}

// vmHWM is the process's peak resident memory, from /proc/self/status.
func vmHWM(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}
