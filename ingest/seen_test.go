package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// notRead is the debug line of a file skipped on its stat data alone.
const notRead = "not read: path, size and modification time unchanged"

// runLogged is run with the debug log kept: it tells which files were
// skipped unread (notRead) and which were hashed ("hashed").
func runLogged(t *testing.T, s *duckstore.Store, paths ...string) (Summary, string) {
	t.Helper()
	var log bytes.Buffer
	l := New(s, slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Options{Partner: testPartner, QuarantineDir: filepath.Join(t.TempDir(), "quarantine")})
	sum, err := l.Ingest(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	return sum, log.String()
}

// logged counts the debug lines with msg about the file named base.
func logged(log, msg, base string) int {
	n := 0
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, msg) && strings.Contains(line, string(filepath.Separator)+base) {
			n++
		}
	}
	return n
}

// settle gives a file a modification time long before the run that hashes
// it, as a delivery of an earlier day has (ingest records only such files).
func settle(t *testing.T, path string, ago time.Duration) time.Time {
	t.Helper()
	at := time.Now().Add(-ago).Truncate(time.Second).Add(123456789 * time.Nanosecond)
	if err := os.Chtimes(path, at, at); err != nil {
		t.Fatal(err)
	}
	return at
}

// rewrite replaces a file's bytes, then sets its modification time.
func rewrite(t *testing.T, path, content string, mod time.Time) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}
}

func sha(content string) string {
	h := sha256.Sum256([]byte(content))
	return hex.EncodeToString(h[:])
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func ordersNow(t *testing.T, s *duckstore.Store) []string {
	t.Helper()
	return column(t, s, `SELECT concat_ws(' | ', asset_id, order_status, estimated_charges) FROM orders ORDER BY asset_id`)
}

// A file whose path, size and modification time are unchanged since ingest
// hashed it is skipped without being read: not hashed, not even in the
// background while the file before it loads. The proof is a file whose bytes
// were replaced by others of the same size and that got its old time back:
// it is still skipped, and its new rows are not loaded. That is the
// documented trade-off of trusting the file system (0160_ingest_seen.sql).
func TestUnchangedFileIsSkippedUnread(t *testing.T) {
	delivery1 := fixture(t, "orders_delivery1.csv")
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, path string, mod time.Time)
		root   bool // the change means nothing to root
	}{
		{"untouched", func(*testing.T, string, time.Time) {}, false},
		{"other bytes of the same size, old time put back", func(t *testing.T, path string, mod time.Time) {
			other := strings.Replace(delivery1, "100.00", "900.00", 1)
			if len(other) != len(delivery1) || other == delivery1 {
				t.Fatal("the rewrite must keep the size and change the bytes")
			}
			rewrite(t, path, other, mod)
		}, false},
		{"unreadable", func(t *testing.T, path string, mod time.Time) {
			if err := os.Chmod(path, 0); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.Chmod(path, 0o644) })
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.root && os.Geteuid() == 0 {
				t.Skip("root reads a file whatever its mode")
			}
			s := testkit.Open(t)
			dir := landing(t, "orders_delivery1.csv", "fx_rates.csv")
			path := filepath.Join(dir, "orders_delivery1.csv")
			mod := settle(t, path, time.Hour)
			settle(t, filepath.Join(dir, "fx_rates.csv"), time.Hour)
			first, log := runLogged(t, s, dir)
			if n := first.Count(StatusLoaded); n != 2 {
				t.Fatalf("first run loaded %d files, want 2: %+v", n, first.Files)
			}
			if logged(log, notRead, "orders_delivery1.csv") != 0 {
				t.Fatal("a new file was skipped unread")
			}
			equal(t, "recorded", column(t, s, `SELECT size_bytes || ' ' || modified_ns || ' ' || (sha256 = ?) FROM ingest_seen WHERE path = ?`,
				sha(delivery1), path), []string{"188 " + itoa(mod.UnixNano()) + " true"})
			before := ordersNow(t, s)

			tc.change(t, path, mod)
			// fx_rates comes first in the folder: orders_delivery1.csv is the
			// file that would be hashed ahead while it loads.
			second, log := runLogged(t, s, dir)
			f := file(t, second, "orders_delivery1.csv")
			if f.Status != StatusSkipped || f.Note != "already ingested as "+path {
				t.Fatalf("second run: %+v", f)
			}
			if logged(log, notRead, "orders_delivery1.csv") != 1 || logged(log, "msg=hashed", "orders_delivery1.csv") != 0 {
				t.Errorf("orders_delivery1.csv was read; log:\n%s", log)
			}
			equal(t, "orders", ordersNow(t, s), before)
			if n := count(t, s, `SELECT count(*) FROM ingest_files`); n != 2 {
				t.Errorf("%d ledger rows, want 2", n)
			}
		})
	}
}

// A file whose stat data changed is hashed, and loaded when its bytes are
// new (a corrected re-delivery under the same name); the new stat data are
// recorded, so the run after skips it unread. A file whose ledger row was
// removed is hashed and loaded again, its stat data unchanged or not.
func TestChangedOrForgottenFileIsReadAgain(t *testing.T) {
	delivery1, corrected := fixture(t, "orders_delivery1.csv"), fixture(t, "orders_delivery2_corrected.csv")
	sameSize := strings.Replace(delivery1, "100.00", "900.00", 1)
	for _, tc := range []struct {
		name    string
		change  func(t *testing.T, s *duckstore.Store, path string, mod time.Time) string // the file's bytes after
		loaded  int64
		replace int64
		want    []string // orders after
	}{
		{"new bytes of another size", func(t *testing.T, _ *duckstore.Store, path string, mod time.Time) string {
			rewrite(t, path, corrected, mod)
			return corrected
		}, 3, 2, []string{"A-1 | Active | 100.000000", "A-2 | Active | 250.000000", "A-3 | Canceled | 300.000000", "A-4 | Active | 400.000000"}},
		{"new bytes of the same size, new time", func(t *testing.T, _ *duckstore.Store, path string, mod time.Time) string {
			rewrite(t, path, sameSize, mod.Add(time.Minute))
			return sameSize
		}, 3, 3, []string{"A-1 | Active | 900.000000", "A-2 | Active | 200.000000", "A-3 | Active | 300.000000"}},
		{"ledger row removed", func(t *testing.T, s *duckstore.Store, _ string, _ time.Time) string {
			testkit.Exec(t, s, `DELETE FROM orders`)
			testkit.Exec(t, s, `DELETE FROM ingest_files`)
			return delivery1
		}, 3, 0, []string{"A-1 | Active | 100.000000", "A-2 | Active | 200.000000", "A-3 | Active | 300.000000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := testkit.Open(t)
			dir := landing(t, "orders_delivery1.csv")
			path := filepath.Join(dir, "orders_delivery1.csv")
			mod := settle(t, path, time.Hour)
			run(t, s, Options{}, dir)

			content := tc.change(t, s, path, mod)
			second, log := runLogged(t, s, dir)
			f := file(t, second, "orders_delivery1.csv")
			if f.Status != StatusLoaded || f.Loaded != tc.loaded || f.Replaced != tc.replace {
				t.Fatalf("second run: %+v", f)
			}
			if logged(log, notRead, "orders_delivery1.csv") != 0 || logged(log, "msg=hashed", "orders_delivery1.csv") != 1 {
				t.Errorf("orders_delivery1.csv was not hashed; log:\n%s", log)
			}
			equal(t, "orders", ordersNow(t, s), tc.want)
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "recorded", column(t, s, `SELECT size_bytes || ' ' || modified_ns || ' ' || (sha256 = ?) FROM ingest_seen`, sha(content)),
				[]string{itoa(st.Size()) + " " + itoa(st.ModTime().UnixNano()) + " true"})

			third, log := runLogged(t, s, dir)
			if f := file(t, third, "orders_delivery1.csv"); f.Status != StatusSkipped || logged(log, notRead, "orders_delivery1.csv") != 1 {
				t.Errorf("third run: %+v; log:\n%s", f, log)
			}
		})
	}
}

// A file found unchanged when the run began is looked at once more when its
// turn comes: one rewritten meanwhile (here while the file before it loads)
// is hashed and loaded.
func TestFileChangedDuringTheRunIsRead(t *testing.T) {
	s := testkit.Open(t)
	dir := landing(t, "fx_rates.csv", "orders_delivery1.csv")
	path := filepath.Join(dir, "orders_delivery1.csv")
	mod := settle(t, path, time.Hour)
	run(t, s, Options{}, path)

	var log bytes.Buffer
	l := New(s, slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Options{Partner: testPartner, QuarantineDir: filepath.Join(t.TempDir(), "quarantine")})
	rewritten := false
	l.afterStep = func(step string) error {
		if step == "ledger" && !rewritten { // fx_rates.csv, loaded first
			rewritten = true
			rewrite(t, path, fixture(t, "orders_delivery2_corrected.csv"), mod.Add(time.Minute))
		}
		return nil
	}
	sum, err := l.Ingest(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if f := file(t, sum, "fx_rates.csv"); f.Status != StatusLoaded || !rewritten {
		t.Fatalf("fx_rates.csv: %+v (rewritten: %v)", f, rewritten)
	}
	if f := file(t, sum, "orders_delivery1.csv"); f.Status != StatusLoaded || f.Replaced != 2 {
		t.Fatalf("orders_delivery1.csv, rewritten during the run: %+v\n%s", f, log.String())
	}
	if logged(log.String(), notRead, "orders_delivery1.csv") != 0 {
		t.Errorf("skipped unread:\n%s", log.String())
	}
}

// The same bytes under a new name are skipped by their hash, as before
// ingest_seen; the new name is then recorded, and the run after skips it
// unread, still naming the file the ledger has.
func TestCopyUnderANewNameIsRecordedAfterItsHashHit(t *testing.T) {
	s := testkit.Open(t)
	dir := landing(t, "orders_delivery1.csv")
	orig := filepath.Join(dir, "orders_delivery1.csv")
	settle(t, orig, time.Hour)
	run(t, s, Options{}, dir)

	cp := writeFile(t, dir, "orders_copy.csv", fixture(t, "orders_delivery1.csv"))
	settle(t, cp, time.Hour)
	for i, want := range []struct{ hashed, unread int }{{1, 0}, {0, 1}} {
		sum, log := runLogged(t, s, dir)
		f := file(t, sum, "orders_copy.csv")
		if f.Status != StatusSkipped || f.Note != "already ingested as "+orig {
			t.Fatalf("run %d: %+v", i+2, f)
		}
		if logged(log, "msg=hashed", "orders_copy.csv") != want.hashed || logged(log, notRead, "orders_copy.csv") != want.unread {
			t.Errorf("run %d: want %d hashed, %d unread; log:\n%s", i+2, want.hashed, want.unread, log)
		}
		equal(t, "recorded", column(t, s, `SELECT regexp_extract(path, '[^/]+$') || ' ' || (sha256 = ?) FROM ingest_seen ORDER BY path`,
			sha(fixture(t, "orders_delivery1.csv"))), []string{"orders_copy.csv true", "orders_delivery1.csv true"})
		if n := count(t, s, `SELECT count(*) FROM ingest_files`); n != 1 {
			t.Errorf("%d ledger rows, want 1", n)
		}
	}
}

// A file modified within settleTime of its hash is loaded but not recorded
// (the file system's clock may not have ticked since: a second write could
// keep its time). The next run hashes it again, and records it once its time
// lies well before that hash.
func TestAFreshFileIsRecordedOnceSettled(t *testing.T) {
	s := testkit.Open(t)
	dir := landing(t, "orders_delivery1.csv")
	path := filepath.Join(dir, "orders_delivery1.csv")
	for i, step := range []struct {
		ago            time.Duration // the file's time before the run
		status         Status
		hashed, unread int
		recorded       int64
	}{
		{0, StatusLoaded, 1, 0, 0},
		{0, StatusSkipped, 1, 0, 0},
		{time.Hour, StatusSkipped, 1, 0, 1},
		{time.Hour, StatusSkipped, 0, 1, 1},
	} {
		if step.ago > 0 && i == 2 {
			settle(t, path, step.ago)
		}
		sum, log := runLogged(t, s, dir)
		if f := file(t, sum, "orders_delivery1.csv"); f.Status != step.status {
			t.Fatalf("run %d: %+v", i+1, f)
		}
		if logged(log, "msg=hashed", "orders_delivery1.csv") != step.hashed || logged(log, notRead, "orders_delivery1.csv") != step.unread {
			t.Errorf("run %d: want %d hashed, %d unread; log:\n%s", i+1, step.hashed, step.unread, log)
		}
		if n := count(t, s, `SELECT count(*) FROM ingest_seen`); n != step.recorded {
			t.Errorf("run %d: %d files recorded, want %d", i+1, n, step.recorded)
		}
	}
}

// A file quarantined is not recorded: once fixed (same name, new bytes) it
// is read and loaded.
func TestQuarantinedFileIsNotRecorded(t *testing.T) {
	s := testkit.Open(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "orders.csv", "\x00\x01binary, not text\n")
	settle(t, path, time.Hour)
	first := run(t, s, Options{}, path)
	if f := file(t, first, "orders.csv"); f.Status != StatusQuarantined {
		t.Fatalf("first run: %+v", f)
	}
	if n := count(t, s, `SELECT count(*) FROM ingest_seen`); n != 0 {
		t.Fatalf("%d files recorded after a quarantine, want 0", n)
	}
	// The file was named from outside the landing folder: quarantine copied
	// it and left it. A fixed delivery is written over it.
	writeFile(t, dir, "orders.csv", fixture(t, "orders_delivery1.csv"))
	settle(t, path, time.Hour)
	if f := file(t, run(t, s, Options{}, path), "orders.csv"); f.Status != StatusLoaded || f.Loaded != 3 {
		t.Fatalf("after the fix: %+v", f)
	}
}

// A database filled before migration 0160 (ingest_seen dropped, its version
// unrecorded) upgrades in place: the ledger and the rows stay. The first run
// after skips every file by its hash, as before, and records it; the second
// skips them all unread.
func TestIngestAfterUpgradeTo0160(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	open := func() *duckstore.Store {
		s, err := duckstore.Open(ctx, duckstore.Config{Path: path, Threads: 1, MemoryLimit: "512MB"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	names := []string{"orders_delivery1.csv", "usage.tsv", "clicks.jsonl", "fx_rates.csv"}
	dir := landing(t, names...)
	for _, n := range names {
		settle(t, filepath.Join(dir, n), time.Hour)
	}
	s := open()
	run(t, s, Options{}, dir)
	testkit.Exec(t, s, `DROP TABLE ingest_seen`)
	testkit.Exec(t, s, `DELETE FROM schema_migrations WHERE version = 160`)
	snapshot := func() []string {
		return column(t, s, `SELECT (SELECT count(*) FROM orders) || '/' || (SELECT count(*) FROM usage) || '/' || (SELECT count(*) FROM clicks) || '/' ||
			(SELECT count(*) FROM fx_rates) || '/' || (SELECT count(*) FROM ingest_rejects) || '/' || (SELECT count(*) FROM ingest_files)`)
	}
	before := snapshot()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open()
	defer s.Close()
	equal(t, "rows after the upgrade", snapshot(), before)
	for i, want := range []struct {
		hashed, unread int
	}{{len(names), 0}, {0, len(names)}} {
		sum, log := runLogged(t, s, dir)
		if n := sum.Count(StatusSkipped); n != len(names) {
			t.Fatalf("run %d after the upgrade skipped %d files, want %d: %+v", i+1, n, len(names), sum.Files)
		}
		hashed, unread := 0, 0
		for _, n := range names {
			hashed += logged(log, "msg=hashed", n)
			unread += logged(log, notRead, n)
		}
		if hashed != want.hashed || unread != want.unread {
			t.Errorf("run %d after the upgrade: %d hashed, %d unread; want %d and %d", i+1, hashed, unread, want.hashed, want.unread)
		}
		if n := count(t, s, `SELECT count(*) FROM ingest_seen s JOIN ingest_files f USING (sha256)`); n != int64(len(names)) {
			t.Errorf("run %d after the upgrade: %d files recorded, want %d", i+1, n, len(names))
		}
		equal(t, "rows", snapshot(), before)
	}
	// And a new file still loads.
	writeFile(t, dir, "orders_delivery2_corrected.csv", fixture(t, "orders_delivery2_corrected.csv"))
	if f := file(t, run(t, s, Options{}, dir), "orders_delivery2_corrected.csv"); f.Status != StatusLoaded || f.Replaced != 2 {
		t.Fatalf("a new file after the upgrade: %+v", f)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
