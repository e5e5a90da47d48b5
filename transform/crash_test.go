package transform

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// crashHelperEnv makes the test binary a process that runs one transform of
// the database it names ("incremental|path" or "full|path") and is killed with
// SIGKILL somewhere in it (TestKilledTransformRuns).
const crashHelperEnv = "INSIGHTS_TEST_TRANSFORM_CRASH"

func init() {
	v := os.Getenv(crashHelperEnv)
	if v == "" {
		return
	}
	mode, db, _ := strings.Cut(v, "|")
	ctx := context.Background()
	s, err := duckstore.Open(ctx, duckstore.Config{Path: db, Threads: 1, MemoryLimit: "1GB"}, nil)
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(3)
	}
	p, err := Default(tiers.Default())
	if err != nil {
		os.Exit(3)
	}
	r := NewRunner(s, nil, p)
	os.Stdout.WriteString("started\n")
	run := r.RunIncremental
	if mode == "full" {
		run = r.RunFull
	}
	if _, err := run(ctx, fixtureAsOf); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(5)
	}
	_ = s.Close()
	os.Exit(0)
}

// TestKilledTransformRuns: transforms, incremental and full, killed with
// SIGKILL at random points leave the last successful state (every table of the
// transform as it was, the incremental state included); the next incremental
// run redoes what the killed ones would have done and gives, table for table
// and view for view, the rows of a full run.
func TestKilledTransformRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("kills helper processes")
	}
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 23))
	t.Logf("seed %d", seed)
	db := filepath.Join(t.TempDir(), "crash.duckdb")
	open := func() *duckstore.Store {
		s, err := duckstore.Open(ctx, duckstore.Config{Path: db, Threads: 1, MemoryLimit: "1GB"}, nil)
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
	// How long an incremental run takes here: the kills land from its start to its end.
	deliver(t, s, 90, "2025-05-01")
	t0 := time.Now()
	if run, err := r.RunIncremental(ctx, fixtureAsOf); err != nil || !run.Incremental {
		t.Fatalf("incremental=%v %v", run.Incremental, err)
	}
	took := time.Since(t0)
	tables := transformTables(t, s)

	// Deliveries the killed runs and the next run must take in: late usage of two months.
	deliver(t, s, 91, "2025-05-01")
	deliver(t, s, 92, "2025-06-01")
	before := state(t, s, tables)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	landed := 0
	for i := 0; i < 6; i++ {
		mode := "incremental"
		if i%3 == 2 {
			mode = "full"
		}
		delay := time.Duration(rng.Float64() * float64(took)) // "started" is said just before the run
		finished := killTransform(t, db, mode, delay)
		s = open()
		after := state(t, s, tables)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		// A kill after the commit (while the helper closes the database) leaves a
		// finished run: its successful run is recorded.
		finished = finished || runsLine(after) != runsLine(before)
		if finished {
			// The run committed: its state is the new last successful state. One
			// more delivery, so that the next run has something to do.
			t.Logf("kill %d (%s, after %v): the run had finished", i, mode, delay)
			s = open()
			deliver(t, s, 93+i, "2025-04-01")
			before = state(t, s, tables)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		landed++
		if after != before {
			t.Fatalf("kill %d (%s, after %v) changed the database:\n%s\nwas\n%s", i, mode, delay, diffLines(after, before), diffLines(before, after))
		}
	}
	if landed == 0 {
		t.Fatalf("no kill landed inside a run (seed %d)", seed)
	}

	s = open()
	defer s.Close()
	r = NewRunner(s, nil, defaultPipeline(t, tiers.Default()))
	run, err := r.RunIncremental(ctx, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the run after the kills: %s", run.Recomputed)
	for _, tbl := range tables {
		testkit.Exec(t, s, fmt.Sprintf("CREATE TEMP TABLE %s AS FROM main.%s", duckstore.Ident("incr_"+tbl), duckstore.Ident(tbl)))
	}
	if _, err := r.RunFull(ctx, fixtureAsOf); err != nil {
		t.Fatal(err)
	}
	for _, tbl := range tables {
		mine, full := "temp.main."+duckstore.Ident("incr_"+tbl), "main."+duckstore.Ident(tbl)
		n := testkit.Str(t, s, fmt.Sprintf(`SELECT (SELECT count(*) FROM (FROM %[1]s EXCEPT ALL FROM %[2]s))
			+ (SELECT count(*) FROM (FROM %[2]s EXCEPT ALL FROM %[1]s))`, mine, full))
		if n != "0" {
			t.Errorf("%s: %s rows differ between the run after the kills and a full run", tbl, n)
		}
	}
	if got := testkit.Str(t, s, `SELECT count(*) FROM resolved_usage WHERE reference_id LIKE '%-late92'`); got == "0" {
		t.Error("the delivery the killed runs had to take in is not in resolved_usage")
	}
	t.Logf("%d of 6 kills landed inside a run", landed)
}

// deliver adds a late usage file (ledger id fileID) for month: every usage
// line of that month again, one day earlier, under new reference ids.
func deliver(t *testing.T, s *duckstore.Store, fileID int, month string) {
	t.Helper()
	testkit.Exec(t, s, fmt.Sprintf(`INSERT INTO usage SELECT * REPLACE (%[1]d AS _file_id, reference_id || '-late%[1]d' AS reference_id, usage_date - 1 AS usage_date)
		FROM usage WHERE date_trunc('month', usage_date) = DATE '%[2]s' AND reference_id IS NOT NULL AND _file_id < 90`, fileID, month))
	testkit.Exec(t, s, `INSERT INTO ingest_files VALUES (?, ?, ?, 'usage', 'csv', 0, 0, 0, 0, TIMESTAMP '2025-07-06 00:00:00')`,
		fileID, fmt.Sprintf("late%d", fileID), fmt.Sprintf("usage_late%d.csv", fileID))
}

// killTransform starts a helper process that runs a transform of db and kills
// it with SIGKILL delay after it started; finished says it had ended by then.
func killTransform(t *testing.T, db, mode string, delay time.Duration) (finished bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashHelperEnv+"="+mode+"|"+db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	started := make(chan bool, 1)
	go func() {
		l, _ := bufio.NewReader(out).ReadString('\n')
		started <- l == "started\n"
		done <- cmd.Wait()
	}()
	select {
	case ok := <-started:
		if !ok {
			_ = cmd.Process.Kill()
			t.Fatal("the helper did not start its transform")
		}
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the helper did not start its transform in 60 s")
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the helper's transform failed: %v", err)
		}
		return true
	case <-time.After(delay):
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = <-done
	return err == nil // it may have ended between the timer and the signal
}

// transformTables are the tables and views of the main schema, less those that
// record how runs went (times) rather than what they computed.
func transformTables(t *testing.T, s *duckstore.Store) []string {
	t.Helper()
	skip := map[string]bool{"transform_runs": true, "transform_run_modes": true, "job_runs": true, "schema_migrations": true,
		"data_watermark_history": true, "data_watermarks": true}
	var out []string
	for _, n := range testkit.Rows(t, s, `SELECT table_name FROM information_schema.tables
		WHERE table_catalog = current_database() AND table_schema = 'main' ORDER BY table_name`) {
		if !skip[n] {
			out = append(out, n)
		}
	}
	if len(out) < 30 {
		t.Fatalf("only %d tables: %v", len(out), out)
	}
	return out
}

// state is every table's row count and a hash of its rows (order-free), the
// successful runs and the incremental transform's state.
func state(t *testing.T, s *duckstore.Store, tables []string) string {
	t.Helper()
	var b strings.Builder
	for _, tbl := range tables {
		fmt.Fprintf(&b, "%s %s\n", tbl, testkit.Str(t, s, fmt.Sprintf(`SELECT count(*) || ' ' || coalesce(sum(hash(x)::HUGEINT), 0) FROM main.%s x`, duckstore.Ident(tbl))))
	}
	fmt.Fprintf(&b, "runs %s\n", testkit.Str(t, s, `SELECT count(*) || ' ' || coalesce(max(started_at)::VARCHAR, '') FROM transform_runs WHERE status = 'succeeded'`))
	return b.String()
}

// runsLine is the successful runs' line of a state.
func runsLine(state string) string {
	_, runs, _ := strings.Cut(state, "\nruns ")
	return runs
}

// diffLines lists the lines of a that b lacks.
func diffLines(a, b string) string {
	have := map[string]bool{}
	for _, l := range strings.Split(b, "\n") {
		have[l] = true
	}
	var out []string
	for _, l := range strings.Split(a, "\n") {
		if !have[l] {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
