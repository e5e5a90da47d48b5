package app

import (
	"context"
	"time"
)

// Job is one schedulable unit of work: the batch runs them in order, the
// scheduler runs them on their cron specs, `insights run JOB` runs one.
// Run returns how many rows (or files) it produced, for run history and metrics.
type Job struct {
	Name string
	Run  func(ctx context.Context, asOf time.Time) (rows int64, err error)
}
