// Package scheduler runs jobs (Job, the program's one job type): on cron
// schedules (robfig/cron/v3) inside `insights serve`, catching up a missed
// activation at start, or once from `insights run` and `insights backfill`.
// Every run, however it was started, goes through Runner: retries with
// back-off (none for a Permanent error), panics turned into failures, one row
// of run history (none for an idle scheduled run of a QuietWhenIdle job),
// metrics.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Job is one unit of work, and the only job type: the app declares its jobs
// (ingest, transform, reports, review-pack, batch, analytics-reports) as Jobs,
// the scheduler fires them, `insights run` and `insights backfill` (in the
// process or through the admin socket) run them through the Runner. Run
// returns how many rows (or files) it produced, for run history and metrics;
// an error wrapped by Permanent is not retried.
type Job struct {
	Name string
	Spec string // cron spec; "" = run only on demand
	Run  func(ctx context.Context, asOf time.Time) (rows int64, err error)
	// QuietWhenIdle leaves out of the history (and logs at debug) a run
	// that was not started by hand (a scheduled or catch-up run, not `run`
	// nor `backfill`) and succeeded having done nothing (0
	// rows). For a job that polls every few minutes, such as the partners'
	// scheduled reports, whose 288 idle runs a day would bury the nightly
	// batch in `insights runs`. Its runs still count in the metrics; one that
	// fails or does something is recorded, and it has no 'running' row while
	// it runs (a crash leaves nothing to recover: the job's own state
	// says what is still due).
	QuietWhenIdle bool
}

// Trigger says why a run happened.
type Trigger string

const (
	TriggerSchedule Trigger = "schedule"
	TriggerCatchUp  Trigger = "catch-up"
	TriggerManual   Trigger = "manual"
	TriggerBackfill Trigger = "backfill"
)

// Status is how a run ended.
type Status string

const (
	StatusSucceeded Status = "succeeded"
	StatusFailed    Status = "failed"
	StatusSkipped   Status = "skipped" // the previous run of the job was still going
	StatusRunning   Status = "running" // started, not ended (or its process died: see DBHistory.Recover)
)

// Run is one row of run history.
type Run struct {
	ID          int64
	Job         string
	Trigger     Trigger
	ScheduledAt time.Time // the cron activation; zero for manual runs and backfills
	AsOf        time.Time
	StartedAt   time.Time
	EndedAt     time.Time
	Status      Status
	Rows        int64
	Attempts    int
	Error       string
}

// Duration is how long the run took.
func (r Run) Duration() time.Duration { return r.EndedAt.Sub(r.StartedAt) }

// History stores runs.
type History interface {
	// Start stores a run as it begins (status running) and sets its ID, so a
	// run cut short by a crash still appears in the history.
	Start(ctx context.Context, r *Run) error
	// Record stores how a run ended: it completes the row Start stored (r.ID
	// set), or inserts a run that never started (a skipped firing) and sets its ID.
	Record(ctx context.Context, r *Run) error
	// LastRun is the time of the job's latest schedule-related run (its
	// activation, or its start for a manual run); ok is false if none.
	LastRun(ctx context.Context, job string) (t time.Time, ok bool, err error)
}

// Policy is how failed runs are retried.
type Policy struct {
	Retries    int           // attempts after the first; 0 = none
	Backoff    time.Duration // wait before the first retry; doubles after each
	MaxBackoff time.Duration // cap on one wait
}

// DefaultPolicy is two retries, 30s then 60s apart.
func DefaultPolicy() Policy {
	return Policy{Retries: 2, Backoff: 30 * time.Second, MaxBackoff: 10 * time.Minute}
}

// wait is the pause before retry number n (1-based).
func (p Policy) wait(n int) time.Duration {
	d := p.Backoff
	for i := 1; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	if p.MaxBackoff > 0 && d > p.MaxBackoff {
		d = p.MaxBackoff
	}
	return d
}

// maxErrorText bounds the error kept in history; a runaway message (a whole
// SQL script) should not bloat the table or the `runs` listing.
const maxErrorText = 4000

// recordTimeout bounds writing one history row, which happens even when the
// run's own context was cancelled by shutdown.
const recordTimeout = 10 * time.Second

// Runner executes jobs and records them.
type Runner struct {
	policy  Policy
	hist    History
	metrics *Metrics
	clock   Clock
	log     *slog.Logger
	running *running // shared by WithPolicy copies: one run at a time per job

	onFinish []func(Run)
}

// running is the set of jobs with a run in progress.
type running struct {
	mu   sync.Mutex
	jobs map[string]bool
}

func (r *running) start(job string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.jobs[job] {
		return false
	}
	r.jobs[job] = true
	return true
}

func (r *running) end(job string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.jobs, job)
}

// WithPolicy is the same runner (history, metrics, log, and the one-run-at-a-
// time rule) with another retry policy: `insights run --retries N` inside the
// service.
func (r *Runner) WithPolicy(p Policy) *Runner {
	c := *r
	c.policy = p
	return &c
}

// OnFinish adds f to what is called after each run has been recorded (the
// service refreshes its in-memory report catalog this way). Call it before
// the first run.
func (r *Runner) OnFinish(f func(Run)) { r.onFinish = append(r.onFinish, f) }

// NewRunner builds a runner. metrics may be nil; clock nil means the wall clock.
func NewRunner(p Policy, hist History, metrics *Metrics, clock Clock, log *slog.Logger) *Runner {
	if clock == nil {
		clock = RealClock()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{policy: p, hist: hist, metrics: metrics, clock: clock, log: log, running: &running{jobs: map[string]bool{}}}
}

// PanicError is a job's panic, turned into a failure.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// permanentError marks a failure that a retry cannot fix (the data does not
// cover the report month, say): the run fails at once instead of waiting out
// the back-off only to fail the same way.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// Run runs job for asOf, retrying failures per the policy, and records the
// outcome. The returned error is only about recording; the job's own failure
// is in the Run. A cancelled ctx stops retries and is passed to the job.
func (r *Runner) Run(ctx context.Context, job Job, trig Trigger, scheduled, asOf time.Time) (Run, error) {
	run := Run{Job: job.Name, Trigger: trig, ScheduledAt: scheduled, AsOf: asOf, StartedAt: r.clock.Now()}
	log := r.log.With("job", job.Name, "trigger", string(trig), "as_of", asOf.Format(time.DateOnly))
	// A job started by hand (through the admin socket) while its scheduled run
	// is going, or the other way round, is skipped, not run twice at once.
	if !r.running.start(job.Name) {
		run.EndedAt, run.Status, run.Error = run.StartedAt, StatusSkipped, "another run of the job was still going"
		log.Warn("another run of the job is still going; run skipped")
		r.metrics.skipped(job.Name)
		return run, r.record(ctx, &run)
	}
	defer r.running.end(job.Name)
	quiet := job.QuietWhenIdle && (trig == TriggerSchedule || trig == TriggerCatchUp)
	if quiet {
		log.Debug("job started")
	} else {
		log.Info("job started")
		r.start(ctx, &run)
	}
	r.metrics.started(job.Name)
	var err error
	for {
		run.Attempts++
		run.Rows, err = r.attempt(ctx, job, asOf)
		if err == nil {
			break
		}
		var pe *PanicError
		if errors.As(err, &pe) {
			// A panic is a bug, not a transient failure: retrying would only repeat it.
			log.Error("job panicked", "attempt", run.Attempts, "panic", fmt.Sprint(pe.Value), "stack", string(pe.Stack))
			break
		}
		var perm *permanentError
		if run.Attempts > r.policy.Retries || ctx.Err() != nil || errors.As(err, &perm) {
			break
		}
		wait := r.policy.wait(run.Attempts)
		log.Warn("job failed; retrying", "attempt", run.Attempts, "retry_in", wait.String(), "err", err)
		r.metrics.retried(job.Name)
		if !r.sleep(ctx, wait) {
			err = fmt.Errorf("%w (retry abandoned: %v)", err, context.Cause(ctx))
			break
		}
	}
	run.EndedAt = r.clock.Now()
	if err != nil {
		run.Status, run.Error = StatusFailed, truncate(err.Error(), maxErrorText)
		log.Error("job failed", "attempts", run.Attempts, "duration", run.Duration().String(), "err", err)
	} else {
		run.Status = StatusSucceeded
		level := slog.LevelInfo
		if quiet && run.Rows == 0 {
			level = slog.LevelDebug
		}
		log.Log(ctx, level, "job succeeded", "attempts", run.Attempts, "rows", run.Rows, "duration", run.Duration().String())
	}
	r.metrics.finished(run)
	if !quiet || run.Status != StatusSucceeded || run.Rows != 0 {
		err = r.record(ctx, &run)
	}
	for _, f := range r.onFinish {
		f(run)
	}
	return run, err
}

// attempt runs the job once, converting a panic into a *PanicError.
func (r *Runner) attempt(ctx context.Context, job Job, asOf time.Time) (rows int64, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	return job.Run(ctx, asOf)
}

// sleep waits d on the runner's clock; false if ctx ended first.
func (r *Runner) sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-r.clock.After(d):
		return true
	}
}

// start records run as running. A failure is logged and the run goes on: it
// is then recorded once, when it ends.
func (r *Runner) start(ctx context.Context, run *Run) {
	if r.hist == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := r.hist.Start(ctx, run); err != nil {
		run.ID = 0
		r.log.Error("recording the start of a run failed", "job", run.Job, "err", err)
	}
	run.Status = ""
}

// record stores run even when ctx is already cancelled (a run cut short by
// shutdown must still appear in history).
func (r *Runner) record(ctx context.Context, run *Run) error {
	if r.hist == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := r.hist.Record(ctx, run); err != nil {
		r.log.Error("recording run failed", "job", run.Job, "status", string(run.Status), "err", err)
		return fmt.Errorf("record run of %s: %w", run.Job, err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
