package reports

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Trends a partner may choose; 1 is the monthly summary of one month.
var allowedTrends = []int{1, 3, 6, 12}

// DefaultTrend is the trend of the scheduled reports (months).
const DefaultTrend = 6

// Period is what a partner report covers: the report month and the number of
// months of the trend ending with it.
type Period struct {
	Month  time.Time // first day of the report month, UTC
	Months int       // months in the window, the report month included
}

// NewPeriod validates month (any day of it) and a trend length.
func NewPeriod(month time.Time, months int) (Period, error) {
	ok := false
	for _, n := range allowedTrends {
		ok = ok || n == months
	}
	if !ok {
		return Period{}, fmt.Errorf("trend of %d months: want one of 1, 3, 6 or 12", months)
	}
	return Period{Month: firstOfMonth(month), Months: months}, nil
}

// ParseMonth reads "YYYY-MM".
func ParseMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("period %q: want a month YYYY-MM", s)
	}
	return t, nil
}

// ParseTrend reads "6m", "6" or "12m" (months).
func ParseTrend(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(strings.ToLower(s)), "m"))
	if err != nil {
		return 0, fmt.Errorf("trend %q: want 1m, 3m, 6m or 12m", s)
	}
	return n, nil
}

// LatestCompleteMonth is the report month for an as-of date (its calendar
// day): the last month whose last day is on or before it, so 2025-07-05 gives
// June 2025 and 2025-06-30 gives June 2025. The database answers, by the
// latest_complete_month macro (sql/schema/0110): the one definition of the
// rule, which the tier window and the data watermarks use too, so the report
// month cannot drift from the month the data is complete for.
func LatestCompleteMonth(ctx context.Context, q duckstore.Querier, asOf time.Time) (time.Time, error) {
	var m time.Time
	err := duckstore.QueryRowNamed(ctx, q, "reports/reporting_latest_complete_month",
		[]any{asOf.Format(time.DateOnly)}, &m)
	if err != nil {
		return time.Time{}, fmt.Errorf("latest complete month as of %s: %w", asOf.Format(time.DateOnly), err)
	}
	return firstOfMonth(m), nil
}

// First is the first month of the window.
func (p Period) First() time.Time { return p.Month.AddDate(0, 1-p.Months, 0) }

// Label is the report month, "2025-06": report_files.period.
func (p Period) Label() string { return p.Month.Format("2006-01") }

// Suffix names the period in file names: "2025-06_6m".
func (p Period) Suffix() string { return fmt.Sprintf("%s_%dm", p.Label(), p.Months) }

// Describe is the window for people: "2025-01 to 2025-06 (6 months)".
func (p Period) Describe() string {
	if p.Months == 1 {
		return p.Label() + " (1 month)"
	}
	return fmt.Sprintf("%s to %s (%d months)", p.First().Format("2006-01"), p.Label(), p.Months)
}

// args are the parameters of every partner report query, in order: the
// first and last partner id of the range served (inclusive), the first month
// of the window, the report month.
func (p Period) args(fromPartner, toPartner string) []any {
	return []any{fromPartner, toPartner, p.First(), p.Month}
}

func firstOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
