package tiers

import (
	"context"
	"fmt"
	"strings"
	"time"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// StatusReportSQL is the query the tier status step runs (sql/reports/tiers_status.sql);
// its text is part of the transform run id.
const StatusReportSQL = "tiers_status"

// Fingerprint is what the rules contribute to the transform run id.
func (r *Rules) Fingerprint() string { return "tier rules\n" + r.Text }

// LoadRules is a transform step: it writes the rules and the run (id, as-of)
// into the tier tables that the SQL steps 210–240 read.
func LoadRules(ctx context.Context, tx *duckstore.Tx, runID string, asOf time.Time, r *Rules) error {
	for _, t := range []string{"tier_run", "tier_settings", "tier_rules", "tier_benefit_catalog"} {
		if _, err := tx.Exec(ctx, "DELETE FROM "+duckstore.Ident(t)); err != nil {
			return fmt.Errorf("clear %s: %w", t, err)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO tier_run VALUES (?, ?)`, runID, asOf); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO tier_settings VALUES (?, ?, ?)`, r.WindowMonths, r.RunRateMonths, r.Source); err != nil {
		return err
	}
	rank := map[string]int{}
	for i, t := range r.Tiers {
		rank[t.Name] = i + 1
		if _, err := tx.Exec(ctx, `INSERT INTO tier_rules VALUES (?, ?, ?, CAST(? AS DECIMAL(18,2)))`,
			i+1, t.Name, t.Slug, ThresholdDecimal(t.ThresholdCents)); err != nil {
			return err
		}
	}
	for i, b := range r.Benefits {
		var tier, tierRank any
		if b.Tier != "" {
			tier, tierRank = b.Tier, rank[b.Tier]
		}
		if _, err := tx.Exec(ctx, `INSERT INTO tier_benefit_catalog
				(listing_type, tier, tier_rank, benefit, expires_after_months, position, category) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			b.ListingType, tier, tierRank, b.Name, b.ExpiresAfterMonths, i+1, b.Category); err != nil {
			return err
		}
	}
	return nil
}

// FXError lists the currency-months without an FX rate and the rows each blocks.
type FXError struct {
	Missing []MissingFX
	NoMonth int64 // billed rows without a month
}

// MissingFX is one currency and month with no rate.
type MissingFX struct {
	Currency   string // "" when the rows have no currency
	Month      time.Time
	OrderLines int64 // order lines (and their cancellations)
	UsageRows  int64
}

func (e *FXError) Error() string {
	var b strings.Builder
	b.WriteString("billed sales cannot be converted to USD; add the rates to fx_rates and run again:")
	for _, m := range e.Missing {
		cur := m.Currency
		if cur == "" {
			cur = "(no currency)"
		}
		fmt.Fprintf(&b, "\n  - no FX rate for %s in %s: blocks %d rows (%d order lines, %d usage rows)",
			cur, m.Month.Format("2006-01"), m.OrderLines+m.UsageRows, m.OrderLines, m.UsageRows)
	}
	if e.NoMonth > 0 {
		fmt.Fprintf(&b, "\n  - %d billed rows have no month (MonthStartDate / UsageDate)", e.NoMonth)
	}
	return b.String()
}

// CheckFX fails with an *FXError when any billed sales part has no FX rate or no month.
func CheckFX(ctx context.Context, tx *duckstore.Tx) error {
	rows, err := tx.Query(ctx, `
		SELECT coalesce(currency, ''), month,
		       coalesce(sum(source_rows) FILTER (WHERE part IN ('orders', 'order_refunds', 'cancellations')), 0),
		       coalesce(sum(source_rows) FILTER (WHERE part IN ('usage', 'usage_refunds')), 0)
		FROM billed_sales_parts
		WHERE rate_to_usd IS NULL AND month IS NOT NULL
		GROUP BY ALL
		ORDER BY 1, 2`)
	if err != nil {
		return err
	}
	defer rows.Close()
	fe := &FXError{}
	for rows.Next() {
		var m MissingFX
		if err := rows.Scan(&m.Currency, &m.Month, &m.OrderLines, &m.UsageRows); err != nil {
			return err
		}
		fe.Missing = append(fe.Missing, m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT coalesce(sum(source_rows), 0) FROM billed_sales_parts WHERE month IS NULL`).Scan(&fe.NoMonth); err != nil {
		return err
	}
	if len(fe.Missing) > 0 || fe.NoMonth > 0 {
		return fe
	}
	return nil
}

// StatusQuery returns the tier status query (one parameter: the as-of DATE).
func StatusQuery() (string, error) {
	q, err := sqlfiles.Report(StatusReportSQL)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(strings.TrimSpace(q), ";"), nil
}

// TierStatus is a transform step: it stores every company's tier status as of
// asOf (the query of StatusQuery) in tier_status_data.
func TierStatus(ctx context.Context, tx *duckstore.Tx, asOf time.Time) error {
	q, err := StatusQuery()
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM tier_status_data`); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "INSERT INTO tier_status_data BY NAME SELECT * FROM (\n"+q+"\n)", asOf)
	return err
}
