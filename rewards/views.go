package rewards

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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

// statusColumns are the columns `insights tiers` shows of the tiers_status query;
// company_name, from the partners reference data, follows pga_id.
var statusColumns = []string{"pga_id", "as_of", "window_start", "window_end", "ttm_billed_sales_usd",
	"tier", "next_tier", "gap_usd", "run_rate_usd", "projected_month"}

// NoTierYet is what the tier of a company that has reached none reads, as on the pages.
const NoTierYet = "none yet"

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
	companies, err := s.ReportTable(ctx, "tiers_companies")
	if err != nil {
		return duckstore.Table{}, fmt.Errorf("tier status: %w", err)
	}
	names := make(map[any]any, len(companies.Rows))
	for _, r := range companies.Rows {
		names[r[0]] = r[1]
	}
	out := duckstore.Table{Columns: append([]string{statusColumns[0], "company_name"}, statusColumns[1:]...)}
	for _, r := range all.Rows {
		if pga != "" && r[idx[0]] != pga {
			continue
		}
		row := make([]any, 0, len(idx)+1)
		for i, j := range idx {
			row = append(row, r[j])
			if i == 0 {
				row = append(row, names[r[j]])
			}
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

// HistoryTable is History as a table: every decision of one unlock, oldest
// first, or ("" ) of every unlock, grouped by unlock id and oldest first
// within each. An unlock id that is neither an unlock of the last transform
// nor in the audit trail is ErrUnknownUnlock, naming it.
func HistoryTable(ctx context.Context, s *duckstore.Store, unlockID string) (duckstore.Table, error) {
	unlockID = strings.TrimSpace(unlockID)
	t, err := s.ReportTable(ctx, "tiers_decision_history", unlockID, unlockID)
	if err != nil || unlockID == "" || len(t.Rows) > 0 {
		return t, err
	}
	known, err := s.ReportTable(ctx, "tiers_unlock_known", unlockID, unlockID)
	if err != nil {
		return duckstore.Table{}, fmt.Errorf("review history: %w", err)
	}
	if len(known.Rows) == 0 || known.Rows[0][0] != true {
		return duckstore.Table{}, fmt.Errorf("review history: %w %q (`insights review list --all` lists every unlock; unlocks come from the last `insights transform`)", ErrUnknownUnlock, unlockID)
	}
	return t, nil
}
