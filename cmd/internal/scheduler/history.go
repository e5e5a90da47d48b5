package scheduler

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// InterruptedError is the error of a run whose process ended while it ran.
const InterruptedError = "interrupted: process ended"

// thisProcess identifies the running process in job_runs: host, pid and start
// time, so a pid reused after a reboot is not mistaken for this process.
var thisProcess = func() (p struct {
	pid  int
	host string
	key  string
}) {
	p.pid = os.Getpid()
	p.host, _ = os.Hostname()
	p.key = p.host + ":" + strconv.Itoa(p.pid) + ":" + strconv.FormatInt(time.Now().UnixNano(), 10)
	return p
}()

// DBHistory keeps run history in the job_runs table.
type DBHistory struct {
	store     *duckstore.Store
	recovered atomic.Bool // Recover ran (successfully) in this process
}

// NewDBHistory returns a History backed by store.
func NewDBHistory(store *duckstore.Store) *DBHistory { return &DBHistory{store: store} }

// Start inserts r as 'running', owned by this process, and sets r.ID. The
// first call also recovers runs left 'running' by a process that ended.
func (h *DBHistory) Start(ctx context.Context, r *Run) error {
	h.recoverOnce(ctx)
	r.Status = StatusRunning
	return h.insert(ctx, r)
}

// Record completes the row Start inserted (r.ID set), or inserts a run that
// never started (a skipped firing, or a run whose start could not be recorded).
func (h *DBHistory) Record(ctx context.Context, r *Run) error {
	if r.ID == 0 {
		return h.insert(ctx, r)
	}
	q, err := sqlfiles.Query("scheduler/runs_finish")
	if err != nil {
		return err
	}
	n, err := h.store.Exec(ctx, q, r.ID, r.EndedAt.UTC(), string(r.Status), r.Rows, r.Attempts, nullText(r.Error))
	if err != nil {
		return fmt.Errorf("complete job run %d: %w", r.ID, err)
	}
	if n != 1 {
		return fmt.Errorf("complete job run %d: no such run", r.ID)
	}
	return nil
}

func (h *DBHistory) insert(ctx context.Context, r *Run) error {
	q, err := sqlfiles.Query("scheduler/runs_insert")
	if err != nil {
		return err
	}
	var scheduled, ended any
	if !r.ScheduledAt.IsZero() {
		scheduled = r.ScheduledAt.UTC()
	}
	if r.Status != StatusRunning {
		ended = r.EndedAt.UTC()
	}
	err = h.store.QueryRow(ctx, q, r.Job, string(r.Trigger), scheduled, r.AsOf.Format(time.DateOnly),
		r.StartedAt.UTC(), ended, string(r.Status), r.Rows, r.Attempts, nullText(r.Error),
		thisProcess.pid, thisProcess.host, thisProcess.key).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("insert job run: %w", err)
	}
	return nil
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Interrupted is a run found 'running' whose process had ended.
type Interrupted struct {
	ID  int64
	Job string
}

// Recover marks every run left 'running' by another process as failed
// (InterruptedError). The database admits one writing process, so a process
// that wrote such a row and is not this one has ended: it crashed or was
// killed. Call it at start, before runs begin; Start calls it once anyway.
func (h *DBHistory) Recover(ctx context.Context) ([]Interrupted, error) {
	q, err := sqlfiles.Query("scheduler/runs_interrupted")
	if err != nil {
		return nil, err
	}
	rows, err := h.store.Query(ctx, q, thisProcess.key)
	if err != nil {
		return nil, fmt.Errorf("recover interrupted runs: %w", err)
	}
	defer rows.Close()
	var out []Interrupted
	for rows.Next() {
		var i Interrupted
		if err := rows.Scan(&i.ID, &i.Job); err != nil {
			return nil, fmt.Errorf("recover interrupted runs: %w", err)
		}
		out = append(out, i)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recover interrupted runs: %w", err)
	}
	h.recovered.Store(true) // Start need not do it again
	return out, nil
}

// recoverOnce runs Recover on the first Start; a failure is not the run's
// problem (the rows stay 'running' until a later start recovers them).
func (h *DBHistory) recoverOnce(ctx context.Context) {
	if !h.recovered.Load() {
		_, _ = h.Recover(ctx)
	}
}

// LastRun returns the latest activation (or manual start) recorded for job.
func (h *DBHistory) LastRun(ctx context.Context, job string) (time.Time, bool, error) {
	q, err := sqlfiles.Query("scheduler/runs_last")
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
