package duckstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestMigration0160OnAFilledDatabase: a database of the release before
// migration 0160 (ingest_seen dropped, the version unrecorded), with files in
// its ledger, upgrades in place: the ledger stays, and ingest_seen takes what
// ingest records of a file (an upsert: a file seen again replaces its row).
// The lookup trusts only an entry whose hash the ledger still holds, and
// names the ledger's path. (ingest's TestIngestAfterUpgradeTo0160 runs
// ingest itself on such a database.)
func TestMigration0160OnAFilledDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	s, err := Open(ctx, Config{Path: path, Threads: 1, MemoryLimit: "512MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TABLE ingest_seen`,
		`DELETE FROM schema_migrations WHERE version = 160`,
		`INSERT INTO ingest_files VALUES
			(1, repeat('a', 64), '/landing/orders_2026-10.csv', 'orders', 'csv', 188, 3, 0, 0, TIMESTAMP '2026-11-01 02:00:00'),
			(2, repeat('b', 64), '/landing/usage_2026-10.csv', 'usage', 'csv', 400, 5, 1, 0, TIMESTAMP '2026-11-01 02:00:01')`,
	} {
		if _, err := s.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(ctx, Config{Path: path, Threads: 1, MemoryLimit: "512MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var files, seen int
	if err := s.QueryRow(ctx, `SELECT (SELECT count(*) FROM ingest_files), (SELECT count(*) FROM ingest_seen)`).Scan(&files, &seen); err != nil || files != 2 || seen != 0 {
		t.Fatalf("after the upgrade: %d ledger rows, %d seen, %v; want 2 and 0", files, seen, err)
	}

	type entry struct {
		path, as    string
		size, modNs int64
	}
	lookup := func(t *testing.T, paths ...string) []entry {
		t.Helper()
		var out []entry
		if err := QueryNamed(ctx, s, "ingest/seen_unchanged", func(rows *sql.Rows) error {
			var e entry
			if err := rows.Scan(&e.path, &e.size, &e.modNs, &e.as); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		}, paths); err != nil {
			t.Fatal(err)
		}
		return out
	}
	record := func(t *testing.T, path string, size, modNs int64, sum string) {
		t.Helper()
		if _, err := ExecNamed(ctx, s, "ingest/seen_record", path, size, modNs, sum); err != nil {
			t.Fatalf("record %s: %v", path, err)
		}
	}
	all := []string{"/landing/orders_2026-10.csv", "/landing/orders_copy.csv", "/landing/usage_2026-10.csv", "/landing/gone.csv"}
	for _, tc := range []struct {
		name   string
		do     func(t *testing.T)
		lookup []string
		want   []entry
	}{
		{"recorded files", func(t *testing.T) {
			record(t, "/landing/orders_2026-10.csv", 188, 1_700_000_000_123456789, strings.Repeat("a", 64))
			record(t, "/landing/orders_copy.csv", 188, 1_700_000_001_000000001, strings.Repeat("a", 64))
			record(t, "/landing/usage_2026-10.csv", 400, 1_700_000_002_000000000, strings.Repeat("b", 64))
		}, all, []entry{
			{"/landing/orders_2026-10.csv", "/landing/orders_2026-10.csv", 188, 1_700_000_000_123456789},
			{"/landing/orders_copy.csv", "/landing/orders_2026-10.csv", 188, 1_700_000_001_000000001},
			{"/landing/usage_2026-10.csv", "/landing/usage_2026-10.csv", 400, 1_700_000_002_000000000},
		}},
		{"only the paths asked for", func(*testing.T) {}, []string{"/landing/usage_2026-10.csv"}, []entry{
			{"/landing/usage_2026-10.csv", "/landing/usage_2026-10.csv", 400, 1_700_000_002_000000000},
		}},
		{"a file seen again replaces its row", func(t *testing.T) {
			record(t, "/landing/orders_copy.csv", 190, 1_700_000_003_000000000, strings.Repeat("a", 64))
		}, all, []entry{
			{"/landing/orders_2026-10.csv", "/landing/orders_2026-10.csv", 188, 1_700_000_000_123456789},
			{"/landing/orders_copy.csv", "/landing/orders_2026-10.csv", 190, 1_700_000_003_000000000},
			{"/landing/usage_2026-10.csv", "/landing/usage_2026-10.csv", 400, 1_700_000_002_000000000},
		}},
		{"an entry whose hash left the ledger is not trusted", func(t *testing.T) {
			if _, err := s.Exec(ctx, `DELETE FROM ingest_files WHERE file_id = 2`); err != nil {
				t.Fatal(err)
			}
		}, all, []entry{
			{"/landing/orders_2026-10.csv", "/landing/orders_2026-10.csv", 188, 1_700_000_000_123456789},
			{"/landing/orders_copy.csv", "/landing/orders_2026-10.csv", 190, 1_700_000_003_000000000},
		}},
		{"no paths", func(*testing.T) {}, []string{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.do(t)
			got := lookup(t, tc.lookup...)
			if len(got) != len(tc.want) {
				t.Fatalf("lookup: %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("lookup row %d: %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
	if err := s.QueryRow(ctx, `SELECT count(*) FROM ingest_seen`).Scan(&seen); err != nil || seen != 3 {
		t.Errorf("ingest_seen: %d rows, %v; want 3 (one per path)", seen, err)
	}
}
