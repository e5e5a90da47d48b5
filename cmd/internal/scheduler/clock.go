package scheduler

import "time"

// Clock is the scheduler's source of time. Retry back-off, catch-up and the
// shutdown grace read time only through it, so tests drive them with a fake
// clock instead of sleeping. (robfig/cron itself keeps its own wall clock; it
// only decides when a firing happens, never what a run records.)
type Clock interface {
	Now() time.Time
	// After delivers the then-current time once d has elapsed.
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
