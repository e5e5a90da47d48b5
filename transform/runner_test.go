package transform

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

func openStore(t *testing.T) *duckstore.Store {
	t.Helper()
	s, err := duckstore.Open(context.Background(), duckstore.Config{Path: filepath.Join(t.TempDir(), "t.duckdb"), Threads: 1, MemoryLimit: "1GB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestRunnerOrdersStepsAndExposesRunVariables(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	var order []string
	goStep := func(name string) Step {
		return Step{Name: name, Go: func(ctx context.Context, tx *duckstore.Tx, run Run) error {
			order = append(order, name)
			_, err := tx.Exec(ctx, `CREATE OR REPLACE TABLE zz_probe AS SELECT getvariable('run_id') AS run_id, getvariable('as_of') AS as_of`)
			return err
		}}
	}
	r := NewRunner(s, nil, []Step{goStep("999_b_last"), goStep("000_a_first")})
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
	other, err := NewRunner(s, nil, nil, "other rules").Run(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if other.ID == run.ID {
		t.Fatal("a different fingerprint kept the run id")
	}
}

func TestRunnerRollsBackAFailedRunAndRecordsIt(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	boom := errors.New("boom")
	r := NewRunner(s, nil, []Step{
		{Name: "000_create", Go: func(ctx context.Context, tx *duckstore.Tx, _ Run) error {
			_, err := tx.Exec(ctx, `CREATE TABLE zz_partial (x INTEGER)`)
			return err
		}},
		{Name: "999_fail", Go: func(context.Context, *duckstore.Tx, Run) error { return boom }},
	})
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
	r := NewRunner(openStore(t), nil, []Step{{Name: "x", Go: noop}, {Name: "x", Go: noop}})
	if _, err := r.Steps(); err == nil {
		t.Fatal("duplicate step names accepted")
	}
}
