package ingest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// TestHasTrialMigrationKeepsRows: a database filled before migration 0090
// (orders without has_trial) upgrades in place, every order row kept, the
// new column NULL on them.
func TestHasTrialMigrationKeepsRows(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	cfg := duckstore.Config{Path: path, Threads: 1, MemoryLimit: "512MB"}
	s, err := duckstore.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The previous release's database: 0090 not applied, orders filled.
	for _, q := range []string{
		`ALTER TABLE orders DROP COLUMN has_trial`,
		`DELETE FROM schema_migrations WHERE version = 90`,
		`INSERT INTO orders (asset_id, purchase_record_line_item_id, order_version, is_trial, _file_id) VALUES ('A-1', 'L-1', 1, true, 1), ('A-2', 'L-2', 1, false, 1)`,
	} {
		if _, err := s.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = duckstore.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer s.Close()
	var rows, trials, hasTrial int
	if err := s.QueryRow(ctx, `SELECT count(*), count(*) FILTER (is_trial), count(has_trial) FROM orders`).Scan(&rows, &trials, &hasTrial); err != nil {
		t.Fatal(err)
	}
	if rows != 2 || trials != 1 || hasTrial != 0 {
		t.Fatalf("after the upgrade: %d rows, %d trials, %d with has_trial", rows, trials, hasTrial)
	}
}
