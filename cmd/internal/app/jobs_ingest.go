package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
	"github.com/marketplace-insights/insights/ingest"
)

// ingestJob loads the landing folder. A file that cannot be read is
// quarantined and logged, and the job still succeeds: bad input must not stop
// the good input's transform and reports. A missing landing folder is a
// configuration error and fails the job.
func (a *App) ingestJob() scheduler.Job {
	return scheduler.Job{Name: "ingest", Run: func(ctx context.Context, _ time.Time) (int64, error) {
		landing := a.abs(a.Cfg.Ingest.Landing)
		if _, err := os.Stat(landing); err != nil {
			return 0, fmt.Errorf("landing folder (ingest.landing): %w", err)
		}
		s, err := a.Store(ctx)
		if err != nil {
			return 0, err
		}
		sum, err := ingest.New(s, a.Log, ingest.Options{QuarantineDir: a.abs(a.Cfg.Ingest.Quarantine), LandingDir: landing, Limits: a.Cfg.Ingest.Limits()}).Ingest(ctx, []string{landing})
		loaded, rejected, replaced := sum.Totals()
		if err != nil {
			return loaded, err
		}
		if n := sum.Count(ingest.StatusQuarantined); n > 0 {
			a.Log.Warn("ingest quarantined unreadable files", "files", n, "quarantine", a.Cfg.Ingest.Quarantine)
		}
		a.Log.Info("ingest done", "files", len(sum.Files), "rows_loaded", loaded, "rows_rejected", rejected, "rows_replaced", replaced)
		return loaded, nil
	}}
}
