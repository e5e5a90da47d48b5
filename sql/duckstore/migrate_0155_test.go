package duckstore

import (
	"context"
	"path/filepath"
	"testing"
)

// TestMigration0155OnAFilledDatabase: a database of the release before
// migration 0155 (report_runs dropped, the version unrecorded), with report
// files and render fingerprints in it, upgrades in place: the manifest and the
// fingerprints stay, and report_runs takes what a run of the reports did.
func TestMigration0155OnAFilledDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	s, err := Open(ctx, Config{Path: path, Threads: 1, MemoryLimit: "512MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TABLE report_runs`,
		`DELETE FROM schema_migrations WHERE version = 155`,
		`INSERT INTO report_files (report_id, partner_id, audience, as_of, period, name, format, path, size_bytes, sha256, created_at, mtime_ns)
			VALUES ('r1', 'P1', 'partner', DATE '2026-10-31', '2026-10', 'summary_2026-10_6m.csv', 'csv',
			        '2026-10-31/P1/summary_2026-10_6m.csv', 10, repeat('ab', 32), TIMESTAMP '2026-11-01 02:00:00', 1)`,
		`INSERT INTO report_partner_renders VALUES ('P1', DATE '2026-10-31', '2026-10', 'fp', TIMESTAMP '2026-11-01 02:00:00')`,
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
	var files, renders int
	if err := s.QueryRow(ctx, `SELECT (SELECT count(*) FROM report_files), (SELECT count(*) FROM report_partner_renders)`).Scan(&files, &renders); err != nil || files != 1 || renders != 1 {
		t.Fatalf("after the upgrade: %d report files, %d renders, %v; want 1 and 1", files, renders, err)
	}
	if _, err := ExecNamed(ctx, s, "reports/reporting_report_run_record", "2026-11-02 02:00:00", "2026-11-02 02:00:05",
		"2026-11-01", "2026-10 (6m)", 3, 1, 2, 0, 0, 69); err != nil {
		t.Fatalf("record a reports run: %v", err)
	}
	var got string
	if err := s.QueryRow(ctx, `SELECT period || ' ' || partners || ' ' || rendered || ' ' || linked || ' ' || kept_in_place FROM report_runs`).Scan(&got); err != nil || got != "2026-10 (6m) 3 1 2 0" {
		t.Fatalf("report_runs: %q, %v", got, err)
	}
}
