package scheduler

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// crashHelperEnv makes the test binary act as a process that starts a run and
// hangs in it until it is killed (see TestCrashedRunHistory).
const crashHelperEnv = "INSIGHTS_TEST_CRASH_DB"

func init() {
	db := os.Getenv(crashHelperEnv)
	if db == "" {
		return
	}
	ctx := context.Background()
	s, err := duckstore.Open(ctx, duckstore.Config{Path: db, Threads: 1, MemoryLimit: "256MB"}, nil)
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(3)
	}
	runner := NewRunner(Policy{}, NewDBHistory(s), nil, nil, nil)
	job := Job{Name: "batch", Run: func(context.Context, time.Time) (int64, error) {
		os.Stdout.WriteString("started\n") // the run's row is committed by now
		select {}                          // until SIGKILL
	}}
	_, _ = runner.Run(ctx, job, TriggerSchedule, crashActivation, crashActivation)
	os.Exit(4) // never reached
}

var (
	crashPrevious   = time.Date(2025, 7, 1, 3, 0, 0, 0, time.UTC) // the last activation that ran to the end
	crashActivation = time.Date(2025, 7, 2, 3, 0, 0, 0, time.UTC) // the one the killed process was running
)

// TestCrashedRunHistory: a batch killed with SIGKILL in the middle of its run
// leaves a 'running' row with its pid; the next start marks it failed
// ("interrupted: process ended"), and catch-up runs that activation again
// (issue 15 item 4).
func TestCrashedRunHistory(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "t.duckdb")
	s, err := duckstore.Open(ctx, duckstore.Config{Path: db, Threads: 1, MemoryLimit: "256MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	prev := Run{Job: "batch", Trigger: TriggerSchedule, ScheduledAt: crashPrevious, AsOf: crashPrevious,
		StartedAt: crashPrevious, EndedAt: crashPrevious.Add(time.Minute), Status: StatusSucceeded, Attempts: 1}
	if err := NewDBHistory(s).Record(ctx, &prev); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// The other process: starts the run, then is killed mid-run.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashHelperEnv+"="+db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(out).ReadString('\n')
		line <- l
	}()
	select {
	case l := <-line:
		if l != "started\n" {
			_ = cmd.Process.Kill()
			t.Fatalf("helper said %q", l)
		}
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the helper did not start its run")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	pid := cmd.Process.Pid

	s, err = duckstore.Open(ctx, duckstore.Config{Path: db, Threads: 1, MemoryLimit: "256MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	type row struct {
		status, errText string
		pid             int
		ended           sql.NullTime
		interrupted     bool
	}
	read := func() row {
		t.Helper()
		var r row
		var errText sql.NullString
		if err := s.QueryRow(ctx, `SELECT status, error_message, pid, ended_at, interrupted FROM job_runs WHERE scheduled_at = ?`, crashActivation).
			Scan(&r.status, &errText, &r.pid, &r.ended, &r.interrupted); err != nil {
			t.Fatal(err)
		}
		r.errText = errText.String
		return r
	}
	// The killed run is in the history: it was recorded when it started.
	if r := read(); r.status != "running" || r.pid != pid || r.ended.Valid {
		t.Fatalf("after SIGKILL: %+v, want running with pid %d and no end", r, pid)
	}

	h := NewDBHistory(s)
	// While it is still marked running it does not count as a run for catch-up.
	if last, _, err := h.LastRun(ctx, "batch"); err != nil || !last.Equal(crashPrevious) {
		t.Fatalf("LastRun = %v %v, want the previous complete run %v", last, err, crashPrevious)
	}

	// The next start: the scheduler, with catch-up on, over this history.
	var caughtUp []time.Time
	job := Job{Name: "batch", Spec: "0 3 * * *", Run: func(_ context.Context, asOf time.Time) (int64, error) {
		caughtUp = append(caughtUp, asOf)
		return 1, nil
	}}
	interrupted, err := h.Recover(ctx)
	if err != nil || len(interrupted) != 1 || interrupted[0].Job != "batch" {
		t.Fatalf("Recover = %+v %v, want the one batch run", interrupted, err)
	}
	if r := read(); r.status != "failed" || r.errText != InterruptedError || !r.interrupted || r.ended.Valid {
		t.Fatalf("after recovery: %+v, want failed, %q, end unknown", r, InterruptedError)
	}
	clock := newFakeClock(crashActivation.Add(5 * time.Hour))
	sched, _ := newTestScheduler(t, []Job{job}, clock, h, Options{CronTZ: "UTC", CatchUp: true})
	sched.Start()
	waitFor(t, sched.catchUpDone, "the catch-up pass")
	if err := sched.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if len(caughtUp) != 1 || !caughtUp[0].Equal(time.Date(2025, 7, 2, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("catch-up ran %v, want the interrupted 07-02 activation once", caughtUp)
	}
	var statuses string
	if err := s.QueryRow(ctx, `SELECT string_agg(trigger_kind || ':' || status, ',' ORDER BY run_id) FROM job_runs`).Scan(&statuses); err != nil {
		t.Fatal(err)
	}
	if want := "schedule:succeeded,schedule:failed,catch-up:succeeded"; statuses != want {
		t.Fatalf("history %s, want %s", statuses, want)
	}
	// Recovering again changes nothing: the catch-up run ended properly.
	if again, err := h.Recover(ctx); err != nil || len(again) != 0 {
		t.Fatalf("second Recover = %v %v", again, err)
	}
}

// TestRecoverSparesThisProcessRuns: a run of this very process that is still
// going is not marked interrupted, even by another history on the same store
// (the admin socket may open one while a scheduled run goes on).
func TestRecoverSparesThisProcessRuns(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	mine := Run{Job: "reports", Trigger: TriggerManual, AsOf: crashPrevious, StartedAt: crashPrevious}
	if err := NewDBHistory(s).Start(ctx, &mine); err != nil {
		t.Fatal(err)
	}
	// A row left by another process (same host, another pid and start).
	if _, err := s.Exec(ctx, `INSERT INTO job_runs (job, trigger_kind, as_of, started_at, status, pid, host, process_key)
		VALUES ('batch', 'manual', DATE '2025-07-01', TIMESTAMP '2025-07-01 03:00:00', 'running', 1, 'h', 'h:1:1')`); err != nil {
		t.Fatal(err)
	}
	got, err := NewDBHistory(s).Recover(ctx)
	if err != nil || len(got) != 1 || got[0].Job != "batch" {
		t.Fatalf("Recover = %+v %v, want only the other process's run", got, err)
	}
	var status string
	if err := s.QueryRow(ctx, `SELECT status FROM job_runs WHERE run_id = ?`, mine.ID).Scan(&status); err != nil || status != "running" {
		t.Fatalf("this process's run is %q (%v), want running", status, err)
	}
	mine.EndedAt, mine.Status, mine.Attempts = crashPrevious.Add(time.Minute), StatusSucceeded, 1
	if err := NewDBHistory(s).Record(ctx, &mine); err != nil {
		t.Fatal(err)
	}
	if err := s.QueryRow(ctx, `SELECT status FROM job_runs WHERE run_id = ?`, mine.ID).Scan(&status); err != nil || status != "succeeded" {
		t.Fatalf("completed run is %q (%v)", status, err)
	}
}
