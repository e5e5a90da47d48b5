package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/i18n"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Data coverage: a report never silently passes the data. Each transform run
// records data watermarks (sql/schema/0030_data_watermarks.sql); before
// writing, the app checks the report month and each partner against them.

// Watermark is what one dataset covers.
type Watermark struct {
	Dataset       string
	DataFrom      time.Time // zero: no rows
	DataThrough   time.Time // zero: no rows
	CompleteMonth time.Time // first day of the latest complete month; zero: none
	Rows          int64
	Partners      int64
}

// Coverage is the data watermarks of the latest transform run.
type Coverage struct {
	RunID    string
	Reports  Watermark   // orders and usage: what partner reports are built on
	Datasets []Watermark // each dataset, by name
	months   map[string]map[time.Time]bool
}

// ErrNoCoverage is returned (wrapped, in a *CoverageError) when a report would
// pass the data.
var ErrNoCoverage = errors.New("the report would pass the data")

// CoverageError lists what a report would show without data.
type CoverageError struct {
	Problems []string
}

func (e *CoverageError) Error() string {
	return strings.Join(e.Problems, "; ") + " (--allow-empty, or [reports] allow_empty for the scheduled reports, writes it anyway, marked as such)"
}

func (e *CoverageError) Unwrap() error { return ErrNoCoverage }

// LoadCoverage reads the watermarks of the latest transform run.
func LoadCoverage(ctx context.Context, s *duckstore.Store) (Coverage, error) {
	var c Coverage
	q, err := sqlfiles.Report("reporting_coverage_watermarks")
	if err != nil {
		return c, err
	}
	rows, err := s.Query(ctx, q)
	if err != nil {
		return c, fmt.Errorf("read data watermarks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var w Watermark
		var from, through, complete sql.NullTime
		if err := rows.Scan(&w.Dataset, &from, &through, &complete, &w.Rows, &w.Partners, &c.RunID); err != nil {
			return c, fmt.Errorf("read data watermarks: %w", err)
		}
		w.DataFrom, w.DataThrough, w.CompleteMonth = from.Time, through.Time, complete.Time
		if w.Dataset == "reports" {
			c.Reports = w
			continue
		}
		c.Datasets = append(c.Datasets, w)
	}
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("read data watermarks: %w", err)
	}
	q, err = sqlfiles.Report("reporting_coverage_partner_months")
	if err != nil {
		return c, err
	}
	prow, err := s.Query(ctx, q)
	if err != nil {
		return c, fmt.Errorf("read partner data months: %w", err)
	}
	defer prow.Close()
	c.months = map[string]map[time.Time]bool{}
	for prow.Next() {
		var id string
		var m time.Time
		if err := prow.Scan(&id, &m); err != nil {
			return c, fmt.Errorf("read partner data months: %w", err)
		}
		if c.months[id] == nil {
			c.months[id] = map[time.Time]bool{}
		}
		c.months[id][day(m)] = true
	}
	return c, prow.Err()
}

// RawDataThrough is the 'reports' watermark computed from the raw tables, for
// a transform that has not run yet; ok is false when there is no data.
func RawDataThrough(ctx context.Context, s *duckstore.Store) (through, completeMonth time.Time, ok bool, err error) {
	q, err := sqlfiles.Report("reporting_coverage_raw_extent")
	if err != nil {
		return time.Time{}, time.Time{}, false, err
	}
	var t, m sql.NullTime
	if err := s.QueryRow(ctx, q).Scan(&t, &m); err != nil {
		return time.Time{}, time.Time{}, false, fmt.Errorf("read the data's extent: %w", err)
	}
	return day(t.Time), day(m.Time), t.Valid, nil
}

// DataThrough describes the watermark for people: "2026-10-31 (latest complete month 2026-10)".
func (c Coverage) DataThrough() string {
	if c.Reports.DataThrough.IsZero() {
		return "no data"
	}
	s := c.Reports.DataThrough.Format(time.DateOnly)
	if c.Reports.CompleteMonth.IsZero() {
		return s + " (no complete month yet)"
	}
	return s + " (latest complete month " + c.Reports.CompleteMonth.Format("2006-01") + ")"
}

// Problems lists why a report of p for partners would show months or
// partners without data: a report month after the data's last complete
// month, or a partner with no data at all in the window.
func (c Coverage) Problems(p Period, partners []string) []string {
	var out []string
	through := "no data yet"
	if !c.Reports.DataThrough.IsZero() {
		through = "data through " + c.Reports.DataThrough.Format(time.DateOnly)
	}
	switch {
	case c.Reports.CompleteMonth.IsZero():
		out = append(out, fmt.Sprintf("report month %s has no complete month of data before it (%s)", p.Label(), through))
	case p.Month.After(c.Reports.CompleteMonth):
		out = append(out, fmt.Sprintf("report month %s is after the data's last complete month %s (%s)",
			p.Label(), c.Reports.CompleteMonth.Format("2006-01"), through))
	}
	var empty []string
	for _, id := range partners {
		if !c.hasData(id, p) {
			empty = append(empty, id)
		}
	}
	window := "in " + p.Label()
	if p.Months > 1 {
		window = "from " + p.First().Format("2006-01") + " to " + p.Label()
	}
	switch {
	case len(empty) == 1:
		out = append(out, fmt.Sprintf("partner %s has no data at all %s (%s)", empty[0], window, through))
	case len(empty) > 1:
		out = append(out, fmt.Sprintf("partners %s have no data at all %s (%s)", strings.Join(empty, ", "), window, through))
	}
	return out
}

// Check returns a *CoverageError if a report of p for partners would pass the data.
func (c Coverage) Check(p Period, partners []string) error {
	if probs := c.Problems(p, partners); len(probs) > 0 {
		return &CoverageError{Problems: probs}
	}
	return nil
}

// hasData reports whether the partner has any data in p's window.
func (c Coverage) hasData(partner string, p Period) bool {
	for m := p.First(); !m.After(p.Month); m = m.AddDate(0, 1, 0) {
		if c.months[partner][m] {
			return true
		}
	}
	return false
}

// meta is what the Metadata sheet says about the data: what it covers, and
// whether this workbook was written past it (with --allow-empty).
func (c *Coverage) meta(loc *i18n.Localizer, partner string, p Period) [][2]string {
	if c == nil {
		return nil
	}
	rows := [][2]string{{loc.T("workbook.meta.data_through"), dataThrough(loc, c.DataThrough())}}
	if probs := c.Problems(p, []string{partner}); len(probs) > 0 {
		// The problems are the operator's words (English, as the CLI).
		rows = append(rows, [2]string{loc.T("workbook.meta.coverage"),
			loc.T("workbook.meta.coverage_text", map[string]any{"Problems": strings.Join(probs, "; ")})})
	}
	return rows
}

// Coverage is the data watermarks the generator was given (nil: none).
func (g *Generator) Coverage() *Coverage { return g.opt.Coverage }
