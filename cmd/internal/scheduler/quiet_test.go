package scheduler

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestQuietWhenIdle: a poller's scheduled runs that did nothing stay out of
// the run history; one that did something, failed, or was started by hand (run or backfill) is
// recorded, and a job that is not quiet is recorded whatever it did.
func TestQuietWhenIdle(t *testing.T) {
	tests := []struct {
		name       string
		quiet      bool
		trig       Trigger
		rows       int64
		err        error
		wantRecord bool
	}{
		{"idle scheduled poll", true, TriggerSchedule, 0, nil, false},
		{"idle catch-up poll", true, TriggerCatchUp, 0, nil, false},
		{"poll that ran reports", true, TriggerSchedule, 3, nil, true},
		{"poll that failed", true, TriggerSchedule, 0, errors.New("callback store down"), true},
		{"idle poll started by hand", true, TriggerManual, 0, nil, true},
		{"idle poll in a backfill", true, TriggerBackfill, 0, nil, true},
		{"idle run of a job that is not quiet", false, TriggerSchedule, 0, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := testkit.Open(t)
			r := NewRunner(Policy{}, NewDBHistory(s), nil, nil, nil)
			job := Job{Name: "analytics-reports", QuietWhenIdle: tc.quiet,
				Run: func(context.Context, time.Time) (int64, error) { return tc.rows, tc.err }}
			run, err := r.Run(ctx, job, tc.trig, time.Time{}, t0)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]Status{true: StatusFailed, false: StatusSucceeded}[tc.err != nil]; run.Status != want {
				t.Fatalf("status %s, want %s", run.Status, want)
			}
			got := testkit.Rows(t, s, `SELECT job, status FROM job_runs ORDER BY run_id`)
			if tc.wantRecord && len(got) != 1 {
				t.Fatalf("history %q, want the run", got)
			}
			if !tc.wantRecord && len(got) != 0 {
				t.Fatalf("history %q, want nothing", got)
			}
		})
	}
}
