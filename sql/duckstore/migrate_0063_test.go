package duckstore

import (
	"context"
	"path/filepath"
	"testing"
)

// TestMigration0063OnAFilledDatabase: a database of the release before
// migration 0063 (the view dropped, the version unrecorded), filled with
// usage, offers and attributed deployments, upgrades in place: every row
// stays, and partner_tracking_issues lists each partner's problem tracking
// IDs — those in subscriptions that use the partner's offers only, opted-out
// deployments never.
func TestMigration0063OnAFilledDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	s, err := Open(ctx, Config{Path: path, Threads: 1, MemoryLimit: "512MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP VIEW partner_tracking_issues`,
		`DELETE FROM schema_migrations WHERE version = 63`,
		`INSERT INTO offers VALUES ('app-1', 'P1', 'App 1', 'Transact', NULL, NULL, 1), ('app-2', 'P2', 'App 2', 'Transact', NULL, NULL, 1)`,
		`INSERT INTO usage (marketplace_subscription_id, usage_date, reference_id, offer_id, azure_subscription_id, publisher_id, _file_id) VALUES
			('ms-1', DATE '2025-06-10', 'r1', 'app-1', 'SUB-A', NULL, 1),
			('ms-2', DATE '2025-06-10', 'r2', 'app-2', 'sub-b', 'P2', 1),
			('ms-3', DATE '2025-06-10', 'r3', 'app-2', 'sub-c', NULL, 1)`,
		`INSERT INTO attr_deployments (deployment_id, "timestamp", subscription_id, token_seq, tokens_found, source, raw_token, kind, tracking_id, status, reason, multiple, opted_out, tags_usage) VALUES
			('d1', TIMESTAMP '2025-06-01 10:00:00', 'sub-a', 1, 1, 'user_agent', 'pid-bad-1', 'malformed', NULL, 'malformed', 'not a GUID', false, false, false),
			('d2', TIMESTAMP '2025-06-02 10:00:00', 'SUB-A', 1, 1, 'user_agent', 'pid-bad-1', 'malformed', NULL, 'malformed', 'not a GUID', false, false, false),
			('d3', TIMESTAMP '2025-06-03 10:00:00', 'sub-b', 1, 1, 'deployment_name', 'pid-x', 'guid', 'pid-x', 'unregistered', NULL, false, false, false),
			('d4', TIMESTAMP '2025-06-04 10:00:00', 'sub-c', 1, 1, 'deployment_name', 'pid-y', 'guid', 'pid-y', 'unregistered', NULL, false, true, false)`,
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
	var usage, deps, offers int
	if err := s.QueryRow(ctx, `SELECT (SELECT count(*) FROM usage), (SELECT count(*) FROM attr_deployments), (SELECT count(*) FROM offers)`).Scan(&usage, &deps, &offers); err != nil {
		t.Fatal(err)
	}
	if usage != 3 || deps != 4 || offers != 2 {
		t.Fatalf("rows after the upgrade: usage %d, deployments %d, offers %d", usage, deps, offers)
	}
	rows, err := s.Query(ctx, `SELECT partner_id || ' ' || status || ' ' || tracking_id || ' ' || deployments FROM partner_tracking_issues ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		got = append(got, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"P1 malformed pid-bad-1 2", "P2 unregistered pid-x 1"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("partner_tracking_issues = %q, want %q", got, want)
	}
}
