package scheduler

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

func newTestScheduler(t *testing.T, jobs []Job, clock Clock, hist History, o Options) (*Scheduler, *Metrics) {
	t.Helper()
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(jobs, NewRunner(Policy{Retries: 2, Backoff: time.Minute}, hist, m, clock, nil), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	return s, m
}

func (s *Scheduler) entryFor(t *testing.T, name string) *entry {
	t.Helper()
	for _, e := range s.entries {
		if e.job.Name == name {
			return e
		}
	}
	t.Fatalf("job %s not scheduled", name)
	return nil
}

func TestNewListsEveryBadSpec(t *testing.T) {
	noop := func(context.Context, time.Time) (int64, error) { return 0, nil }
	jobs := []Job{
		{Name: "ingest", Spec: "*/5 * *", Run: noop},
		{Name: "transform", Spec: "0 3 * * *", Run: noop},
		{Name: "reports", Spec: "0 99 * * *", Run: noop},
		{Name: "reports", Spec: "", Run: noop},
	}
	_, err := New(jobs, NewRunner(DefaultPolicy(), nil, nil, nil, nil), Options{})
	if err == nil {
		t.Fatal("bad specs accepted")
	}
	for _, want := range []string{"job ingest", "job reports: listed twice", "99"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
}

func TestSkipIfStillRunning(t *testing.T) {
	clock := newFakeClock(t0.Add(2 * time.Second)) // cron fired at 03:00:00, we run a moment later
	hist := &memHistory{}
	started, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	job := Job{Name: "batch", Spec: "0 3 * * *", Run: func(ctx context.Context, asOf time.Time) (int64, error) {
		if calls.Add(1) == 1 {
			close(started)
		}
		<-release
		return 7, nil
	}}
	s, m := newTestScheduler(t, []Job{job}, clock, hist, Options{CronTZ: "UTC"})
	e := s.entryFor(t, "batch")

	firstDone := make(chan struct{})
	go func() { e.wrapped.Run(); close(firstDone) }()
	waitFor(t, started, "the first run to start")
	e.wrapped.Run() // a second firing while the first is still going: returns at once
	close(release)
	waitFor(t, firstDone, "the first run to end")

	if calls.Load() != 1 {
		t.Fatalf("job ran %d times, want 1", calls.Load())
	}
	runs := hist.all()
	if len(runs) != 2 {
		t.Fatalf("history has %d runs, want skipped + succeeded: %+v", len(runs), runs)
	}
	// The run is recorded when it starts, so it comes before the skipped firing.
	done, skipped := runs[0], runs[1]
	if skipped.Status != StatusSkipped || skipped.Attempts != 0 || skipped.Error == "" {
		t.Fatalf("second recorded = %+v, want the skipped firing", skipped)
	}
	if done.Status != StatusSucceeded || done.Rows != 7 || done.Trigger != TriggerSchedule {
		t.Fatalf("first recorded = %+v, want the successful run", done)
	}
	for _, r := range runs {
		if !r.ScheduledAt.Equal(t0) || !r.AsOf.Equal(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("run %s scheduled %v as of %v, want the 03:00 activation of 2025-06-30", r.Status, r.ScheduledAt, r.AsOf)
		}
	}
	if got := testutil.ToFloat64(m.runs.WithLabelValues("batch", "skipped")); got != 1 {
		t.Fatalf("skipped metric = %v", got)
	}
}

func TestPanickingJobRecordedAsFailedAndNextRuns(t *testing.T) {
	clock := newFakeClock(t0)
	hist := &memHistory{}
	var nextRuns atomic.Int32
	jobs := []Job{
		{Name: "boom", Spec: "0 3 * * *", Run: func(context.Context, time.Time) (int64, error) { panic("kaboom") }},
		{Name: "next", Spec: "0 3 * * *", Run: func(context.Context, time.Time) (int64, error) { nextRuns.Add(1); return 1, nil }},
	}
	s, m := newTestScheduler(t, jobs, clock, hist, Options{CronTZ: "UTC"})
	// Fire as cron does, through its chain, twice: the service carries on.
	for range 2 {
		s.entryFor(t, "boom").wrapped.Run()
		s.entryFor(t, "next").wrapped.Run()
	}
	runs := hist.all()
	if len(runs) != 4 {
		t.Fatalf("history has %d runs, want 4: %+v", len(runs), runs)
	}
	for i, r := range runs {
		switch r.Job {
		case "boom":
			if r.Status != StatusFailed || r.Error != "panic: kaboom" || r.Attempts != 1 {
				t.Fatalf("run %d = %+v, want failed with the panic text", i, r)
			}
		case "next":
			if r.Status != StatusSucceeded {
				t.Fatalf("run %d = %+v, want succeeded", i, r)
			}
		}
	}
	if nextRuns.Load() != 2 {
		t.Fatalf("next ran %d times, want 2", nextRuns.Load())
	}
	if got := testutil.ToFloat64(m.failures.WithLabelValues("boom")); got != 2 {
		t.Fatalf("failures metric = %v, want 2", got)
	}
}

// TestLiveCronWiring lets the real cron fire every second for a moment: a
// panicking job and a healthy one both keep being fired. It waits on
// channels, bounded, rather than sleeping.
func TestLiveCronWiring(t *testing.T) {
	hist := &memHistory{}
	var panics atomic.Int32
	healthy := make(chan struct{}, 10)
	jobs := []Job{
		{Name: "boom", Spec: "* * * * * *", Run: func(context.Context, time.Time) (int64, error) {
			panics.Add(1)
			panic("kaboom")
		}},
		{Name: "next", Spec: "* * * * * *", Run: func(context.Context, time.Time) (int64, error) {
			healthy <- struct{}{}
			return 1, nil
		}},
	}
	s, _ := newTestScheduler(t, jobs, RealClock(), hist, Options{CronTZ: "UTC"})
	s.Start()
	for i := range 2 {
		select {
		case <-healthy:
		case <-time.After(5 * time.Second):
			t.Fatalf("healthy job fired %d times, want 2", i)
		}
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if panics.Load() < 1 {
		t.Fatal("panicking job was never fired")
	}
	for _, r := range hist.all() {
		if r.Job == "boom" && (r.Status != StatusFailed || r.Error != "panic: kaboom") {
			t.Fatalf("panicking run recorded as %+v", r)
		}
		if r.Trigger != TriggerSchedule || r.ScheduledAt.IsZero() || r.ScheduledAt.Nanosecond() != 0 {
			t.Fatalf("run %+v: want a schedule trigger at a whole second", r)
		}
	}
}

func openStore(t *testing.T) *duckstore.Store {
	t.Helper()
	s, err := duckstore.Open(context.Background(), duckstore.Config{Path: filepath.Join(t.TempDir(), "t.duckdb"), Threads: 1, MemoryLimit: "256MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestCatchUpAfterDowntime(t *testing.T) {
	for _, catchUp := range []bool{true, false} {
		name := "on"
		if !catchUp {
			name = "off"
		}
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			hist := NewDBHistory(openStore(t))
			var batchAsOf []time.Time
			ran := map[string]int{}
			mk := func(name string) Job {
				return Job{Name: name, Spec: "0 3 * * *", Run: func(_ context.Context, asOf time.Time) (int64, error) {
					ran[name]++ // catch-up runs one job at a time
					if name == "batch" {
						batchAsOf = append(batchAsOf, asOf)
					}
					return 1, nil
				}}
			}
			jobs := []Job{mk("ingest"), mk("batch"), mk("reports")}

			// Day 1: the service fires both ingest and batch at 03:00, then goes down.
			clock := newFakeClock(time.Date(2025, 7, 1, 3, 0, 1, 0, time.UTC))
			before, _ := newTestScheduler(t, jobs, clock, hist, Options{CronTZ: "UTC", CatchUp: catchUp})
			before.entryFor(t, "ingest").wrapped.Run()
			before.entryFor(t, "batch").wrapped.Run()
			if err := before.Stop(ctx); err != nil {
				t.Fatal(err)
			}
			// Someone ran ingest by hand on day 3 after 03:00: that covers its activation.
			manual := Run{Job: "ingest", Trigger: TriggerManual, AsOf: time.Date(2025, 7, 3, 0, 0, 0, 0, time.UTC),
				StartedAt: time.Date(2025, 7, 3, 4, 0, 0, 0, time.UTC), EndedAt: time.Date(2025, 7, 3, 4, 1, 0, 0, time.UTC),
				Status: StatusSucceeded, Attempts: 1}
			if err := hist.Record(ctx, &manual); err != nil {
				t.Fatal(err)
			}
			clear(ran)
			batchAsOf = nil

			// Day 3, 10:00: the service comes back after missing two 03:00 batches.
			clock.Advance(2*24*time.Hour + 7*time.Hour)
			after, _ := newTestScheduler(t, jobs, clock, hist, Options{CronTZ: "UTC", CatchUp: catchUp})
			after.Start()
			waitFor(t, after.catchUpDone, "the catch-up pass")
			if err := after.Stop(ctx); err != nil {
				t.Fatal(err)
			}

			if !catchUp {
				if len(ran) != 0 {
					t.Fatalf("catch-up off, yet ran %v", ran)
				}
				return
			}
			if ran["batch"] != 1 || ran["ingest"] != 0 || ran["reports"] != 0 {
				t.Fatalf("ran %v, want batch once (ingest was run by hand, reports never ran before)", ran)
			}
			if want := time.Date(2025, 7, 3, 0, 0, 0, 0, time.UTC); !batchAsOf[0].Equal(want) {
				t.Fatalf("caught-up batch as of %v, want %v (the latest missed activation)", batchAsOf[0], want)
			}
			last, ok, err := hist.LastRun(ctx, "batch")
			if err != nil || !ok || !last.Equal(time.Date(2025, 7, 3, 3, 0, 0, 0, time.UTC)) {
				t.Fatalf("last batch run = %v %v %v, want the caught-up 07-03 03:00", last, ok, err)
			}
		})
	}
}

func TestStopWithARunningJob(t *testing.T) {
	tests := []struct {
		name       string
		honours    bool // the job returns when its context is cancelled
		finishes   bool // the job finishes by itself within the bound
		wantStatus Status
		wantErr    bool
	}{
		{"finishes within the bound", true, true, StatusSucceeded, false},
		{"cancelled at the bound", true, false, StatusFailed, false},
		{"ignores cancellation", false, false, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock(t0)
			hist := &memHistory{}
			started, release, gone := make(chan struct{}), make(chan struct{}), make(chan struct{})
			job := Job{Name: "reports", Spec: "0 3 * * *", Run: func(ctx context.Context, _ time.Time) (int64, error) {
				close(started)
				defer close(gone)
				if tc.honours {
					select {
					case <-release:
						return 3, nil
					case <-ctx.Done():
						return 0, ctx.Err()
					}
				}
				<-release
				return 3, nil
			}}
			s, _ := newTestScheduler(t, []Job{job}, clock, hist, Options{CronTZ: "UTC", CancelGrace: time.Minute})
			fired := make(chan struct{})
			go func() { s.entryFor(t, "reports").wrapped.Run(); close(fired) }()
			waitFor(t, started, "the job to start")

			bound, expire := context.WithCancel(context.Background())
			stopped := make(chan error, 1)
			go func() { stopped <- s.Stop(bound) }()
			if tc.finishes {
				close(release)
			} else {
				expire() // the shutdown bound passes with the job still going
				if !tc.honours {
					clock.waitForTimer(t) // the cancel grace
					clock.Advance(time.Minute)
				}
			}
			var err error
			select {
			case err = <-stopped:
			case <-time.After(10 * time.Second):
				t.Fatal("Stop did not return")
			}
			expire()
			if (err != nil) != tc.wantErr {
				t.Fatalf("Stop = %v, want error %v", err, tc.wantErr)
			}
			if tc.wantErr {
				close(release)
				<-gone
				return
			}
			waitFor(t, fired, "the firing to return") // cron's own firings are awaited by Stop; this one is the test's
			runs := hist.all()
			if len(runs) != 1 || runs[0].Status != tc.wantStatus {
				t.Fatalf("history = %+v, want one %s run", runs, tc.wantStatus)
			}
			if tc.wantStatus == StatusFailed && !strings.Contains(runs[0].Error, context.Canceled.Error()) {
				t.Fatalf("cancelled run error = %q", runs[0].Error)
			}
			// Stopped means stopped: a late firing does nothing.
			s.entryFor(t, "reports").wrapped.Run()
			if len(hist.all()) != 1 {
				t.Fatal("a job ran after Stop")
			}
		})
	}
}

func TestDBHistory(t *testing.T) {
	ctx := context.Background()
	h := NewDBHistory(openStore(t))
	if _, ok, err := h.LastRun(ctx, "batch"); err != nil || ok {
		t.Fatalf("empty history: ok=%v err=%v", ok, err)
	}
	day := func(d int) time.Time { return time.Date(2025, 7, d, 0, 0, 0, 0, time.UTC) }
	paris, _ := time.LoadLocation("Europe/Paris")
	runs := []Run{
		{Job: "batch", Trigger: TriggerSchedule, ScheduledAt: time.Date(2025, 7, 1, 5, 0, 0, 0, paris), AsOf: day(1),
			StartedAt: day(1).Add(3 * time.Hour), EndedAt: day(1).Add(4 * time.Hour), Status: StatusSucceeded, Rows: 10, Attempts: 1},
		{Job: "batch", Trigger: TriggerBackfill, AsOf: day(30), StartedAt: day(5), EndedAt: day(5).Add(time.Minute),
			Status: StatusFailed, Attempts: 3, Error: "boom\nline two"},
		{Job: "ingest", Trigger: TriggerManual, AsOf: day(2), StartedAt: day(2).Add(time.Hour), EndedAt: day(2).Add(2 * time.Hour),
			Status: StatusSucceeded, Attempts: 1},
	}
	for i := range runs {
		if err := h.Record(ctx, &runs[i]); err != nil {
			t.Fatal(err)
		}
		if runs[i].ID != int64(i+1) {
			t.Fatalf("run %d got id %d", i, runs[i].ID)
		}
	}
	tests := []struct {
		job  string
		want time.Time
	}{
		{"batch", time.Date(2025, 7, 1, 3, 0, 0, 0, time.UTC)}, // the backfill does not count; zone normalized to UTC
		{"ingest", day(2).Add(time.Hour)},                      // manual: its start
	}
	for _, tc := range tests {
		t.Run(tc.job, func(t *testing.T) {
			got, ok, err := h.LastRun(ctx, tc.job)
			if err != nil || !ok || !got.Equal(tc.want) {
				t.Fatalf("LastRun = %v %v %v, want %v", got, ok, err, tc.want)
			}
		})
	}
	err := h.Record(ctx, &Run{Job: "x", Trigger: "cron", AsOf: day(1), StartedAt: day(1), EndedAt: day(1), Status: StatusSucceeded})
	if err == nil {
		t.Fatal("an unknown trigger was stored")
	}
	if errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}
