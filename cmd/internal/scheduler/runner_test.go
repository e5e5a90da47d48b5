package scheduler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

var t0 = time.Date(2025, 6, 30, 3, 0, 0, 0, time.UTC)

func TestRetriesWithBackoff(t *testing.T) {
	tests := []struct {
		name      string
		policy    Policy
		failures  int // attempts that fail before one succeeds
		wantWaits []time.Duration
		wantRun   Status
		wantTries int
	}{
		{"succeeds on the third attempt", Policy{Retries: 2, Backoff: time.Minute, MaxBackoff: time.Hour}, 2,
			[]time.Duration{time.Minute, 2 * time.Minute}, StatusSucceeded, 3},
		{"gives up after the retries", Policy{Retries: 2, Backoff: time.Minute, MaxBackoff: time.Hour}, 99,
			[]time.Duration{time.Minute, 2 * time.Minute}, StatusFailed, 3},
		{"back-off capped", Policy{Retries: 3, Backoff: time.Minute, MaxBackoff: 90 * time.Second}, 99,
			[]time.Duration{time.Minute, 90 * time.Second, 90 * time.Second}, StatusFailed, 4},
		{"no retries", Policy{Retries: 0, Backoff: time.Minute}, 99, nil, StatusFailed, 1},
		{"first attempt succeeds", DefaultPolicy(), 0, nil, StatusSucceeded, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock(t0)
			hist := &memHistory{}
			reg := prometheus.NewRegistry()
			m, err := NewMetrics(reg)
			if err != nil {
				t.Fatal(err)
			}
			r := NewRunner(tc.policy, hist, m, clock, nil)
			var calls atomic.Int32
			job := Job{Name: "reports", Run: func(ctx context.Context, asOf time.Time) (int64, error) {
				if n := calls.Add(1); int(n) <= tc.failures {
					return 0, fmt.Errorf("attempt %d: disk full", n)
				}
				return 42, nil
			}}
			result := make(chan Run, 1)
			go func() {
				run, _ := r.Run(context.Background(), job, TriggerManual, time.Time{}, t0)
				result <- run
			}()
			for i, want := range tc.wantWaits {
				if got := clock.waitForTimer(t); got != want {
					t.Fatalf("wait %d = %v, want %v", i+1, got, want)
				}
				clock.Advance(want)
			}
			var run Run
			select {
			case run = <-result:
			case <-time.After(10 * time.Second):
				t.Fatal("run did not end")
			}
			if run.Status != tc.wantRun || run.Attempts != tc.wantTries {
				t.Fatalf("run = %s after %d attempts, want %s after %d", run.Status, run.Attempts, tc.wantRun, tc.wantTries)
			}
			var waited time.Duration
			for _, w := range tc.wantWaits {
				waited += w
			}
			if run.Duration() != waited {
				t.Fatalf("duration %v, want the back-off total %v", run.Duration(), waited)
			}
			if tc.wantRun == StatusFailed && !strings.Contains(run.Error, "disk full") {
				t.Fatalf("error %q does not carry the job's error", run.Error)
			}
			if got := hist.all(); len(got) != 1 || got[0].Attempts != tc.wantTries || got[0].ID == 0 {
				t.Fatalf("history = %+v, want one recorded run", got)
			}
			if got := testutil.ToFloat64(m.retries.WithLabelValues("reports")); int(got) != len(tc.wantWaits) {
				t.Fatalf("retries metric = %v, want %d", got, len(tc.wantWaits))
			}
			if got := testutil.ToFloat64(m.runs.WithLabelValues("reports", string(tc.wantRun))); got != 1 {
				t.Fatalf("runs{status=%s} = %v, want 1", tc.wantRun, got)
			}
		})
	}
}

func TestRetryAbandonedWhenCancelled(t *testing.T) {
	clock := newFakeClock(t0)
	hist := &memHistory{}
	r := NewRunner(Policy{Retries: 5, Backoff: time.Hour}, hist, nil, clock, nil)
	ctx, cancel := context.WithCancel(context.Background())
	job := Job{Name: "ingest", Run: func(context.Context, time.Time) (int64, error) { return 0, errors.New("landing folder busy") }}
	result := make(chan Run, 1)
	go func() {
		run, _ := r.Run(ctx, job, TriggerSchedule, t0, t0)
		result <- run
	}()
	clock.waitForTimer(t)
	cancel() // shutdown during the back-off: no hour-long wait, no more attempts
	select {
	case run := <-result:
		if run.Status != StatusFailed || run.Attempts != 1 || !strings.Contains(run.Error, "retry abandoned") {
			t.Fatalf("run = %+v", run)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancelled run kept waiting")
	}
	if len(hist.all()) != 1 {
		t.Fatal("cancelled run not recorded")
	}
}

func TestPanicIsAFailureNotRetried(t *testing.T) {
	hist := &memHistory{}
	r := NewRunner(Policy{Retries: 2, Backoff: time.Minute}, hist, nil, newFakeClock(t0), nil)
	var calls atomic.Int32
	job := Job{Name: "boom", Run: func(context.Context, time.Time) (int64, error) {
		calls.Add(1)
		var m map[string]int
		//lint:ignore SA5000 the test needs a real runtime panic
		m["x"] = 1 // nil map write
		return 0, nil
	}}
	run, err := r.Run(context.Background(), job, TriggerManual, time.Time{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != StatusFailed || !strings.HasPrefix(run.Error, "panic: assignment to entry in nil map") {
		t.Fatalf("run = %s %q", run.Status, run.Error)
	}
	if calls.Load() != 1 || run.Attempts != 1 {
		t.Fatalf("panicking job ran %d times", calls.Load())
	}
}

func TestPolicyWait(t *testing.T) {
	p := Policy{Backoff: 30 * time.Second, MaxBackoff: 5 * time.Minute}
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 5 * time.Minute, 5 * time.Minute}
	for i, w := range want {
		t.Run(fmt.Sprint(i+1), func(t *testing.T) {
			if got := p.wait(i + 1); got != w {
				t.Fatalf("wait(%d) = %v, want %v", i+1, got, w)
			}
		})
	}
}

func TestOneRunAtATimePerJob(t *testing.T) {
	hist := &memHistory{}
	r := NewRunner(Policy{}, hist, nil, nil, nil)
	manual := r.WithPolicy(Policy{Retries: 1})
	release := make(chan struct{})
	started := make(chan struct{})
	slow := Job{Name: "batch", Run: func(ctx context.Context, _ time.Time) (int64, error) {
		close(started)
		<-release
		return 1, nil
	}}
	done := make(chan Run, 1)
	go func() {
		run, _ := r.Run(context.Background(), slow, TriggerSchedule, time.Time{}, time.Time{})
		done <- run
	}()
	<-started
	other := Job{Name: "batch", Run: func(context.Context, time.Time) (int64, error) {
		t.Error("a second run of batch started while the first was going")
		return 0, nil
	}}
	run, err := manual.Run(context.Background(), other, TriggerManual, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != StatusSkipped || run.ID == 0 {
		t.Errorf("second run: %+v, want skipped and recorded", run)
	}
	// Another job is not held up.
	if run, _ := manual.Run(context.Background(), Job{Name: "reports", Run: func(context.Context, time.Time) (int64, error) { return 2, nil }},
		TriggerManual, time.Time{}, time.Time{}); run.Status != StatusSucceeded {
		t.Errorf("another job: %+v", run)
	}
	close(release)
	if first := <-done; first.Status != StatusSucceeded {
		t.Errorf("first run: %+v", first)
	}
	if run, _ := manual.Run(context.Background(), Job{Name: "batch", Run: func(context.Context, time.Time) (int64, error) { return 1, nil }},
		TriggerManual, time.Time{}, time.Time{}); run.Status != StatusSucceeded {
		t.Errorf("after the first ended: %+v", run)
	}
}

// TestMetricsDeclaredAtZero: every job's series exist before any run, so a
// dashboard or an alert on failures works from the start.
func TestMetricsDeclaredAtZero(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.Declare("ingest", "reports")
	for _, job := range []string{"ingest", "reports"} {
		for _, st := range []Status{StatusSucceeded, StatusFailed, StatusSkipped} {
			if got := testutil.ToFloat64(m.runs.WithLabelValues(job, string(st))); got != 0 {
				t.Fatalf("%s %s = %v", job, st, got)
			}
		}
	}
	// 2 jobs × (3 statuses of runs + failures + retries + rows + running) + 2 histograms.
	n, err := testutil.GatherAndCount(reg)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2*7+2 {
		t.Fatalf("%d series before any run, want %d", n, 2*7+2)
	}
	for _, name := range []string{"insights_job_runs_total", "insights_job_failures_total", "insights_job_running", "insights_job_duration_seconds"} {
		if c, _ := testutil.GatherAndCount(reg, name); c == 0 {
			t.Errorf("%s has no series before any run", name)
		}
	}
}

func TestPermanentFailureNotRetried(t *testing.T) {
	noData := errors.New("report month 2026-11 is after the data")
	for _, tc := range []struct {
		name      string
		err       error
		wantWaits []time.Duration
	}{
		{"permanent: one attempt", Permanent(noData), nil},
		{"wrapped permanent: one attempt", fmt.Errorf("reports: %w", Permanent(noData)), nil},
		{"plain error: retried", noData, []time.Duration{time.Minute, 2 * time.Minute}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hist := &memHistory{}
			clock := newFakeClock(t0)
			r := NewRunner(Policy{Retries: 2, Backoff: time.Minute, MaxBackoff: time.Hour}, hist, nil, clock, nil)
			job := Job{Name: "reports", Run: func(context.Context, time.Time) (int64, error) { return 0, tc.err }}
			result := make(chan Run, 1)
			go func() {
				run, _ := r.Run(context.Background(), job, TriggerManual, time.Time{}, t0)
				result <- run
			}()
			for _, want := range tc.wantWaits {
				if got := clock.waitForTimer(t); got != want {
					t.Fatalf("wait = %v, want %v", got, want)
				}
				clock.Advance(want)
			}
			var run Run
			select {
			case run = <-result:
			case <-time.After(10 * time.Second):
				t.Fatal("run did not end")
			}
			if want := len(tc.wantWaits) + 1; run.Status != StatusFailed || run.Attempts != want || !strings.Contains(run.Error, "after the data") {
				t.Fatalf("run = %s after %d attempts (%q), want failed after %d", run.Status, run.Attempts, run.Error, want)
			}
		})
	}
	if Permanent(nil) != nil {
		t.Error("Permanent(nil) is not nil")
	}
}
