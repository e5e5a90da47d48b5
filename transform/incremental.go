package transform

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// The incremental transform. Like dbt's incremental models, a step's SQL is a
// template: {{if .Incremental}} … {{end}} selects the statements that replace
// only some partitions (DELETE … WHERE month IN scope; INSERT … WHERE month IN
// scope) instead of rebuilding the table. A run is incremental when the last
// successful run had the same definitions (the run id without its inputs and
// as-of date) and none of the datasets that can move every partition changed;
// every other run, the first one and `--full` are full runs. Steps without an
// {{if .Incremental}} rebuild their tables on every run.
//
// What changed comes from the raw tables themselves, not from the ledger's
// list of files alone: transform_inputs holds, per dataset, month (for the
// datasets partitioned by month) and ledger file, how many rows the last
// successful run read. A new file, a later file that replaced some rows of an
// earlier one (ingest deletes them), a file removed from the ledger or
// quarantined: each changes the rows of a file in a month. Everything is in the
// run's one transaction, so a killed run leaves the last good state and the
// next run sees the same changes again.
//
// The scope of an incremental run is the temp table transform_scope(scope,
// month), filled here ('usage': the changed usage months) and by the steps
// themselves ('attr_usage': the months whose attribution changed, found by
// comparing the step's inputs before and after).

// monthPartitioned names the datasets partitioned by month, with the column
// that gives a row's month. Their changes are scoped to those months.
var monthPartitioned = map[string]string{"usage": "usage_date"}

// everything names the datasets whose change can move every partition of the
// partitioned steps (020 reads offers, partners and opt-outs for every usage
// row): a change there makes the run a full one. Changes of the other datasets
// (orders, deployments, tracking IDs, customers, clicks, FX rates, …) reach the
// partitioned steps only through tables that the steps compare before and after.
var everything = map[string]bool{"partners": true, "offers": true, "opt_outs": true}

// Change is one dataset's change since the last successful run: the month
// (zero for datasets not partitioned by month) and how many ledger files have
// rows there that differ.
type Change struct {
	Dataset string
	Month   time.Time
	Files   int
}

func (c Change) String() string {
	if c.Month.IsZero() {
		return fmt.Sprintf("%s: %d %s", c.Dataset, c.Files, plural(c.Files, "file"))
	}
	return fmt.Sprintf("%s %s: %d %s", c.Dataset, c.Month.Format("2006-01"), c.Files, plural(c.Files, "file"))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// runPlan is what plan decided for a run.
type runPlan struct {
	incremental bool
	changes     []Change
	why         string // why the run is full ("" for an incremental run)
	// sameDefs: the last successful run had the same definitions, so every
	// derived table exists with the columns this run's steps yield (refill.go).
	sameDefs bool
}

// plan decides, inside the run's transaction, whether the run is incremental.
// It records this run's inputs in temp table transform_inputs_now and, for an
// incremental run, fills temp table transform_scope.
func plan(ctx context.Context, tx *duckstore.Tx, defs string, forceFull bool) (runPlan, error) {
	var pl runPlan
	if err := snapshotInputs(ctx, tx); err != nil {
		return pl, err
	}
	var prev string
	err := duckstore.QueryRowNamed(ctx, tx, "incremental/state", nil, &prev)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		pl.why = "no earlier run of the incremental transform"
	case err != nil:
		return runPlan{}, err
	case prev != defs:
		pl.why = "the definitions changed (schema migration, step SQL, tier rules or parsers)"
	default:
		pl.sameDefs = true
	}
	err = duckstore.QueryNamed(ctx, tx, "incremental/changes", func(rows *sql.Rows) error {
		var c Change
		var month sql.NullTime
		if err := rows.Scan(&c.Dataset, &month, &c.Files); err != nil {
			return err
		}
		if month.Valid {
			c.Month = month.Time.UTC()
		}
		pl.changes = append(pl.changes, c)
		return nil
	})
	if err != nil {
		return runPlan{}, err
	}
	if pl.why == "" {
		var moved []string
		for _, c := range pl.changes {
			if everything[c.Dataset] {
				moved = append(moved, c.Dataset)
			}
		}
		if len(moved) > 0 {
			pl.why = strings.Join(moved, ", ") + " changed (every partition depends on them)"
		}
	}
	if forceFull {
		pl.why = "asked for (--full)"
	}
	if pl.why != "" {
		return pl, nil
	}
	if _, err := tx.Exec(ctx, `CREATE OR REPLACE TEMP TABLE transform_scope (scope VARCHAR NOT NULL, month DATE NOT NULL)`); err != nil {
		return runPlan{}, fmt.Errorf("transform scope: %w", err)
	}
	for _, c := range pl.changes {
		if _, ok := monthPartitioned[c.Dataset]; !ok || c.Month.IsZero() {
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO transform_scope VALUES (?, ?)`, c.Dataset, c.Month); err != nil {
			return runPlan{}, fmt.Errorf("transform scope: %w", err)
		}
	}
	pl.incremental = true
	return pl, nil
}

// snapshotInputs writes temp table transform_inputs_now: the rows of every raw
// table per dataset, month (partitioned datasets) and ledger file.
func snapshotInputs(ctx context.Context, tx *duckstore.Tx) error {
	tables, err := rawTables(ctx, tx)
	if err != nil {
		return err
	}
	var q strings.Builder
	q.WriteString(`CREATE OR REPLACE TEMP TABLE transform_inputs_now AS `)
	if len(tables) == 0 {
		q.WriteString(`SELECT NULL::VARCHAR AS dataset, NULL::DATE AS month, NULL::BIGINT AS file_id, NULL::BIGINT AS row_count WHERE false`)
	}
	for i, t := range tables {
		if i > 0 {
			q.WriteString(" UNION ALL ")
		}
		month := "NULL::DATE"
		if col, ok := monthPartitioned[t]; ok {
			month = fmt.Sprintf("CAST(date_trunc('month', %s) AS DATE)", duckstore.Ident(col))
		}
		fmt.Fprintf(&q, "SELECT %s AS dataset, %s AS month, _file_id AS file_id, count(*) AS row_count FROM main.%s GROUP BY ALL",
			duckstore.Literal(t), month, duckstore.Ident(t))
	}
	if _, err := tx.Exec(ctx, q.String()); err != nil {
		return fmt.Errorf("transform inputs: %w", err)
	}
	return nil
}

// rawTables names the raw tables: the ingest datasets present in the database.
func rawTables(ctx context.Context, tx *duckstore.Tx) ([]string, error) {
	var tables []string
	err := duckstore.QueryNamed(ctx, tx, "incremental/raw_tables", func(rows *sql.Rows) error {
		var t string
		if err := rows.Scan(&t); err != nil {
			return err
		}
		tables = append(tables, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("transform raw tables: %w", err)
	}
	return tables, nil
}

// saveState records this run's inputs and definitions for the next run.
func saveState(ctx context.Context, tx *duckstore.Tx, run Run, defs string) error {
	if _, err := duckstore.ExecNamed(ctx, tx, "incremental/save"); err != nil {
		return err
	}
	if _, err := duckstore.ExecNamed(ctx, tx, "incremental/state_save", defs, run.ID, run.AsOf); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DROP TABLE IF EXISTS temp.main.transform_scope`)
	return err
}

// scopeSummary describes the partitions an incremental run recomputed, per
// scope, then the tiers' trailing windows (scope 'tiers': the months they end).
func scopeSummary(ctx context.Context, tx *duckstore.Tx) (string, error) {
	var window int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(window_months), 0) FROM tier_settings`).Scan(&window); err != nil {
		return "", fmt.Errorf("transform scope summary: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT scope, min(month), max(month), count(DISTINCT month) FROM transform_scope GROUP BY scope ORDER BY scope`)
	if err != nil {
		return "", fmt.Errorf("transform scope summary: %w", err)
	}
	defer rows.Close()
	var parts []string
	tiers := ""
	for rows.Next() {
		var scope string
		var lo, hi time.Time
		var n int
		if err := rows.Scan(&scope, &lo, &hi, &n); err != nil {
			return "", fmt.Errorf("transform scope summary: %w", err)
		}
		if scope == "tiers" {
			tiers = "tiers: " + windows(lo, hi, n, window)
			continue
		}
		name, ok := scopeNames[scope]
		if !ok {
			continue
		}
		months := lo.Format("2006-01")
		if n > 1 {
			months = fmt.Sprintf("%d months in %s..%s", n, lo.Format("2006-01"), hi.Format("2006-01"))
		}
		parts = append(parts, name+" "+months)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("transform scope summary: %w", err)
	}
	out := "no partitions"
	if len(parts) > 0 {
		out = strings.Join(parts, ", ")
	}
	if tiers == "" {
		tiers = "tiers: no window"
	}
	return out + "; " + tiers, nil
}

// windows names the tiers' trailing windows that end in the months lo..hi (n
// of them), each window months long: "window 2025-11..2026-10", or
// "3 windows, 2025-09..2026-08 to 2025-11..2026-10".
func windows(lo, hi time.Time, n, months int) string {
	span := func(end time.Time) string {
		return end.AddDate(0, 1-months, 0).Format("2006-01") + ".." + end.Format("2006-01")
	}
	if n == 1 {
		return "window " + span(lo)
	}
	return fmt.Sprintf("%d windows, %s to %s", n, span(lo), span(hi))
}

// scopeNames are the tables each scope of transform_scope replaces (the
// visible rows are views over them: nothing to replace).
var scopeNames = map[string]string{
	"usage":      "resolved_usage",
	"attr_usage": "attr_usage(_monthly)",
}

// describe is the run's explanation for its log and transform_run_modes.recomputed:
// what changed, and what was recomputed because of it.
func describe(incremental bool, why string, changes []Change, scoped string, skipped []string, fullSteps int) string {
	var b strings.Builder
	if len(changes) == 0 {
		b.WriteString("no input changed")
	} else {
		parts := make([]string, len(changes))
		for i, c := range changes {
			parts[i] = c.String()
		}
		b.WriteString("changed: " + strings.Join(parts, "; "))
	}
	if !incremental {
		fmt.Fprintf(&b, ". Full run: %s", why)
		return b.String()
	}
	fmt.Fprintf(&b, ". Incremental: %s", scoped)
	if len(skipped) > 0 {
		fmt.Fprintf(&b, "; %d %s skipped, inputs unchanged (%s)", len(skipped), plural(len(skipped), "step"), strings.Join(skipped, ", "))
	}
	fmt.Fprintf(&b, "; the other %d steps rebuilt whole (not partitioned yet)", fullSteps)
	return b.String()
}

// stepData is what a step's SQL template sees.
type stepData struct {
	// Incremental: replace only the partitions in transform_scope.
	Incremental bool
}

// render expands a SQL step's template.
func render(s Step, incremental bool) (string, error) {
	if !strings.Contains(s.SQL, "{{") {
		return s.SQL, nil
	}
	t, err := template.New(s.Name).Option("missingkey=error").Parse(s.SQL)
	if err != nil {
		return "", fmt.Errorf("transform step %s: template: %w", s.Name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, stepData{Incremental: incremental}); err != nil {
		return "", fmt.Errorf("transform step %s: template: %w", s.Name, err)
	}
	return b.String(), nil
}

// Partitioned reports whether a step replaces only some partitions in an
// incremental run (its SQL has an {{if .Incremental}} part).
func (s Step) Partitioned() bool { return strings.Contains(s.SQL, ".Incremental") }

// unpartitioned lists the steps rebuilt whole in every run.
func unpartitioned(steps []Step) []string {
	var out []string
	for _, s := range steps {
		if !s.Partitioned() {
			out = append(out, s.Name)
		}
	}
	sort.Strings(out)
	return out
}
