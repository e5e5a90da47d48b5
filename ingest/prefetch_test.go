package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// Each file of a folder is hashed while the one before it loads: the ledger
// must still hold each file's own hash, and a second run skip every file.
func TestLedgerHashesOfAFolderHashedAhead(t *testing.T) {
	dir := landing(t, "orders_delivery1.csv", "orders_delivery2_corrected.csv", "usage.tsv", "clicks.jsonl", "fx_rates.csv")
	s := testkit.Open(t)
	sum := run(t, s, Options{}, dir)
	if n := sum.Count(StatusLoaded); n != 5 {
		t.Fatalf("loaded %d files, want 5: %+v", n, sum.Files)
	}
	var want []string
	for _, name := range []string{"clicks.jsonl", "fx_rates.csv", "orders_delivery1.csv", "orders_delivery2_corrected.csv", "usage.tsv"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(b)
		want = append(want, name+" "+hex.EncodeToString(h[:]))
	}
	got := testkit.Rows(t, s, `SELECT regexp_extract(path, '[^/]+$') || ' ' || sha256 FROM ingest_files ORDER BY 1`)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ledger:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	again := run(t, s, Options{}, dir)
	if n := again.Count(StatusSkipped); n != 5 {
		t.Errorf("second run skipped %d files, want 5: %+v", n, again.Files)
	}
}

// A hash made ahead is used only for the file as it was: one rewritten since
// is read again.
func TestHashAheadOfAFileChangedSince(t *testing.T) {
	lim := DefaultLimits()
	for _, tc := range []struct {
		name    string
		rewrite string
		modTime time.Duration // the rewritten file's time, from when the hash started
		want    string        // the content whose hash result gives
	}{
		{"unchanged", "", 0, "a,b\n1,2\n"},
		{"rewritten after, same size", "a,b\n3,4\n", time.Second, "a,b\n3,4\n"},
		{"rewritten after, other size", "a,b\n3,4\n5,6\n", time.Second, "a,b\n3,4\n5,6\n"},
		// Another file renamed over it (rsync, an atomic writer), of the
		// same size and keeping an older time.
		{"renamed over, same size and time from before", "a,b\n3,4\n", -time.Hour, "a,b\n3,4\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f.csv")
			if err := os.WriteFile(path, []byte("a,b\n1,2\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			old := time.Now().Add(-time.Hour)
			if err := os.Chtimes(path, old, old); err != nil {
				t.Fatal(err)
			}
			h := startHashing(foundFile{path: path, size: 8}, lim)
			h.wait()
			if tc.rewrite != "" {
				to := path
				if tc.modTime < 0 {
					to = path + ".new"
				}
				if err := os.WriteFile(to, []byte(tc.rewrite), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(to, path); err != nil {
					t.Fatal(err)
				}
				at := h.start.Add(tc.modTime)
				if err := os.Chtimes(path, at, at); err != nil {
					t.Fatal(err)
				}
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			sum, stats, _, err := h.result(path, lim.MaxRowBytes, st)
			if err != nil {
				t.Fatal(err)
			}
			want := sha256.Sum256([]byte(tc.want))
			if sum != hex.EncodeToString(want[:]) {
				t.Errorf("hash of %q, want of %q", sum, tc.want)
			}
			if lines := int64(strings.Count(tc.want, "\n")); stats.lines != lines {
				t.Errorf("%d lines, want %d", stats.lines, lines)
			}
		})
	}
	if startHashing(foundFile{path: "x", size: 0}, lim) != nil || startHashing(foundFile{path: "x", size: lim.MaxFileBytes + 1}, lim) != nil ||
		startHashing(foundFile{path: "x", size: 8, seenAs: "/landing/x"}, lim) != nil {
		t.Error("hashing started for a file that will not be read")
	}
}
