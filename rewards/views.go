package rewards

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// The rewards team's listings, as tables the CLI prints: tier status, unlocks,
// the review list and the decision history. Each reads what the last transform
// run computed.

// ErrNoRules means no transform run has loaded the tier rules yet.
var ErrNoRules = errors.New("no tier rules loaded yet: run `insights transform` first")

// ErrUnknownPGA means a partner global account is in neither the partners nor the billed sales.
var ErrUnknownPGA = errors.New("unknown partner global account")

// statusColumns are the columns `insights tiers` shows of the tiers_status query.
var statusColumns = []string{"pga_id", "as_of", "window_start", "window_end", "ttm_billed_sales_usd",
	"tier", "next_tier", "gap_usd", "run_rate_usd", "projected_month"}

// TierStatus is every partner global account's tier status as of a date, or
// one account's (pga non-empty; an unknown one is an error naming it).
func TierStatus(ctx context.Context, s *duckstore.Store, asOf time.Time, pga string) (duckstore.Table, error) {
	loaded, err := s.ReportTable(ctx, "tiers_rules_loaded")
	if err != nil {
		return duckstore.Table{}, err
	}
	if len(loaded.Rows) == 0 || loaded.Rows[0][0] != true {
		return duckstore.Table{}, ErrNoRules
	}
	all, err := s.ReportTable(ctx, "tiers_status", asOf)
	if err != nil {
		return duckstore.Table{}, err
	}
	idx := make([]int, len(statusColumns))
	for i, c := range statusColumns {
		if idx[i] = slices.Index(all.Columns, c); idx[i] < 0 {
			return duckstore.Table{}, fmt.Errorf("tier status: column %s missing from tiers_status", c)
		}
	}
	out := duckstore.Table{Columns: statusColumns}
	for _, r := range all.Rows {
		if pga != "" && r[idx[0]] != pga {
			continue
		}
		row := make([]any, len(idx))
		for i, j := range idx {
			row[i] = r[j]
		}
		out.Rows = append(out.Rows, row)
	}
	if pga != "" && len(out.Rows) == 0 {
		return duckstore.Table{}, fmt.Errorf("%w %q: it has no publisher profile in the partners reference data and no billed sales (`insights tiers` lists every account)", ErrUnknownPGA, pga)
	}
	return out, nil
}

// Unlocks lists tier unlocks on or after since (zero: every unlock).
func Unlocks(ctx context.Context, s *duckstore.Store, since time.Time) (duckstore.Table, error) {
	var d any
	if !since.IsZero() {
		d = since
	}
	return s.ReportTable(ctx, "tiers_unlocks", d, d)
}

// ReviewList lists the unlocks still to decide (no decision, or deferred), or every unlock.
func ReviewList(ctx context.Context, s *duckstore.Store, all bool) (duckstore.Table, error) {
	return s.ReportTable(ctx, "tiers_review", !all)
}

// HistoryTable is History as a table: every decision, oldest first, of one
// unlock ("" = every unlock).
func HistoryTable(ctx context.Context, s *duckstore.Store, unlockID string) (duckstore.Table, error) {
	return s.ReportTable(ctx, "tiers_decision_history", unlockID, unlockID)
}
