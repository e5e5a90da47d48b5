package scheduler

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// DBHistory keeps run history in the job_runs table.
type DBHistory struct {
	store *duckstore.Store
}

// NewDBHistory returns a History backed by store.
func NewDBHistory(store *duckstore.Store) *DBHistory { return &DBHistory{store: store} }

// Record inserts r and sets r.ID.
func (h *DBHistory) Record(ctx context.Context, r *Run) error {
	q, err := sqlfiles.Report("service_runs_insert")
	if err != nil {
		return err
	}
	var scheduled any
	if !r.ScheduledAt.IsZero() {
		scheduled = r.ScheduledAt.UTC()
	}
	var errText any
	if r.Error != "" {
		errText = r.Error
	}
	err = h.store.QueryRow(ctx, q, r.Job, string(r.Trigger), scheduled, r.AsOf.Format(time.DateOnly),
		r.StartedAt.UTC(), r.EndedAt.UTC(), string(r.Status), r.Rows, r.Attempts, errText).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("insert job run: %w", err)
	}
	return nil
}

// LastRun returns the latest activation (or manual start) recorded for job.
func (h *DBHistory) LastRun(ctx context.Context, job string) (time.Time, bool, error) {
	q, err := sqlfiles.Report("service_runs_last")
	if err != nil {
		return time.Time{}, false, err
	}
	var t sql.NullTime
	if err := h.store.QueryRow(ctx, q, job).Scan(&t); err != nil {
		return time.Time{}, false, fmt.Errorf("last run of %s: %w", job, err)
	}
	if !t.Valid {
		return time.Time{}, false, nil
	}
	// TIMESTAMP columns hold UTC wall time without a zone.
	return time.Date(t.Time.Year(), t.Time.Month(), t.Time.Day(), t.Time.Hour(), t.Time.Minute(),
		t.Time.Second(), t.Time.Nanosecond(), time.UTC), true, nil
}
