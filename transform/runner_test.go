package transform

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// pipeline is the SQL steps with goSteps merged in.
func pipeline(t *testing.T, goSteps ...Step) Pipeline {
	t.Helper()
	p, err := NewPipeline(goSteps...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunnerOrdersStepsAndExposesRunVariables(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	var order []string
	goStep := func(name string) Step {
		return Step{Name: name, Go: func(ctx context.Context, tx *duckstore.Tx, run Run) error {
			order = append(order, name)
			_, err := tx.Exec(ctx, `CREATE OR REPLACE TABLE zz_probe AS SELECT getvariable('run_id') AS run_id, getvariable('as_of') AS as_of`)
			return err
		}}
	}
	r := NewRunner(s, nil, pipeline(t, goStep("999_b_last"), goStep("000_a_first")))
	asOf := time.Date(2026, 3, 31, 15, 0, 0, 0, time.UTC)
	run, err := r.Run(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(order) != 2 || order[0] != "000_a_first" || order[1] != "999_b_last" {
		t.Fatalf("order = %v", order)
	}
	var id string
	var got time.Time
	if err := s.QueryRow(ctx, `SELECT run_id, as_of FROM zz_probe`).Scan(&id, &got); err != nil {
		t.Fatal(err)
	}
	if id != run.ID || !got.Equal(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("variables run_id=%s as_of=%v, run %+v", id, got, run)
	}

	again, err := r.Run(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != run.ID {
		t.Fatalf("same inputs gave run ids %s and %s", run.ID, again.ID)
	}
}

func TestRunnerRollsBackAFailedRunAndRecordsIt(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	boom := errors.New("boom")
	r := NewRunner(s, nil, pipeline(t,
		Step{Name: "000_create", Go: func(ctx context.Context, tx *duckstore.Tx, _ Run) error {
			_, err := tx.Exec(ctx, `CREATE TABLE zz_partial (x INTEGER)`)
			return err
		}},
		Step{Name: "999_fail", Go: func(context.Context, *duckstore.Tx, Run) error { return boom }},
	))
	if _, err := r.Run(ctx, time.Now()); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	var n int
	if err := s.QueryRow(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name = 'zz_partial'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatal("a failed run left a table behind")
	}
	var status, msg string
	if err := s.QueryRow(ctx, `SELECT status, error FROM transform_runs`).Scan(&status, &msg); err != nil {
		t.Fatal(err)
	}
	if status != "failed" || msg == "" {
		t.Fatalf("recorded %s %q", status, msg)
	}
}

func TestRunnerRejectsDuplicateStepNames(t *testing.T) {
	noop := func(context.Context, *duckstore.Tx, Run) error { return nil }
	if _, err := NewPipeline(Step{Name: "x", Go: noop}, Step{Name: "x", Go: noop}); err == nil {
		t.Fatal("duplicate step names accepted")
	}
	if _, err := NewPipeline(Step{Name: "010_current_orders", Go: noop}); err == nil {
		t.Fatal("a Go step named like a SQL step accepted")
	}
	if _, err := NewPipeline(Step{Name: "x"}); err == nil {
		t.Fatal("a step with neither SQL nor Go accepted")
	}
}
