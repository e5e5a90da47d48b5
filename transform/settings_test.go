package transform

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// The transform writes with its own DuckDB settings (writeSettings) and puts
// back what was set before, whether the run succeeds or fails; inside the run
// the settings are in force.
func TestTransformSettingsAreRestored(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	if _, err := s.Exec(ctx, `SET preserve_insertion_order = true; SET disabled_compression_methods = 'chimp';
		SET allocator_flush_threshold = '64MiB'; SET allocator_bulk_deallocation_flush_threshold = '256MiB'; SET allocator_background_threads = false`); err != nil {
		t.Fatal(err)
	}
	var during []string
	probe := Step{Name: "999_probe", Go: func(ctx context.Context, tx *duckstore.Tx, _ Run) error {
		for _, w := range writeSettings {
			var v string
			if err := tx.QueryRow(ctx, `SELECT current_setting(?)::VARCHAR`, w[0]).Scan(&v); err != nil {
				return err
			}
			during = append(during, v)
		}
		return nil
	}}
	boom := errors.New("boom")
	fail := Step{Name: "999_zfail", Go: func(context.Context, *duckstore.Tx, Run) error { return boom }}
	for _, tc := range []struct {
		name  string
		steps []Step
		err   error
	}{
		{"succeeded", []Step{probe}, nil},
		{"failed", []Step{probe, fail}, boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			during = nil
			if _, err := NewRunner(s, nil, pipeline(t, tc.steps...)).Run(ctx, fixtureAsOf); !errors.Is(err, tc.err) {
				t.Fatalf("run: %v, want %v", err, tc.err)
			}
			// DuckDB shows sizes in MiB (and puts them back from that text).
			want := []string{"false", "fsst", "32.0 MiB", "32.0 MiB", "true"}
			if !strings.EqualFold(strings.Join(during, "|"), strings.Join(want, "|")) {
				t.Errorf("settings during the run = %q, want %q", during, want)
			}
			after := testkit.Str(t, s, `SELECT current_setting('preserve_insertion_order')::VARCHAR || '|' || current_setting('disabled_compression_methods')::VARCHAR
				|| '|' || current_setting('allocator_flush_threshold')::VARCHAR || '|' || current_setting('allocator_bulk_deallocation_flush_threshold')::VARCHAR
				|| '|' || current_setting('allocator_background_threads')::VARCHAR`)
			if before := "true|chimp|64.0 MiB|256.0 MiB|false"; !strings.EqualFold(after, before) {
				t.Errorf("settings after the run = %q, want the ones before (%s)", after, before)
			}
		})
	}
}

// A database made by the release before keeps partner_visible_usage and
// partner_visible_orders as tables; the transform now defines them as views.
// It replaces them, keeping the rows the same, and a step that turns a view
// back into a table works as well.
func TestTransformReplacesARelationOfTheOtherKind(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	testkit.LoadCSVDir(t, s, filepath.Join("..", "reports", "testdata", "fixtures"), "review_decisions")
	r := NewRunner(s, nil, defaultPipeline(t, tiers.Default()))
	if _, err := r.Run(ctx, fixtureAsOf); err != nil {
		t.Fatal(err)
	}
	rows := func() string {
		return testkit.Str(t, s, `SELECT (SELECT count(*) || ' ' || sum(hash(u)::HUGEINT) FROM partner_visible_usage u) || ' ' ||
			(SELECT count(*) || ' ' || sum(hash(o)::HUGEINT) FROM partner_visible_orders o)`)
	}
	want := rows()
	if want == "" || strings.HasPrefix(want, "0 ") {
		t.Fatalf("the fixtures give no visible usage: %q", want)
	}
	// What the earlier release left: the same rows, as tables.
	for _, name := range []string{"partner_visible_usage", "partner_visible_orders"} {
		if _, err := s.Exec(ctx, `CREATE TABLE zz_copy AS FROM `+name+`; DROP VIEW `+name+`; ALTER TABLE zz_copy RENAME TO `+name); err != nil {
			t.Fatal(err)
		}
	}
	if got := testkit.Str(t, s, `SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('partner_visible_usage', 'partner_visible_orders')`); got != "2" {
		t.Fatalf("set-up: %s of the two are tables", got)
	}
	if _, err := r.Run(ctx, fixtureAsOf); err != nil {
		t.Fatalf("transform over the earlier release's tables: %v", err)
	}
	if got := testkit.Str(t, s, `SELECT count(*) FROM duckdb_views() WHERE view_name IN ('partner_visible_usage', 'partner_visible_orders')`); got != "2" {
		t.Fatalf("%s of the two are views after the transform, want 2", got)
	}
	if got := rows(); got != want {
		t.Fatalf("rows changed: %s, want %s", got, want)
	}

	t.Run("view back to a table", func(t *testing.T) {
		if _, err := s.Exec(ctx, `CREATE VIEW zz_kind AS SELECT 1 AS x`); err != nil {
			t.Fatal(err)
		}
		err := s.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
			text := "CREATE OR REPLACE TABLE zz_kind AS SELECT 2 AS x;"
			if err := dropChangedKinds(ctx, tx, text); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, text)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := testkit.Str(t, s, `SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'zz_kind') || ' ' || (SELECT x FROM zz_kind)`); got != "1 2" {
			t.Fatalf("zz_kind: %s, want a table holding 2", got)
		}
	})
}
