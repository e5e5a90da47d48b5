// Package transform owns the transform run: the ordered steps (embedded SQL
// files and Go steps for what SQL expresses badly) executed in one transaction
// under one run id, so derived tables are always from one consistent run.
package transform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Step is one transform step. Exactly one of SQL and Go is set. Steps run in
// Name order, so a Go step named "105_parse_tracking_ids" runs between the
// SQL files 100_* and 110_*.
type Step struct {
	Name string
	SQL  string
	Go   func(ctx context.Context, tx *duckstore.Tx, run Run) error
	// Defs are the definitions beyond the step's own text that shape its
	// output: the SQL files a Go step runs, its rules, a parser's version.
	// They are part of the run id.
	Defs []string
	// Reads and Writes name the relations a Go step reads and writes (a SQL
	// step's are read from its text, deps.go). A Go step with Reads is
	// skipped by an incremental run in which none of them changed; one
	// without runs every time.
	Reads, Writes []string
}

// Run identifies one transform run. SQL steps read these as DuckDB variables:
// getvariable('run_id') and getvariable('as_of') (a DATE).
type Run struct {
	ID    string
	AsOf  time.Time
	Steps int
	// Incremental: the run replaced only the changed partitions of the
	// partitioned steps (see incremental.go); else it rebuilt everything.
	Incremental bool
	// Recomputed says what changed since the last successful run and what the
	// run recomputed because of it (transform_run_modes.recomputed).
	Recomputed string
}

// Runner runs a pipeline against a store.
type Runner struct {
	store    *duckstore.Store
	log      *slog.Logger
	pipeline Pipeline
}

// NewRunner builds a runner of p (usually Default).
func NewRunner(store *duckstore.Store, log *slog.Logger, p Pipeline) *Runner {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{store: store, log: log, pipeline: p}
}

// Steps returns every step in execution order.
func (r *Runner) Steps() []Step { return r.pipeline.Steps() }

// Run executes every step for asOf in one transaction and records the run,
// recomputing every partition (a full run). A failed step rolls everything
// back; the failure itself is recorded.
func (r *Runner) Run(ctx context.Context, asOf time.Time) (Run, error) {
	return r.run(ctx, asOf, true)
}

// RunFull is Run: every partition of every step (`insights transform --full`).
func (r *Runner) RunFull(ctx context.Context, asOf time.Time) (Run, error) {
	return r.run(ctx, asOf, true)
}

// RunIncremental is Run that recomputes only what changed since the last
// successful run where it can (see incremental.go), with the same result: what
// `insights transform` and the scheduled batch run. It sees the raw tables'
// rows per ingest-ledger file, so a test or a person who edits raw rows in
// place (not through ingest) must run Run.
func (r *Runner) RunIncremental(ctx context.Context, asOf time.Time) (Run, error) {
	return r.run(ctx, asOf, false)
}

func (r *Runner) run(ctx context.Context, asOf time.Time, full bool) (Run, error) {
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	steps := r.Steps()
	if len(steps) == 0 {
		return Run{}, errors.New("transform: empty pipeline (use transform.Default)")
	}
	id, defs, err := r.runID(ctx, asOf)
	if err != nil {
		return Run{}, err
	}
	run := Run{ID: id, AsOf: asOf, Steps: len(steps)}
	started := time.Now().UTC()
	log := r.log.With("run_id", id, "as_of", asOf.Format(time.DateOnly))
	log.Info("transform started", "steps", len(steps))

	restore, err := applyWriteSettings(ctx, r.store)
	if err != nil {
		return Run{}, err
	}
	defer func() {
		if rerr := restore(context.WithoutCancel(ctx)); rerr != nil {
			log.Warn("could not restore DuckDB settings after the transform", "err", rerr)
		}
	}()
	err = r.store.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		vars := fmt.Sprintf("SET VARIABLE run_id = %s; SET VARIABLE as_of = DATE %s;",
			duckstore.Literal(id), duckstore.Literal(asOf.Format(time.DateOnly)))
		if _, err := tx.Exec(ctx, vars); err != nil {
			return fmt.Errorf("set run variables: %w", err)
		}
		pl, err := plan(ctx, tx, defs, full)
		if err != nil {
			return fmt.Errorf("transform plan: %w", err)
		}
		incremental, changes := pl.incremental, pl.changes
		run.Incremental = incremental
		if incremental {
			log.Info("transform incremental", "changes", len(changes), "rebuilt_whole", unpartitioned(steps))
		} else {
			// refill: the tables are refilled, not created again (refill.go)
			log.Info("transform full", "why", pl.why, "changes", len(changes), "refill", pl.sameDefs)
		}
		var skip func(Step) bool
		if incremental {
			if skip, err = skipper(ctx, tx, steps, changes); err != nil {
				return err
			}
		}
		var skipped []string
		rebuilt := 0 // steps run whole in an incremental run
		cpuStart := processCPU()
		for _, s := range steps {
			if skip != nil && skip(s) {
				skipped = append(skipped, s.Name)
				log.Debug("transform step skipped: its inputs did not change", "step", s.Name)
				continue
			}
			if !s.Partitioned() {
				rebuilt++
			}
			t0, cpu0 := time.Now(), processCPU()
			if s.Go != nil {
				err = s.Go(ctx, tx, run)
			} else {
				err = execSQLStep(ctx, tx, s, incremental, pl.sameDefs)
			}
			if err != nil {
				return fmt.Errorf("transform step %s: %w", s.Name, err)
			}
			log.Debug("transform step done", "step", s.Name, "duration", time.Since(t0), "cpu", processCPU()-cpu0)
		}
		scoped := ""
		if incremental {
			if scoped, err = scopeSummary(ctx, tx); err != nil {
				return err
			}
		}
		log.Debug("transform steps done", "cpu", processCPU()-cpuStart)
		run.Recomputed = describe(incremental, pl.why, changes, scoped, skipped, rebuilt)
		if err := saveState(ctx, tx, run, defs); err != nil {
			return fmt.Errorf("transform state: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO transform_run_modes VALUES (?, ?, ?, ?)`,
			id, started, mode(incremental), run.Recomputed); err != nil {
			return fmt.Errorf("record run mode: %w", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO transform_runs VALUES (?, ?, ?, ?, 'succeeded', ?, NULL)`,
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
	log.Info("transform finished", "duration", time.Since(started), "mode", mode(run.Incremental), "recomputed", run.Recomputed)
	return run, nil
}

// execSQLStep renders a SQL step for the run and executes it. sameDefs: the
// last successful run had these definitions, so its tables are refilled
// rather than created again (refill.go).
func execSQLStep(ctx context.Context, tx *duckstore.Tx, s Step, incremental, sameDefs bool) error {
	text, err := render(s, incremental)
	if err != nil {
		return err
	}
	if sameDefs {
		if text, err = refill(ctx, tx, text); err != nil {
			return err
		}
	}
	if err := dropChangedKinds(ctx, tx, text); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, text)
	return err
}

// runID hashes everything that determines a run's output: the loaded files
// (by content hash), the as-of date, the schema migrations, and every step's
// name, SQL and other definitions (the SQL files Go steps run, the tier rules,
// the parsers' version).
// defs is the same hash without the inputs and the as-of date: what an
// incremental run must share with the last successful run.
func (r *Runner) runID(ctx context.Context, asOf time.Time) (id, defs string, err error) {
	rows, err := r.store.Query(ctx, `SELECT sha256 FROM ingest_files ORDER BY sha256`)
	if err != nil {
		return "", "", fmt.Errorf("transform run id: %w", err)
	}
	defer rows.Close()
	var inputs []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", "", fmt.Errorf("transform run id: %w", err)
		}
		inputs = append(inputs, s)
	}
	if err := rows.Err(); err != nil {
		return "", "", fmt.Errorf("transform run id: %w", err)
	}
	migrations, err := sqlfiles.Migrations()
	if err != nil {
		return "", "", err
	}
	return runID(asOf, inputs, migrations, r.Steps()), runID(time.Time{}, nil, migrations, r.Steps()), nil
}

func mode(incremental bool) string {
	if incremental {
		return "incremental"
	}
	return "full"
}

// runID is the hash of a run's definitions. Each part is length-prefixed so
// that moving text from one part to the next changes the id.
func runID(asOf time.Time, inputs []string, migrations []sqlfiles.File, steps []Step) string {
	h := sha256.New()
	part := func(kind, s string) { fmt.Fprintf(h, "%s %d\n%s\n", kind, len(s), s) }
	part("as-of", asOf.Format(time.DateOnly))
	for _, s := range inputs {
		part("input", s)
	}
	for _, m := range migrations {
		part("migration", m.Name)
		part("migration-sql", m.Text)
	}
	for _, s := range steps {
		part("step", s.Name)
		part("step-sql", s.SQL)
		for _, d := range s.Defs {
			part("step-def", d)
		}
	}
	return "r" + hex.EncodeToString(h.Sum(nil))[:12]
}
