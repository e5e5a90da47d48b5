package transform

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// trailingDiff counts the rows where tier_trailing_sales and the macro
// pga_trailing_sales (what a full run computes) differ, as of asOf.
func trailingDiff(t *testing.T, s *duckstore.Store, asOf string) string {
	t.Helper()
	macro := `SELECT pga_id, month, ttm FROM pga_trailing_sales(window_last_month(DATE '` + asOf + `'), (SELECT window_months FROM tier_settings))`
	return testkit.Str(t, s, `SELECT (SELECT count(*) FROM (SELECT pga_id, month, ttm FROM tier_trailing_sales EXCEPT ALL `+macro+`))
		+ (SELECT count(*) FROM (`+macro+` EXCEPT ALL SELECT pga_id, month, ttm FROM tier_trailing_sales))`)
}

// An incremental run recomputes only the tiers' trailing windows that include
// a month whose billed sales changed: every other window keeps its stored
// value (here a marker no run would compute), and the run says which windows.
func TestIncrementalRunRecomputesOnlyTheWindowsOfChangedMonths(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	testkit.LoadCSVDir(t, s, filepath.Join("..", "reports", "testdata", "fixtures"), "review_decisions")
	r := NewRunner(s, nil, defaultPipeline(t, tiers.Default()))
	if _, err := r.RunIncremental(ctx, fixtureAsOf); err != nil {
		t.Fatal(err)
	}
	if n := testkit.Str(t, s, `SELECT count(*) FROM tier_trailing_sales`); n == "0" {
		t.Fatal("a full run left tier_trailing_sales empty")
	}
	if d := trailingDiff(t, s, "2025-07-05"); d != "0" {
		t.Fatalf("after a full run, %s rows of tier_trailing_sales differ from pga_trailing_sales", d)
	}
	testkit.Exec(t, s, `UPDATE tier_trailing_sales SET ttm = -1`)

	// A late usage file for May 2025 of the PGA of subscription MS-GLOBEX-1's partner.
	testkit.Exec(t, s, `INSERT INTO usage SELECT * REPLACE (99 AS _file_id, reference_id || '-late' AS reference_id)
		FROM usage WHERE marketplace_subscription_id = 'MS-GLOBEX-1' AND date_trunc('month', usage_date) = DATE '2025-05-01'`)
	testkit.Exec(t, s, `INSERT INTO ingest_files VALUES (99, 'late', 'usage_late.csv', 'usage', 'csv', 0, 0, 0, 0, TIMESTAMP '2025-07-06 00:00:00')`)
	run, err := r.RunIncremental(ctx, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	// As of 2025-07-05 the last window ends in June: the windows ending May and June include May.
	if want := "tiers: 2 windows, 2024-06..2025-05 to 2024-07..2025-06"; !run.Incremental || !strings.Contains(run.Recomputed, want) {
		t.Errorf("incremental=%v %q lacks %q", run.Incremental, run.Recomputed, want)
	}
	pga := testkit.Str(t, s, `SELECT DISTINCT pga_id FROM resolved_usage WHERE marketplace_subscription_id = 'MS-GLOBEX-1'`)
	tests := []struct {
		name, where, want string
	}{
		{"the windows that include May are recomputed", `pga_id = '` + pga + `' AND month IN ('2025-05-01', '2025-06-01') AND ttm <> -1`, "2"},
		{"no other window is", `ttm <> -1`, "2"},
		{"the other PGAs' windows are kept", `pga_id <> '` + pga + `' AND ttm = -1`, testkit.Str(t, s, `SELECT count(*) FROM tier_trailing_sales WHERE pga_id <> '`+pga+`'`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := testkit.Str(t, s, `SELECT count(*) FROM tier_trailing_sales WHERE `+tc.where); got != tc.want {
				t.Errorf("%s: %s rows, want %s", tc.where, got, tc.want)
			}
		})
	}
	// The recomputed windows are what the macro computes.
	if got := testkit.Str(t, s, `SELECT count(*) FROM tier_trailing_sales t
		JOIN pga_trailing_sales(DATE '2025-06-01', 12) m USING (pga_id, month)
		WHERE t.ttm <> -1 AND t.ttm = m.ttm`); got != "2" {
		t.Errorf("%s recomputed windows equal the macro's, want 2", got)
	}
}

// The windows follow the as-of date both ways: a later one adds windows, an
// earlier one (a clock that went back) drops those past it; either way the
// windows are those of a full run, and so are the unlocks.
func TestTierWindowsFollowTheAsOfDate(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	testkit.LoadCSVDir(t, s, filepath.Join("..", "reports", "testdata", "fixtures"), "review_decisions")
	r := NewRunner(s, nil, defaultPipeline(t, tiers.Default()))
	for _, tc := range []struct {
		asOf, want string
	}{
		{"2025-07-05", "Full run"},
		{"2025-09-30", "tiers: 3 windows, 2024-08..2025-07 to 2024-10..2025-09"},
		{"2025-04-30", "tiers: no window"},
		{"2025-05-31", "tiers: window 2024-06..2025-05"},
	} {
		t.Run(tc.asOf, func(t *testing.T) {
			asOf, _ := time.Parse(time.DateOnly, tc.asOf)
			run, err := r.RunIncremental(ctx, asOf)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(run.Recomputed, tc.want) {
				t.Errorf("%q lacks %q", run.Recomputed, tc.want)
			}
			if d := trailingDiff(t, s, tc.asOf); d != "0" {
				t.Errorf("%s rows of tier_trailing_sales differ from a full run's", d)
			}
			incr := testkit.Str(t, s, `SELECT string_agg(unlock_id || ' ' || unlocked_on || ' ' || ttm_at_unlock_usd, ', ' ORDER BY unlock_id) FROM tier_unlocks_data`)
			if _, err := r.RunFull(ctx, asOf); err != nil {
				t.Fatal(err)
			}
			if full := testkit.Str(t, s, `SELECT string_agg(unlock_id || ' ' || unlocked_on || ' ' || ttm_at_unlock_usd, ', ' ORDER BY unlock_id) FROM tier_unlocks_data`); full != incr {
				t.Errorf("unlocks: incremental %q, full %q", incr, full)
			}
		})
	}
}

// A database of the release before tier_trailing_sales (migration 0140 not
// applied) upgrades in place and keeps every row; its next run fills the
// windows, even an incremental one (every window is new to the empty table),
// with the unlocks of before.
func TestUpgradeToTierTrailingSales(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	open := func() *duckstore.Store {
		s, err := duckstore.Open(ctx, duckstore.Config{Path: path, Threads: 1, MemoryLimit: "1GB"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	testkit.LoadCSVDir(t, s, filepath.Join("..", "reports", "testdata", "fixtures"), "review_decisions")
	r := NewRunner(s, nil, defaultPipeline(t, tiers.Default()))
	if _, err := r.RunIncremental(ctx, fixtureAsOf); err != nil {
		t.Fatal(err)
	}
	testkit.Exec(t, s, `DROP TABLE tier_trailing_sales`)
	testkit.Exec(t, s, `DELETE FROM schema_migrations WHERE version = 140`)
	counts := func(s *duckstore.Store) string {
		return testkit.Str(t, s, `SELECT (SELECT count(*) FROM billed_sales_monthly_data) || ' ' || (SELECT count(*) FROM tier_unlocks_data) || ' ' ||
			(SELECT count(*) FROM resolved_usage) || ' ' || (SELECT count(*) FROM transform_runs)`)
	}
	unlocks := func(s *duckstore.Store) string {
		return testkit.Str(t, s, `SELECT string_agg(unlock_id || ' ' || unlocked_on || ' ' || ttm_at_unlock_usd, ', ' ORDER BY unlock_id) FROM tier_unlocks_data`)
	}
	before, beforeUnlocks := counts(s), unlocks(s)
	if beforeUnlocks == "" {
		t.Fatal("the fixture unlocks no tier: nothing to compare")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open()
	defer s.Close()
	if got := counts(s); got != before {
		t.Fatalf("after the upgrade: %s, before %s", got, before)
	}
	if n := testkit.Str(t, s, `SELECT count(*) FROM tier_trailing_sales`); n != "0" {
		t.Fatalf("tier_trailing_sales after the upgrade: %s rows", n)
	}
	run, err := NewRunner(s, nil, defaultPipeline(t, tiers.Default())).RunIncremental(ctx, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	if d := trailingDiff(t, s, "2025-07-05"); d != "0" {
		t.Errorf("%s rows of tier_trailing_sales differ from a full run's (%s)", d, run.Recomputed)
	}
	if got := unlocks(s); got != beforeUnlocks {
		t.Errorf("unlocks after the upgrade %q, before %q", got, beforeUnlocks)
	}
}
