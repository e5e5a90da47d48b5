// Package transform owns the transform run: the ordered steps (embedded SQL
// files and Go steps for what SQL expresses badly) executed in one transaction
// under one run id, so derived tables are always from one consistent run.
package transform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Step is one transform step. Exactly one of SQL and Go is set. Steps run in
// Name order, so a Go step named "105_extract_tracking_ids" runs between the
// SQL files 100_* and 110_*.
type Step struct {
	Name string
	SQL  string
	Go   func(ctx context.Context, tx *duckstore.Tx, run Run) error
}

// Run identifies one transform run. SQL steps read these as DuckDB variables:
// getvariable('run_id') and getvariable('as_of') (a DATE).
type Run struct {
	ID    string
	AsOf  time.Time
	Steps int
}

// Runner runs the embedded SQL steps together with the Go steps it was given.
type Runner struct {
	store        *duckstore.Store
	log          *slog.Logger
	goSteps      []Step
	fingerprints []string
}

// NewRunner builds a runner. fingerprints are extra inputs (for example the
// tier rules' text) that change results and so must change the run id.
func NewRunner(store *duckstore.Store, log *slog.Logger, goSteps []Step, fingerprints ...string) *Runner {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{store: store, log: log, goSteps: goSteps, fingerprints: fingerprints}
}

// Steps returns every step in execution order.
func (r *Runner) Steps() ([]Step, error) {
	files, err := sqlfiles.TransformSteps()
	if err != nil {
		return nil, err
	}
	steps := make([]Step, 0, len(files)+len(r.goSteps))
	seen := map[string]bool{}
	for _, f := range files {
		name := strings.TrimSuffix(f.Name, ".sql")
		steps = append(steps, Step{Name: name, SQL: f.Text})
		seen[name] = true
	}
	for _, s := range r.goSteps {
		if seen[s.Name] {
			return nil, fmt.Errorf("transform step %s defined twice", s.Name)
		}
		if (s.SQL == "") == (s.Go == nil) {
			return nil, fmt.Errorf("transform step %s: set exactly one of SQL and Go", s.Name)
		}
		seen[s.Name] = true
		steps = append(steps, s)
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].Name < steps[j].Name })
	return steps, nil
}

// Run executes every step for asOf in one transaction and records the run.
// A failed step rolls everything back; the failure itself is recorded.
func (r *Runner) Run(ctx context.Context, asOf time.Time) (Run, error) {
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	steps, err := r.Steps()
	if err != nil {
		return Run{}, err
	}
	id, err := r.runID(ctx, asOf)
	if err != nil {
		return Run{}, err
	}
	run := Run{ID: id, AsOf: asOf, Steps: len(steps)}
	started := time.Now().UTC()
	log := r.log.With("run_id", id, "as_of", asOf.Format(time.DateOnly))
	log.Info("transform started", "steps", len(steps))

	err = r.store.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		vars := fmt.Sprintf("SET VARIABLE run_id = %s; SET VARIABLE as_of = DATE %s;",
			duckstore.Literal(id), duckstore.Literal(asOf.Format(time.DateOnly)))
		if _, err := tx.Exec(ctx, vars); err != nil {
			return fmt.Errorf("set run variables: %w", err)
		}
		for _, s := range steps {
			t0 := time.Now()
			if s.Go != nil {
				err = s.Go(ctx, tx, run)
			} else {
				_, err = tx.Exec(ctx, s.SQL)
			}
			if err != nil {
				return fmt.Errorf("transform step %s: %w", s.Name, err)
			}
			log.Debug("transform step done", "step", s.Name, "duration", time.Since(t0))
		}
		_, err := tx.Exec(ctx, `INSERT INTO transform_runs VALUES (?, ?, ?, ?, 'succeeded', ?, NULL)`,
			id, asOf, started, time.Now().UTC(), len(steps))
		return err
	})
	if err != nil {
		if _, rerr := r.store.Exec(context.WithoutCancel(ctx), `INSERT INTO transform_runs VALUES (?, ?, ?, ?, 'failed', ?, ?)`,
			id, asOf, started, time.Now().UTC(), len(steps), err.Error()); rerr != nil {
			log.Error("could not record failed run", "err", rerr)
		}
		log.Error("transform failed", "err", err)
		return run, err
	}
	log.Info("transform finished", "duration", time.Since(started))
	return run, nil
}

// runID hashes everything that determines a run's output: the loaded files,
// the as-of date, the steps' text and the fingerprints.
func (r *Runner) runID(ctx context.Context, asOf time.Time) (string, error) {
	h := sha256.New()
	fmt.Fprintln(h, asOf.Format(time.DateOnly))
	rows, err := r.store.Query(ctx, `SELECT sha256 FROM ingest_files ORDER BY sha256`)
	if err != nil {
		return "", fmt.Errorf("transform run id: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", fmt.Errorf("transform run id: %w", err)
		}
		fmt.Fprintln(h, s)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("transform run id: %w", err)
	}
	steps, err := r.Steps()
	if err != nil {
		return "", err
	}
	for _, s := range steps {
		fmt.Fprintln(h, s.Name, len(s.SQL), s.SQL)
	}
	for _, f := range r.fingerprints {
		fmt.Fprintln(h, f)
	}
	return "r" + hex.EncodeToString(h.Sum(nil))[:12], nil
}
