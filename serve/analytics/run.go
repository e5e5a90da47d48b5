package analytics

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/marketplace-insights/insights/reports/render"
	"github.com/marketplace-insights/insights/serve/analytics/pcql"
)

// Execution and report statuses, as Partner Center spells them.
const (
	statusPending   = "Pending"
	statusRunning   = "Running"
	statusPaused    = "Paused"
	statusCompleted = "Completed"
	statusFailed    = "Failed"

	reportActive   = "Active"
	reportPaused   = "Paused"
	reportInactive = "Inactive"
)

// formats maps a report Format to its file extension and writer.
var formats = map[string]func(w io.Writer, t render.Table, meta [][2]string) error{
	"csv": func(w io.Writer, t render.Table, _ [][2]string) error { _, err := render.WriteCSV(w, t); return err },
	"tsv": func(w io.Writer, t render.Table, _ [][2]string) error { _, err := render.WriteTSV(w, t); return err },
	"parquet": func(w io.Writer, t render.Table, _ [][2]string) error {
		_, err := render.WriteParquet(w, t)
		return err
	},
	"xlsx": func(w io.Writer, t render.Table, meta [][2]string) error {
		_, err := render.WriteXLSX(w, render.Workbook{Sheets: []render.Table{t}, Meta: meta}, render.Options{})
		return err
	},
}

// RunDue does the scheduled work due now: it forgets executions past the
// history and files past their expiry, creates the executions of every
// active report whose occurrence has come (once for several missed ones),
// runs pending executions (and those a stopped instance left running), and
// makes due callback attempts. It returns the executions completed. One
// RunDue runs at a time; a call while one is busy makes it go round again.
func (s *Service) RunDue(ctx context.Context) (int64, error) {
	if !runMu.TryLock() {
		again.Lock()
		rerun = true
		again.Unlock()
		return 0, nil
	}
	defer runMu.Unlock()
	var total int64
	for {
		n, err := s.runOnce(ctx)
		total += n
		if err != nil {
			return total, err
		}
		again.Lock()
		more := rerun
		rerun = false
		again.Unlock()
		if !more {
			return total, nil
		}
	}
}

func (s *Service) runOnce(ctx context.Context) (int64, error) {
	if err := s.prune(ctx); err != nil {
		return 0, err
	}
	if err := s.schedule(ctx); err != nil {
		return 0, err
	}
	var ids []string
	err := s.each(ctx, "executions_runnable", []any{instance}, func(r *sql.Rows) error {
		var id string
		err := r.Scan(&id)
		ids = append(ids, id)
		return err
	})
	if err != nil {
		return 0, err
	}
	var done int64
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		ok, err := s.runExecution(ctx, id)
		if err != nil {
			return done, err
		}
		if ok {
			done++
		}
	}
	if _, err := s.deliverCallbacks(ctx); err != nil {
		return done, err
	}
	return done, nil
}

// schedule creates the executions of due occurrences. When the service was
// down over several occurrences, it runs the latest one once (as the
// scheduler catches up jobs) and moves on to the next one after now.
func (s *Service) schedule(ctx context.Context) error {
	now := s.now()
	type due struct{ id, partner string }
	var list []due
	err := s.each(ctx, "reports_due", []any{now}, func(r *sql.Rows) error {
		var d due
		err := r.Scan(&d.id, &d.partner)
		list = append(list, d)
		return err
	})
	if err != nil {
		return err
	}
	for _, d := range list {
		r, err := s.report(ctx, d.partner, d.id)
		if errors.Is(err, errNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if r.NextRunAt == nil || r.RecurrenceInterval <= 0 {
			continue
		}
		every := time.Duration(r.RecurrenceInterval) * time.Hour
		occurrence := *r.NextRunAt
		if missed := now.Sub(occurrence) / every; missed > 0 {
			s.log.Info("catching up a missed report occurrence", "report_id", r.ID, "missed", int(missed))
			occurrence = occurrence.Add(missed * every)
		}
		if _, err := s.insertExecution(ctx, r, occurrence, statusPending); err != nil {
			return err
		}
		r.Scheduled++
		next := occurrence.Add(every)
		r.NextRunAt = &next
		if r.RecurrenceCount != nil && r.Scheduled >= *r.RecurrenceCount {
			r.NextRunAt, r.Status = nil, reportInactive
		}
		if err := s.updateReport(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// nextOccurrence is the first occurrence of a schedule at or after t.
func nextOccurrence(start time.Time, hours int, t time.Time) time.Time {
	if !start.Before(t) || hours <= 0 {
		return start
	}
	every := time.Duration(hours) * time.Hour
	n := (t.Sub(start) + every - 1) / every
	return start.Add(n * every)
}

// runExecution runs one execution: the report's query for its partner, into a
// file. ok is false when it failed (recorded on the execution) or was skipped.
func (s *Service) runExecution(ctx context.Context, id string) (bool, error) {
	e, err := s.execution(ctx, id)
	if err != nil {
		return false, err
	}
	r, err := s.report(ctx, e.PartnerID, e.ReportID)
	if errors.Is(err, errNotFound) {
		return false, nil // deleted meanwhile; its executions go with it
	}
	if err != nil {
		return false, err
	}
	if _, err := s.exec(ctx, "execution_claim", e.ID, instance, s.now()); err != nil {
		return false, err
	}
	log := s.log.With("report_id", r.ID, "execution_id", e.ID, "partner_id", r.PartnerID)
	res, runErr := s.produce(ctx, r, e)
	if runErr != nil && ctx.Err() != nil {
		return false, runErr // shutdown: left Running, taken up again at the next start
	}
	generated := s.now()
	status, errText := statusCompleted, ""
	var expires any
	if runErr != nil {
		status, errText = statusFailed, truncate(runErr.Error(), 2000)
		log.Error("report execution failed", "err", runErr)
	} else {
		expires = generated.Add(s.cfg.FileTTL)
		log.Info("report execution completed", "rows", res.rows, "bytes", res.size, "path", res.path)
	}
	var cbStatus, cbNext any
	if r.CallbackURL != "" {
		cbStatus, cbNext = "Pending", generated
	}
	_, err = s.exec(ctx, "execution_finish", e.ID, status, dateArg(res.span.From), dateArg(res.span.To), nullString(res.path),
		res.rows, res.size, nullString(res.sha), nullString(errText), generated, expires, cbStatus, cbNext)
	return runErr == nil, err
}

func dateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}

type produced struct {
	path string
	rows int64
	size int64
	sha  string
	span pcql.Span
}

// produce compiles the report's query for its partner and writes the file.
func (s *Service) produce(ctx context.Context, r *Report, e *Execution) (produced, error) {
	var res produced
	end, err := s.windowEnd(ctx, e.ScheduledAt)
	if err != nil {
		return res, err
	}
	o := pcql.Options{PartnerID: r.PartnerID, End: end}
	if r.QueryStartTime != nil || r.QueryEndTime != nil {
		o.Override = &pcql.Span{}
		if r.QueryStartTime != nil {
			o.Override.From = *r.QueryStartTime
		}
		if r.QueryEndTime != nil {
			o.Override.To = *r.QueryEndTime
		}
	}
	c, err := pcql.Compile(r.Query, s.cat, o)
	if err != nil {
		return res, fmt.Errorf("query: %w", err)
	}
	res.span = c.Span
	write, ok := formats[e.Format]
	if !ok {
		return res, fmt.Errorf("unknown format %q", e.Format)
	}
	rel := path.Join("analytics", e.ID[:2], e.ID+"."+e.Format)
	full := filepath.Join(s.cfg.OutRoot, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return res, fmt.Errorf("report folder: %w", err)
	}
	meta := [][2]string{{"Report", r.Name}, {"Report ID", r.ID}, {"Execution ID", e.ID}, {"Query", c.Query},
		{"Data from", dateText(c.Span.From)}, {"Data to", dateText(c.Span.To)},
		{"Generated at", s.now().Format(time.RFC3339)}}
	err = s.store.QueryArrow(ctx, c.SQL, c.Args, func(rr array.RecordReader) error {
		var recs []arrow.RecordBatch
		defer func() {
			for _, rec := range recs {
				rec.Release()
			}
		}()
		for rr.Next() {
			rec := rr.RecordBatch()
			rec.Retain()
			recs = append(recs, rec)
			res.rows += rec.NumRows()
		}
		if err := rr.Err(); err != nil {
			return err
		}
		t := render.Table{Name: sheetName(r.Name), Records: recs, Schema: rr.Schema()}
		h := sha256.New()
		cw := &countWriter{}
		if err := render.WriteFileAtomic(full, func(w io.Writer) error {
			return write(io.MultiWriter(w, h, cw), t, meta)
		}); err != nil {
			return err
		}
		res.size, res.sha = cw.n, hex.EncodeToString(h.Sum(nil))
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("run query: %w", err)
	}
	res.path = rel
	return res, nil
}

// windowEnd is where TIMESPAN ranges end for an occurrence: the data's last
// date (the latest transform run), never after the occurrence itself.
func (s *Service) windowEnd(ctx context.Context, at time.Time) (time.Time, error) {
	end, ok, err := s.dataEnd(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if !ok || end.After(at) {
		return at.UTC(), nil
	}
	return end, nil
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return "(unbounded)"
	}
	return t.Format(time.DateOnly)
}

// sheetName keeps a report name usable as a sheet name.
func sheetName(name string) string {
	if n := render.SanitizeSheetName(name); n != "" {
		return n
	}
	return "Report"
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }

// prune forgets executions older than the history (with their files) and
// deletes files past their expiry (the execution stays listed; its link
// answers 410 Gone).
func (s *Service) prune(ctx context.Context) error {
	now := s.now()
	type old struct {
		id, partner, path string
		drop              bool
	}
	var list []old
	err := s.each(ctx, "executions_expired", []any{now.Add(-s.cfg.History), now}, func(r *sql.Rows) error {
		var o old
		err := r.Scan(&o.id, &o.partner, &o.path, &o.drop)
		list = append(list, o)
		return err
	})
	if err != nil {
		return err
	}
	for _, o := range list {
		if o.path != "" {
			if err := s.removeFile(o.path); err != nil {
				return err
			}
			if _, err := s.exec(ctx, "execution_file_gone", o.id); err != nil {
				return err
			}
		}
		if o.drop {
			if _, err := s.exec(ctx, "attempts_delete", o.partner, "", o.id); err != nil {
				return err
			}
			if _, err := s.exec(ctx, "executions_delete", o.partner, "", o.id); err != nil {
				return err
			}
		}
	}
	return nil
}

// removeFile deletes a delivered file; one already gone is fine.
func (s *Service) removeFile(rel string) error {
	if !strings.HasPrefix(rel, "analytics/") || !filepath.IsLocal(filepath.FromSlash(rel)) {
		return fmt.Errorf("refusing to delete %q: not a delivered report file", rel)
	}
	err := os.Remove(filepath.Join(s.cfg.OutRoot, filepath.FromSlash(rel)))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("delete expired report file: %w", err)
	}
	return nil
}
