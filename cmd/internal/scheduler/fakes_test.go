package scheduler

import (
	"context"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock that moves only when the test calls Advance.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
	changed chan struct{} // closed (and replaced) whenever a waiter is added
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock(now time.Time) *fakeClock {
	return &fakeClock{now: now, changed: make(chan struct{})}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, fakeWaiter{at: c.now.Add(d), ch: ch})
	close(c.changed)
	c.changed = make(chan struct{})
	return ch
}

// Advance moves the clock and fires every timer that is due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

// waitForTimer blocks until someone waits on the clock and returns the
// duration it waits for. The real-time bound only guards against a hung test.
func (c *fakeClock) waitForTimer(t *testing.T) time.Duration {
	t.Helper()
	guard := time.After(10 * time.Second)
	for {
		c.mu.Lock()
		if len(c.waiters) > 0 {
			d := c.waiters[0].at.Sub(c.now)
			c.mu.Unlock()
			return d
		}
		changed := c.changed
		c.mu.Unlock()
		select {
		case <-changed:
		case <-guard:
			t.Fatal("nobody waited on the clock")
		}
	}
}

// memHistory is an in-memory History with the same LastRun rule as job_runs.
type memHistory struct {
	mu   sync.Mutex
	runs []Run
}

func (h *memHistory) Start(_ context.Context, r *Run) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	r.Status = StatusRunning
	r.ID = int64(len(h.runs) + 1)
	h.runs = append(h.runs, *r)
	return nil
}

func (h *memHistory) Record(_ context.Context, r *Run) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r.ID != 0 {
		h.runs[r.ID-1] = *r
		return nil
	}
	r.ID = int64(len(h.runs) + 1)
	h.runs = append(h.runs, *r)
	return nil
}

func (h *memHistory) LastRun(_ context.Context, job string) (time.Time, bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var last time.Time
	found := false
	for _, r := range h.runs {
		if r.Job != job || r.Trigger == TriggerBackfill || r.Status == StatusRunning {
			continue
		}
		t := r.ScheduledAt
		if t.IsZero() {
			t = r.StartedAt
		}
		if !found || t.After(last) {
			last, found = t, true
		}
	}
	return last, found, nil
}

func (h *memHistory) all() []Run {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Run(nil), h.runs...)
}

// waitFor blocks until ch is closed; the real-time bound only guards against a hung test.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}
