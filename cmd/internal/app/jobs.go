package app

import (
	"context"
	"fmt"
	"time"
)

// Job is one schedulable unit of work: the batch runs them in order, the
// scheduler runs them on their cron specs, `insights run JOB` runs one.
// Run returns how many rows (or files) it produced, for run history and metrics.
type Job struct {
	Name string
	Run  func(ctx context.Context, asOf time.Time) (rows int64, err error)
	// QuietWhenIdle: see scheduler.Job; the scheduled reports poller.
	QuietWhenIdle bool
}

// jobs lists every job in batch order, then "batch" itself, then the partners' own
// scheduled reports (analytics-reports).
func (a *App) jobs() []Job {
	steps := []Job{a.ingestJob(), a.transformJob()}
	steps = append(steps, a.reportJobs()...) // "reports", then "review-pack"
	batch := Job{Name: "batch", Run: func(ctx context.Context, asOf time.Time) (int64, error) {
		var total int64
		for _, j := range steps {
			n, err := j.Run(ctx, asOf)
			total += n
			if err != nil {
				return total, fmt.Errorf("batch: %s: %w", j.Name, err)
			}
		}
		return total, nil
	}}
	return append(steps, batch, a.analyticsJob())
}

// job finds a job by name.
func (a *App) job(name string) (Job, error) {
	var names []string
	for _, j := range a.jobs() {
		if j.Name == name {
			return j, nil
		}
		names = append(names, j.Name)
	}
	return Job{}, fmt.Errorf("unknown job %q (jobs: %v)", name, names)
}

func (a *App) transformJob() Job {
	return Job{Name: "transform", Run: func(ctx context.Context, asOf time.Time) (int64, error) {
		s, err := a.Store(ctx)
		if err != nil {
			return 0, err
		}
		run, err := a.runTransform(ctx, s, asOf)
		return int64(run.Steps), err
	}}
}
