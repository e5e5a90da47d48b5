package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
)

// Options configure a Scheduler.
type Options struct {
	CronTZ      string        // zone of specs without their own CRON_TZ; "" = the machine's zone
	CatchUp     bool          // at start, run each job once if its last activation was missed
	CancelGrace time.Duration // after Stop's bound, how long cancelled jobs get to return (default 10s)
}

// Scheduler fires jobs on their cron specs.
type Scheduler struct {
	runner  *Runner
	clock   Clock
	log     *slog.Logger
	opts    Options
	cron    *cron.Cron
	entries []*entry // job order

	// adding is the entry being registered while cron applies its chain to it;
	// see observeSkips.
	adding *entry

	// Jobs run on their own context, not the caller's: a shutdown signal must
	// first give running jobs the shutdown bound to finish (Stop cancels it).
	jobCtx     context.Context
	cancelJobs context.CancelFunc

	mu          sync.Mutex
	stopping    bool
	wg          sync.WaitGroup // runs and the catch-up pass in progress
	catchUpDone chan struct{}  // closed when the start-up catch-up pass is over
}

// entry is one scheduled job; it is the cron.Job that cron fires.
type entry struct {
	s       *Scheduler
	job     Job
	spec    string // normalized
	sched   cron.Schedule
	loc     *time.Location
	wrapped cron.Job                  // the job inside cron's chain
	starts  atomic.Int64              // runs that got past SkipIfStillRunning
	pending atomic.Pointer[time.Time] // a missed activation the next Run catches up
}

// New validates every job's spec (listing every problem) and registers the
// scheduled ones. Jobs with an empty spec are not scheduled.
func New(jobs []Job, runner *Runner, o Options) (*Scheduler, error) {
	if o.CancelGrace <= 0 {
		o.CancelGrace = 10 * time.Second
	}
	specs := map[string]string{}
	var errs []error
	for _, j := range jobs {
		if _, dup := specs[j.Name]; dup {
			errs = append(errs, fmt.Errorf("job %s: listed twice", j.Name))
			continue
		}
		specs[j.Name] = j.Spec
	}
	errs = append(errs, CheckSpecs(specs, o.CronTZ)...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("invalid schedules: %w", errors.Join(errs...))
	}
	loc := time.Local
	if o.CronTZ != "" {
		loc, _ = time.LoadLocation(o.CronTZ) // checked by CheckSpecs
	}

	s := &Scheduler{runner: runner, clock: runner.clock, log: runner.log, opts: o, catchUpDone: make(chan struct{})}
	s.jobCtx, s.cancelJobs = context.WithCancel(context.Background())
	cl := cronLogger{runner.log}
	s.cron = cron.New(
		cron.WithParser(specParser),
		cron.WithLocation(loc),
		cron.WithLogger(cl),
		// Recover is not on by default in cron v3; SkipIfStillRunning keeps a
		// slow job from piling up behind itself. observeSkips sits between
		// them to record the firings SkipIfStillRunning drops.
		cron.WithChain(cron.Recover(cl), s.observeSkips, cron.SkipIfStillRunning(cl)),
	)
	for _, j := range jobs {
		if j.Spec == "" {
			continue
		}
		e := &entry{s: s, job: j, spec: NormalizeSpec(j.Spec, o.CronTZ)}
		e.sched, _ = ParseSpec(e.spec) // checked above
		e.loc = location(e.sched, loc)
		s.adding = e
		id, err := s.cron.AddJob(e.spec, e)
		s.adding = nil
		if err != nil {
			return nil, fmt.Errorf("schedule job %s: %w", j.Name, err)
		}
		e.wrapped = s.cron.Entry(id).WrappedJob
		s.entries = append(s.entries, e)
	}
	return s, nil
}

// Start starts firing jobs and, if configured, catches up missed runs in the
// background (one job at a time, in job order).
func (s *Scheduler) Start() {
	s.cron.Start()
	now := s.clock.Now()
	for _, e := range s.entries {
		s.log.Info("job scheduled", "job", e.job.Name, "spec", e.spec, "next", e.sched.Next(now))
	}
	if !s.opts.CatchUp || !s.enter() {
		close(s.catchUpDone)
		return
	}
	go func() {
		defer s.wg.Done()
		defer close(s.catchUpDone)
		s.catchUp(s.jobCtx)
	}()
}

// Stop stops firing and waits for running jobs until ctx ends; then it
// cancels them and waits up to CancelGrace more. It returns an error if a job
// is still running after that.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.stopping = true
	s.mu.Unlock()
	cronDone := s.cron.Stop()
	done := make(chan struct{})
	go func() {
		<-cronDone.Done()
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		s.cancelJobs()
		return nil
	case <-ctx.Done():
	}
	s.log.Warn("shutdown bound reached; cancelling running jobs")
	s.cancelJobs()
	select {
	case <-done:
		return nil
	case <-s.clock.After(s.opts.CancelGrace):
		return fmt.Errorf("jobs still running %s after being cancelled", s.opts.CancelGrace)
	}
}

// enter registers a run unless the scheduler is stopping.
func (s *Scheduler) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return false
	}
	s.wg.Add(1)
	return true
}

// Run is what cron fires (inside its chain).
func (e *entry) Run() {
	e.starts.Add(1)
	s := e.s
	if !s.enter() {
		return
	}
	defer s.wg.Done()
	trig, scheduled := e.firing()
	// The run is logged and recorded by the runner; a recording error has
	// been logged there and must not stop the service.
	_, _ = s.runner.Run(s.jobCtx, e.job, trig, scheduled, dateIn(scheduled, e.loc))
}

// firing says what the current firing is for: a pending catch-up, or the
// activation that cron just fired.
func (e *entry) firing() (Trigger, time.Time) {
	if p := e.pending.Swap(nil); p != nil {
		return TriggerCatchUp, *p
	}
	now := e.s.clock.Now()
	if _, every := e.sched.(cron.ConstantDelaySchedule); !every {
		if t, ok := lastActivation(e.sched, now, now.Add(-lookback)); ok {
			return TriggerSchedule, t
		}
	}
	return TriggerSchedule, now.Truncate(time.Second)
}

// observeSkips is a cron.JobWrapper placed outside SkipIfStillRunning. That
// wrapper drops a firing silently, so this one notices a firing that did not
// reach the entry and records it as skipped. cron applies the chain inside
// AddJob, so s.adding names the entry being wrapped.
func (s *Scheduler) observeSkips(inner cron.Job) cron.Job {
	e := s.adding
	if e == nil {
		return inner
	}
	return cron.FuncJob(func() {
		before := e.starts.Load()
		inner.Run()
		// While stopping, a firing that did not start was refused by enter,
		// not skipped, and the history may be closing.
		if e.starts.Load() == before && !s.isStopping() {
			s.recordSkip(e)
		}
	})
}

func (s *Scheduler) recordSkip(e *entry) {
	trig, scheduled := e.firing()
	now := s.clock.Now()
	s.log.Warn("previous run still going; firing skipped", "job", e.job.Name, "scheduled", scheduled)
	run := Run{Job: e.job.Name, Trigger: trig, ScheduledAt: scheduled, AsOf: dateIn(scheduled, e.loc),
		StartedAt: now, EndedAt: now, Status: StatusSkipped, Error: "the previous run was still going"}
	s.runner.metrics.skipped(e.job.Name)
	_ = s.runner.record(s.jobCtx, &run) // logged there
}

// catchUp runs once each job whose latest activation since its last recorded
// run has passed: what the service missed while it was down. A job with no
// history has missed nothing.
func (s *Scheduler) catchUp(ctx context.Context) {
	if s.runner.hist == nil {
		return
	}
	now := s.clock.Now()
	for _, e := range s.entries {
		if ctx.Err() != nil || s.isStopping() {
			return
		}
		last, ok, err := s.runner.hist.LastRun(ctx, e.job.Name)
		if err != nil {
			s.log.Error("catch-up: reading run history failed", "job", e.job.Name, "err", err)
			continue
		}
		if !ok {
			continue
		}
		missed, ok := lastActivation(e.sched, now, last)
		if !ok {
			continue
		}
		s.log.Info("catching up a missed run", "job", e.job.Name, "scheduled", missed, "last_run", last)
		e.pending.Store(&missed)
		e.wrapped.Run() // through the chain, so it never overlaps a scheduled firing
	}
}

func (s *Scheduler) isStopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}

// cronLogger sends cron's own logging to slog. cron logs every wake-up at
// Info, which is debug detail here; skips are logged by observeSkips.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}
