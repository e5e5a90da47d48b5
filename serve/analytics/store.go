package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Query is a stored (or system) report query.
type Query struct {
	ID, Name, Description, Text string
	System                      bool
	User                        string
	CreatedAt                   time.Time
}

// Report is a scheduled report.
type Report struct {
	ID, PartnerID, Name, Description, QueryID, Query, User string
	CreatedAt                                              time.Time
	ModifiedAt                                             *time.Time
	StartTime                                              time.Time
	RecurrenceInterval                                     int  // hours; 0 for a one-time report
	RecurrenceCount                                        *int // nil = no end
	Format                                                 string
	CallbackURL, CallbackMethod, CallbackSecret            string
	ExecuteNow                                             bool
	QueryStartTime, QueryEndTime                           *time.Time
	Status                                                 string // Active, Paused, Inactive
	NextRunAt                                              *time.Time
	Scheduled                                              int // executions created so far
}

// Execution is one run of a report.
type Execution struct {
	ID, ReportID, PartnerID         string
	ScheduledAt                     time.Time
	Status, Format                  string
	DataFrom, DataTo                *time.Time
	Path                            string
	Rows, Size                      int64
	SHA256, Error                   string
	CreatedAt                       time.Time
	StartedAt, GeneratedAt, Expires *time.Time
	CallbackStatus                  string
	CallbackAttempts                int
	CallbackNextAt                  *time.Time
}

var errNotFound = errors.New("not found")

// queries is where this package's SQL lives (sql/serve/analytics).
const queries = "serve/analytics/"

func stmt(name string) (string, error) { return sqlfiles.Query(queries + name) }

func (s *Service) exec(ctx context.Context, name string, args ...any) (int64, error) {
	return duckstore.ExecNamed(ctx, s.store, queries+name, args...)
}

// each runs a named query and calls fn per row.
func (s *Service) each(ctx context.Context, name string, args []any, fn func(*sql.Rows) error) error {
	return duckstore.QueryNamed(ctx, s.store, queries+name, fn, args...)
}

// utc reads a TIMESTAMP (UTC wall time without a zone) as UTC.
func utc(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

func ptime(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := utc(n.Time)
	return &t
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// dataEnd is the last date the data covers (the latest successful transform
// run), or ok false before the first run.
func (s *Service) dataEnd(ctx context.Context) (time.Time, bool, error) {
	q, err := stmt("data_end")
	if err != nil {
		return time.Time{}, false, err
	}
	var d sql.NullTime
	if err := s.store.QueryRow(ctx, q).Scan(&d); err != nil {
		return time.Time{}, false, fmt.Errorf("analytics data end: %w", err)
	}
	if !d.Valid {
		return time.Time{}, false, nil
	}
	return utc(d.Time), true, nil
}

// ---- queries

func (s *Service) insertQuery(ctx context.Context, partner string, q Query) error {
	_, err := s.exec(ctx, "query_insert", q.ID, partner, q.Name, nullString(q.Description), q.Text, nullString(q.User), q.CreatedAt)
	return err
}

func (s *Service) listQueries(ctx context.Context, partner, id, name string) ([]Query, error) {
	out := []Query{}
	err := s.each(ctx, "query_list", []any{partner, id, name}, func(r *sql.Rows) error {
		var q Query
		if err := r.Scan(&q.ID, &q.Name, &q.Description, &q.Text, &q.User, &q.CreatedAt); err != nil {
			return err
		}
		q.CreatedAt = utc(q.CreatedAt)
		out = append(out, q)
		return nil
	})
	return out, err
}

// ---- reports

func reportArgs(r *Report) []any {
	var count any
	if r.RecurrenceCount != nil {
		count = *r.RecurrenceCount
	}
	return []any{r.ID, r.PartnerID, r.Name, nullString(r.Description), r.QueryID, r.Query, nullString(r.User),
		r.CreatedAt, nullTime(r.ModifiedAt), r.StartTime, r.RecurrenceInterval, count, r.Format,
		nullString(r.CallbackURL), nullString(r.CallbackMethod), nullString(r.CallbackSecret), r.ExecuteNow,
		nullTime(r.QueryStartTime), nullTime(r.QueryEndTime), r.Status, nullTime(r.NextRunAt), r.Scheduled}
}

func (s *Service) insertReport(ctx context.Context, r *Report) error {
	_, err := s.exec(ctx, "report_insert", reportArgs(r)...)
	return err
}

func (s *Service) updateReport(ctx context.Context, r *Report) error {
	var count any
	if r.RecurrenceCount != nil {
		count = *r.RecurrenceCount
	}
	_, err := s.exec(ctx, "report_update", r.PartnerID, r.ID, r.Name, nullString(r.Description), nullTime(r.ModifiedAt),
		r.StartTime, r.RecurrenceInterval, count, r.Format, nullString(r.CallbackURL), nullString(r.CallbackMethod),
		r.Status, nullTime(r.NextRunAt), r.Scheduled)
	return err
}

func (s *Service) listReports(ctx context.Context, partner, id, name, queryID string) ([]*Report, error) {
	out := []*Report{}
	err := s.each(ctx, "report_list", []any{partner, id, name, queryID}, func(rows *sql.Rows) error {
		var r Report
		var modified, qs, qe, next sql.NullTime
		var count sql.NullInt64
		if err := rows.Scan(&r.ID, &r.PartnerID, &r.Name, &r.Description, &r.QueryID, &r.Query, &r.User, &r.CreatedAt,
			&modified, &r.StartTime, &r.RecurrenceInterval, &count, &r.Format, &r.CallbackURL, &r.CallbackMethod,
			&r.CallbackSecret, &r.ExecuteNow, &qs, &qe, &r.Status, &next, &r.Scheduled); err != nil {
			return err
		}
		r.CreatedAt, r.StartTime = utc(r.CreatedAt), utc(r.StartTime)
		r.ModifiedAt, r.QueryStartTime, r.QueryEndTime, r.NextRunAt = ptime(modified), ptime(qs), ptime(qe), ptime(next)
		if count.Valid {
			c := int(count.Int64)
			r.RecurrenceCount = &c
		}
		out = append(out, &r)
		return nil
	})
	return out, err
}

func (s *Service) report(ctx context.Context, partner, id string) (*Report, error) {
	rs, err := s.listReports(ctx, partner, id, "", "")
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, errNotFound
	}
	return rs[0], nil
}

// ---- executions

func scanExecution(row interface{ Scan(...any) error }) (*Execution, error) {
	var e Execution
	var from, to, started, generated, expires, cbNext sql.NullTime
	if err := row.Scan(&e.ID, &e.ReportID, &e.PartnerID, &e.ScheduledAt, &e.Status, &e.Format, &from, &to, &e.Path,
		&e.Rows, &e.Size, &e.SHA256, &e.Error, &e.CreatedAt, &started, &generated, &expires, &e.CallbackStatus,
		&e.CallbackAttempts, &cbNext); err != nil {
		return nil, err
	}
	e.ScheduledAt, e.CreatedAt = utc(e.ScheduledAt), utc(e.CreatedAt)
	e.DataFrom, e.DataTo, e.StartedAt, e.GeneratedAt, e.Expires, e.CallbackNextAt =
		ptime(from), ptime(to), ptime(started), ptime(generated), ptime(expires), ptime(cbNext)
	return &e, nil
}

func (s *Service) listExecutions(ctx context.Context, partner, reportID string) ([]*Execution, error) {
	out := []*Execution{}
	since := s.now().Add(-s.cfg.History)
	err := s.each(ctx, "executions_list", []any{partner, reportID, since}, func(r *sql.Rows) error {
		e, err := scanExecution(r)
		if err == nil {
			out = append(out, e)
		}
		return err
	})
	return out, err
}

func (s *Service) execution(ctx context.Context, id string) (*Execution, error) {
	q, err := stmt("execution_get")
	if err != nil {
		return nil, err
	}
	e, err := scanExecution(s.store.QueryRow(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("analytics execution %s: %w", id, err)
	}
	return e, nil
}

// insertExecution adds an execution of r. A scheduled occurrence gets its
// occurrence id (the id listed while it was still upcoming); a one-off run a
// random one.
func (s *Service) insertExecution(ctx context.Context, r *Report, scheduled time.Time, status string) (string, error) {
	id := newID()
	if !r.ExecuteNow {
		id = occurrenceID(r.ID, scheduled)
	}
	_, err := s.exec(ctx, "execution_insert", id, r.ID, r.PartnerID, scheduled.UTC(), status, r.Format, s.now())
	return id, err
}
