package app

import (
	"context"
	"fmt"
	"time"

	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
)

// jobs lists every job in batch order, then "batch" itself, then the partners' own
// scheduled reports (analytics-reports). The batch runs them in order, the
// scheduler on their cron specs (scheduledJobs adds them), `insights run JOB`
// and `insights backfill` one: all as scheduler.Job, the one job type.
func (a *App) jobs() []scheduler.Job {
	steps := []scheduler.Job{a.ingestJob(), a.transformJob()}
	steps = append(steps, a.reportJobs()...) // "reports", then "review-pack"
	batch := scheduler.Job{Name: "batch", Run: func(ctx context.Context, asOf time.Time) (int64, error) {
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
func (a *App) job(name string) (scheduler.Job, error) {
	var names []string
	for _, j := range a.jobs() {
		if j.Name == name {
			return j, nil
		}
		names = append(names, j.Name)
	}
	return scheduler.Job{}, fmt.Errorf("unknown job %q (jobs: %v)", name, names)
}

func (a *App) transformJob() scheduler.Job {
	return scheduler.Job{Name: "transform", Run: func(ctx context.Context, asOf time.Time) (int64, error) {
		s, err := a.Store(ctx)
		if err != nil {
			return 0, err
		}
		run, err := a.runTransform(ctx, s, asOf)
		return int64(run.Steps), err
	}}
}
