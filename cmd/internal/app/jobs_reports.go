package app

import (
	"context"
	"errors"
	"time"
)

// reportJobs returns the "reports" (every partner) and "review-pack" jobs.
func (a *App) reportJobs() []Job {
	notYet := func(context.Context, time.Time) (int64, error) { return 0, errors.New("not built yet") }
	return []Job{{Name: "reports", Run: notYet}, {Name: "review-pack", Run: notYet}}
}
