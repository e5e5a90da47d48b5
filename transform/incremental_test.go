package transform

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform/tiers"
)

var fixtureAsOf = time.Date(2025, 7, 5, 0, 0, 0, 0, time.UTC)

// partitioned are the tables the incremental steps replace by month.
var partitioned = []string{"resolved_usage", "attr_usage", "attr_usage_monthly", "partner_visible_usage", "hidden_customers"}

// A run that fails (or is killed) after the partitioned steps changes
// nothing: the next incremental run sees the same changes, recomputes them
// and gives the same rows as a full run.
func TestIncrementalRunAfterAFailedRun(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	testkit.LoadCSVDir(t, s, filepath.Join("..", "reports", "testdata", "fixtures"), "review_decisions")
	p := defaultPipeline(t, tiers.Default())
	r := NewRunner(s, nil, p)
	first, err := r.RunIncremental(ctx, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	if first.Incremental || !strings.Contains(first.Recomputed, "no earlier run") {
		t.Fatalf("first run: incremental=%v %q, want a full run", first.Incremental, first.Recomputed)
	}
	nothing, err := r.RunIncremental(ctx, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	if !nothing.Incremental || !strings.HasPrefix(nothing.Recomputed, "no input changed. Incremental: no partitions") {
		t.Fatalf("run without changes: incremental=%v %q", nothing.Incremental, nothing.Recomputed)
	}

	// A late file for May 2025: new usage lines of file 99.
	testkit.Exec(t, s, `INSERT INTO usage SELECT * REPLACE (99 AS _file_id, reference_id || '-late' AS reference_id, usage_date - 1 AS usage_date)
		FROM usage WHERE date_trunc('month', usage_date) = DATE '2025-05-01' AND reference_id IS NOT NULL`)
	testkit.Exec(t, s, `INSERT INTO ingest_files VALUES (99, 'late', 'usage_late.csv', 'usage', 'csv', 0, 0, 0, 0, TIMESTAMP '2025-07-06 00:00:00')`)
	before := snapshot(t, s)

	failing := Pipeline{steps: append(p.Steps(), Step{Name: "999_fail", Go: func(context.Context, *duckstore.Tx, Run) error {
		return errors.New("killed")
	}})}
	if _, err := NewRunner(s, nil, failing).RunIncremental(ctx, fixtureAsOf); err == nil {
		t.Fatal("the failing run succeeded")
	}
	if got := snapshot(t, s); got != before {
		t.Fatalf("a failed run changed the tables:\n%s\nwas\n%s", got, before)
	}

	run, err := r.RunIncremental(ctx, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"usage 2025-05: 1 file", "resolved_usage 2025-05", "attr_usage(_monthly) 2025-05"} {
		if !run.Incremental || !strings.Contains(run.Recomputed, want) {
			t.Errorf("run after the failed one: incremental=%v, %q lacks %q", run.Incremental, run.Recomputed, want)
		}
	}
	var modes string
	if err := s.QueryRow(ctx, `SELECT string_agg(mode, ',' ORDER BY started_at) FROM transform_run_modes`).Scan(&modes); err != nil {
		t.Fatal(err)
	}
	if modes != "full,incremental,incremental" {
		t.Errorf("transform_run_modes: %s", modes)
	}
	for _, tbl := range partitioned {
		testkit.Exec(t, s, fmt.Sprintf("CREATE TABLE incr_%[1]s AS FROM %[1]s", tbl))
	}
	if _, err := r.RunFull(ctx, fixtureAsOf); err != nil {
		t.Fatal(err)
	}
	for _, tbl := range partitioned {
		n := testkit.Str(t, s, fmt.Sprintf(`SELECT (SELECT count(*) FROM (FROM incr_%[1]s EXCEPT ALL FROM %[1]s))
			+ (SELECT count(*) FROM (FROM %[1]s EXCEPT ALL FROM incr_%[1]s))`, tbl))
		if n != "0" {
			t.Errorf("%s: %s rows differ between the incremental and the full run", tbl, n)
		}
	}
	if got := testkit.Str(t, s, `SELECT count(*) FROM resolved_usage WHERE reference_id LIKE '%-late'`); got == "0" {
		t.Error("the late usage is not in resolved_usage")
	}
}

// snapshot is the partitioned tables' row counts and transform_inputs.
func snapshot(t *testing.T, s *duckstore.Store) string {
	t.Helper()
	var b strings.Builder
	for _, tbl := range append(partitioned, "transform_inputs", "transform_state") {
		fmt.Fprintf(&b, "%s %s\n", tbl, testkit.Str(t, s, "SELECT count(*) FROM "+tbl))
	}
	return b.String()
}

// Definitions that change (here: the tier rules) make the next run a full one.
func TestChangedDefinitionsMakeAFullRun(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	testkit.LoadCSVDir(t, s, filepath.Join("..", "reports", "testdata", "fixtures"), "review_decisions")
	if _, err := NewRunner(s, nil, defaultPipeline(t, tiers.Default())).RunIncremental(ctx, fixtureAsOf); err != nil {
		t.Fatal(err)
	}
	rules, err := tiers.Parse("edited.toml", strings.Replace(tiers.DefaultsTOML(), "window_months", "# edited\nwindow_months", 1))
	if err != nil {
		t.Fatal(err)
	}
	run, err := NewRunner(s, nil, defaultPipeline(t, rules)).RunIncremental(ctx, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	if run.Incremental || !strings.Contains(run.Recomputed, "Full run: the definitions changed") {
		t.Fatalf("incremental=%v %q", run.Incremental, run.Recomputed)
	}
}

// A database of the release before the incremental transform (migrations
// 0100 and 0101 not applied, transformed by a full run) upgrades in place,
// keeps every row, and its first run is a full one that says why.
func TestUpgradeToTheIncrementalTransform(t *testing.T) {
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
	if _, err := NewRunner(s, nil, defaultPipeline(t, tiers.Default())).Run(ctx, fixtureAsOf); err != nil {
		t.Fatal(err)
	}
	// Back to the previous release's schema: without the tables of 0100 and 0101.
	for _, q := range []string{
		`DROP TABLE transform_inputs`, `DROP TABLE transform_state`, `DROP TABLE attr_opted_subscriptions`,
		`DROP TABLE transform_run_modes`, `DROP TABLE report_partner_renders`,
		`DELETE FROM schema_migrations WHERE version IN (100, 101)`,
	} {
		testkit.Exec(t, s, q)
	}
	counts := func(s *duckstore.Store) string {
		return testkit.Str(t, s, `SELECT (SELECT count(*) FROM usage) || ' ' || (SELECT count(*) FROM resolved_usage) || ' ' ||
			(SELECT count(*) FROM attr_usage) || ' ' || (SELECT count(*) FROM transform_runs)`)
	}
	before := counts(s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open()
	defer s.Close()
	if got := counts(s); got != before {
		t.Fatalf("after the upgrade: %s, before %s", got, before)
	}
	run, err := NewRunner(s, nil, defaultPipeline(t, tiers.Default())).RunIncremental(ctx, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	if run.Incremental || !strings.Contains(run.Recomputed, "Full run: no earlier run of the incremental transform") {
		t.Fatalf("first run after the upgrade: incremental=%v %q", run.Incremental, run.Recomputed)
	}
}
