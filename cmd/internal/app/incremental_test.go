package app

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/ingest"
	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// TestIncrementalTransformEqualsFull feeds two databases the same deliveries
// and transforms one incrementally (the default) and the other with --full
// after each; every table and view of the transform must hold the same rows
// in both (EXCEPT ALL in each direction), and the incremental runs must have
// been incremental where the change allows it.
func TestIncrementalTransformEqualsFull(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end transform equality in -short mode")
	}
	dir := t.TempDir()
	landing := filepath.Join(dir, "landing")
	mustRun(t, "gen", "--out", landing, "--scale", "1", "--seed", "11", "--months", "3", "--end", "2026-10")
	incr, full := filepath.Join(dir, "incr.duckdb"), filepath.Join(dir, "full.duckdb")
	const asOf = "2026-10-31"
	deliver := func(t *testing.T, path string) {
		t.Helper()
		for _, db := range []string{incr, full} {
			mustRun(t, "--db", db, "ingest", "--quarantine", filepath.Join(dir, "quarantine"), path)
		}
	}
	transformBoth := func(t *testing.T, wantMode string, extra ...string) string {
		t.Helper()
		out := mustRun(t, append([]string{"--db", incr, "transform", "--as-of", asOf}, extra...)...)
		mustRun(t, append([]string{"--db", full, "transform", "--as-of", asOf, "--full"}, extra...)...)
		if mode := lastMode(t, incr); mode != wantMode {
			t.Errorf("incremental database's run was %s, want %s:\n%s", mode, wantMode, out)
		}
		compareDatabases(t, incr, full)
		return out
	}
	// export writes a delivery built from the incremental database's raw rows.
	export := func(t *testing.T, name, query string) string {
		t.Helper()
		path := filepath.Join(dir, "deliveries", name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		withStore(t, incr, func(s *duckstore.Store) {
			if _, err := s.Exec(context.Background(), fmt.Sprintf("COPY (%s) TO %s (HEADER, DELIMITER ',')", query, duckstore.Literal(path))); err != nil {
				t.Fatalf("export %s: %v", name, err)
			}
		})
		return path
	}

	deliver(t, landing)
	transformBoth(t, "full")

	// ledgerRemove takes a file out of both databases as an operator would who
	// moves an ingested file to quarantine: its rows and its ledger row go, the
	// quarantine records it.
	ledgerRemove := func(t *testing.T, table, pathLike string, quarantined bool) {
		t.Helper()
		for _, db := range []string{incr, full} {
			withStore(t, db, func(s *duckstore.Store) {
				qs := []string{
					fmt.Sprintf(`DELETE FROM %s WHERE _file_id = (SELECT max(file_id) FROM ingest_files WHERE path LIKE %s)`, duckstore.Ident(table), duckstore.Literal(pathLike)),
				}
				if quarantined {
					qs = append(qs, fmt.Sprintf(`INSERT INTO ingest_quarantine (path, moved_to, sha256, error, quarantined_at)
						SELECT path, path || '.quarantined', sha256, 'withdrawn by the operator', TIMESTAMP '2026-11-02 00:00:00'
						FROM ingest_files WHERE path LIKE %s`, duckstore.Literal(pathLike)))
				}
				qs = append(qs, fmt.Sprintf(`DELETE FROM ingest_files WHERE path LIKE %s`, duckstore.Literal(pathLike)))
				for _, q := range qs {
					if _, err := s.Exec(context.Background(), q); err != nil {
						t.Fatal(err)
					}
				}
			})
		}
	}

	steps := []struct {
		name, mode string
		asOf       string // else asOf
		prepare    func(t *testing.T)
		want       []string // in the incremental run's explanation
	}{
		{"a new day", "incremental", "", func(t *testing.T) {
			// The new day opens a month: its FX rates come first (their file is new, not a change of old months).
			deliver(t, export(t, "fx_next.csv", `SELECT * EXCLUDE (_file_id) REPLACE (CAST(month + INTERVAL 1 MONTH AS DATE) AS month)
				FROM fx_rates WHERE month = (SELECT max(month) FROM fx_rates)`))
			deliver(t, export(t, "usage_day.csv", `SELECT * EXCLUDE (_file_id) REPLACE (usage_date + 1 AS usage_date, reference_id || '-next' AS reference_id)
				FROM usage WHERE usage_date = (SELECT max(usage_date) FROM usage) AND reference_id IS NOT NULL`))
			deliver(t, export(t, "deployments_day.csv", `SELECT * EXCLUDE (_file_id) REPLACE ("timestamp" + INTERVAL 1 DAY AS "timestamp", deployment_id || '-next' AS deployment_id)
				FROM deployments WHERE CAST("timestamp" AS DATE) = (SELECT max(CAST("timestamp" AS DATE)) FROM deployments)`))
		}, []string{"usage 2026-11: 1 file", "deployments: 1 file", "fx_rates: 1 file", "resolved_usage 2026-11",
			"skipped, inputs unchanged (010_current_orders, 305_parse_campaigns, 310_campaign_clicks"}},
		{"a corrected re-delivery of an old month", "incremental", "", func(t *testing.T) {
			deliver(t, export(t, "usage_corrected.csv", `SELECT * EXCLUDE (_file_id) REPLACE (normalized_usage * 2 AS normalized_usage, estimated_extended_charge_pc * 2 AS estimated_extended_charge_pc)
				FROM usage WHERE date_trunc('month', usage_date) = DATE '2026-08-01' AND reference_id IS NOT NULL`))
		}, []string{"usage 2026-08", "resolved_usage 2026-08", "tiers: 3 windows, 2025-09..2026-08 to 2025-11..2026-10"}},
		{"a late file for an old month", "incremental", "", func(t *testing.T) {
			deliver(t, export(t, "usage_late.csv", `SELECT * EXCLUDE (_file_id) REPLACE (reference_id || '-late' AS reference_id, usage_date + 3 AS usage_date)
				FROM usage WHERE usage_date = DATE '2026-09-10' AND reference_id IS NOT NULL`))
		}, []string{"usage 2026-09: 1 file", "resolved_usage 2026-09", "tiers: 2 windows, 2025-10..2026-09 to 2025-11..2026-10"}},
		{"a new tracking-ID registration re-attributing old deployments", "incremental", "", func(t *testing.T) {
			// Every registered ID moves to another partner from the first month on:
			// the deployments of all months re-attribute, and so does their usage.
			deliver(t, export(t, "tracking_ids_moved.csv", `SELECT * EXCLUDE (_file_id) REPLACE (
					(SELECT max(partner_id) FROM partners) AS partner_id, TIMESTAMP '2026-08-02 00:00:00' AS registered_at)
				FROM tracking_ids`))
		}, []string{"tracking_ids: 1 file", "attr_usage(_monthly) 4 months in 2026-08..2026-11",
			"skipped, inputs unchanged (010_current_orders, 020_resolved_usage"}},
		{"a file removed from the ledger", "incremental", "", func(t *testing.T) {
			ledgerRemove(t, "usage", "%usage_late.csv", false)
		}, []string{"usage 2026-09: 1 file", "tiers: 2 windows, 2025-10..2026-09 to 2025-11..2026-10"}},
		{"an ingested file quarantined", "incremental", "", func(t *testing.T) {
			// The new day's deployments are withdrawn: the attribution of their usage goes back.
			ledgerRemove(t, "deployments", "%deployments_day.csv", true)
		}, []string{"deployments: 1 file"}},
		{"an as-of date before the last run's", "incremental", "2026-09-30", func(t *testing.T) {},
			[]string{"no input changed", "tiers: no window"}},
		{"the as-of date again", "incremental", "", func(t *testing.T) {},
			[]string{"no input changed", "tiers: window 2025-11..2026-10"}},
		{"a new opt-out", "full", "", func(t *testing.T) {
			deliver(t, export(t, "opt_outs_new.csv", `SELECT 'subscription' AS kind, min(marketplace_subscription_id) AS id, TIMESTAMP '2026-09-01 00:00:00' AS opted_out_at FROM usage`))
		}, []string{"opt_outs: 1 file", "Full run: opt_outs changed"}},
		{"nothing new", "incremental", "", func(t *testing.T) {}, []string{"no input changed", "Incremental: no partitions"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.prepare(t)
			var extra []string
			if st.asOf != "" {
				extra = []string{"--as-of", st.asOf} // the last --as-of wins
			}
			out := transformBoth(t, st.mode, extra...)
			for _, w := range st.want {
				if !strings.Contains(out, w) {
					t.Errorf("transform output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// Every ingest dataset is an input that the incremental transform watches
// (sql/incremental/raw_tables.sql lists them).
func TestIncrementalTransformWatchesEveryDataset(t *testing.T) {
	text, err := sqlfiles.Query("incremental/raw_tables")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ingest.DatasetNames() {
		if !strings.Contains(text, "'"+d+"'") {
			t.Errorf("dataset %s is not in sql/incremental/raw_tables.sql: the incremental transform would not see its changes", d)
		}
	}
}

// withStore opens a database file for the duration of fn.
func withStore(t *testing.T, path string, fn func(*duckstore.Store)) {
	t.Helper()
	s, err := duckstore.Open(context.Background(), duckstore.Config{Path: path, Threads: 1, MemoryLimit: "1GB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}()
	fn(s)
}

func lastMode(t *testing.T, db string) string {
	t.Helper()
	var mode string
	withStore(t, db, func(s *duckstore.Store) {
		if err := s.QueryRow(context.Background(), `SELECT mode FROM transform_run_modes ORDER BY started_at DESC LIMIT 1`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
	})
	return mode
}

// notCompared are the tables that record how runs went rather than what they
// computed (times, ledger load times): they differ between any two runs.
var notCompared = map[string]bool{
	"transform_runs": true, "transform_run_modes": true, "job_runs": true, "schema_migrations": true,
	"ingest_files": true, "ingest_rejects": true, "ingest_quarantine": true, "ingest_seen": true,
}

// comparedWithout are the columns left out of the comparison: when a run recorded a row.
var comparedWithout = map[string]string{
	"data_watermark_history": "recorded_at",
	"data_watermarks":        "recorded_at",
}

// compareDatabases checks that every table and view of the main schema holds
// the same rows (as multisets) in both databases.
func compareDatabases(t *testing.T, a, b string) {
	t.Helper()
	withStore(t, a, func(s *duckstore.Store) {
		ctx := context.Background()
		if _, err := s.Exec(ctx, fmt.Sprintf("ATTACH %s AS other (READ_ONLY)", duckstore.Literal(b))); err != nil {
			t.Fatal(err)
		}
		defer func() { _, _ = s.Exec(ctx, "DETACH other") }()
		var names []string
		rows, err := s.Query(ctx, `SELECT table_name FROM information_schema.tables
			WHERE table_catalog = current_database() AND table_schema = 'main' ORDER BY table_name`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			if !notCompared[n] {
				names = append(names, n)
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		if len(names) < 30 {
			t.Fatalf("only %d tables and views to compare: %v", len(names), names)
		}
		for _, n := range names {
			cols := "*"
			if col, ok := comparedWithout[n]; ok {
				cols = fmt.Sprintf("* EXCLUDE (%s)", duckstore.Ident(col))
			}
			mine := fmt.Sprintf("SELECT %s FROM main.%s", cols, duckstore.Ident(n))
			theirs := fmt.Sprintf("SELECT %s FROM other.main.%s", cols, duckstore.Ident(n))
			var onlyA, onlyB, total int64
			q := fmt.Sprintf(`SELECT (SELECT count(*) FROM (%[1]s EXCEPT ALL %[2]s)),
				(SELECT count(*) FROM (%[2]s EXCEPT ALL %[1]s)),
				(SELECT count(*) FROM (%[1]s))`, mine, theirs)
			if err := s.QueryRow(ctx, q).Scan(&onlyA, &onlyB, &total); err != nil {
				if err == sql.ErrNoRows {
					continue
				}
				t.Errorf("compare %s: %v", n, err)
				continue
			}
			if onlyA != 0 || onlyB != 0 {
				t.Errorf("%s: %d rows only in the incremental result, %d only in the full one (of %d)", n, onlyA, onlyB, total)
			}
		}
	})
}
