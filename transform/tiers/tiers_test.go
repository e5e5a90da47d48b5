package tiers_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/transform/tiers"
)

// Default rules: Tier 1 at USD 25,000, Tier 2 at 100,000, Tier 3 at 1,000,000, Tier 4 at 4,000,000.

func TestBilledSalesAndTierThresholds(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(e *env)
		asOf    string
		status  string   // ttm|tier|next_tier|gap|projected_month of PGA G
		unlocks []string // tier|unlocked_on|ttm_at_unlock
		monthly []string // month|billed_sales_usd|orders|order_refunds|cancellations|usage|usage_refunds
	}{
		{
			name: "exactly at the threshold unlocks",
			setup: func(e *env) {
				e.order(ord{asset: "A1", publisher: "P1", month: "2026-01", amount: "25000.00"})
			},
			asOf: "2026-01-31",
			// run rate 25000/3 a month: 25000 + 9 * 8333.33.. >= 100000
			status:  "25000.00|Tier 1|Tier 2|75000.00|2026-10",
			unlocks: []string{"Tier 1|2026-01-31|25000.00"},
		},
		{
			name: "one cent below does not",
			setup: func(e *env) {
				e.order(ord{asset: "A1", publisher: "P1", month: "2026-01", amount: "24999.99"})
			},
			asOf:   "2026-01-31",
			status: "24999.99||Tier 1|0.01|2026-02",
		},
		{
			name: "two publisher profiles of one PGA only cross together",
			setup: func(e *env) {
				e.order(ord{asset: "A1", publisher: "P1", month: "2026-01", amount: "15000"})
				e.order(ord{asset: "A2", offer: "P2-offer", month: "2026-01", amount: "5000"})
				e.usage(use{ref: "U1", publisher: "P2", date: "2026-01-17", pc: "5000", pcCurrency: "USD", cc: "4000", ccCurrency: "EUR"})
			},
			asOf:    "2026-01-31",
			status:  "25000.00|Tier 1|Tier 2|75000.00|2026-10",
			unlocks: []string{"Tier 1|2026-01-31|25000.00"},
			monthly: []string{"2026-01-01|25000.00|20000.00|0.00|0.00|5000.00|0.00"},
		},
		{
			name: "a cancellation pulls the partner back under",
			setup: func(e *env) {
				e.order(ord{asset: "A1", publisher: "P1", month: "2026-01", amount: "20000"})
				e.order(ord{asset: "A2", publisher: "P1", month: "2026-01", amount: "6000"})
				e.order(ord{asset: "A2", publisher: "P1", month: "2026-01", amount: "6000", version: 2, status: "Canceled", cancel: "2026-01-20"})
			},
			asOf:    "2026-01-31",
			status:  "20000.00||Tier 1|5000.00|2026-02",
			monthly: []string{"2026-01-01|20000.00|26000.00|0.00|-6000.00|0.00|0.00"},
		},
		{
			name: "a cancellation in a later month keeps the unlock, the total drops from then on",
			setup: func(e *env) {
				e.order(ord{asset: "A1", publisher: "P1", month: "2026-01", amount: "20000"})
				e.order(ord{asset: "A2", publisher: "P1", month: "2026-01", amount: "6000"})
				e.order(ord{asset: "A2", publisher: "P1", month: "2026-01", amount: "6000", version: 2, status: "Canceled", cancel: "2026-02-03"})
			},
			asOf:    "2026-02-28",
			status:  "20000.00|Tier 1|Tier 2|80000.00|not at current pace",
			unlocks: []string{"Tier 1|2026-01-31|26000.00"},
			monthly: []string{"2026-01-01|26000.00|26000.00|0.00|0.00|0.00|0.00", "2026-02-01|-6000.00|0.00|0.00|-6000.00|0.00|0.00"},
		},
		{
			name: "a refund in another currency, converted at its month's rate",
			setup: func(e *env) {
				e.rate("EUR", "2026-02", "1.10000000")
				e.rate("EUR", "2026-01", "2.00000000") // not this month's rate
				e.order(ord{asset: "A1", publisher: "P1", month: "2026-01", amount: "30000"})
				e.order(ord{asset: "A2", publisher: "P1", month: "2026-02", amount: "-4545.454545", currency: "eur"})
			},
			asOf:    "2026-02-28",
			status:  "25000.00|Tier 1|Tier 2|75000.00|2026-11",
			unlocks: []string{"Tier 1|2026-01-31|30000.00"},
			// -4545.454545 * 1.1 = -4999.9999995 exactly, rounded once to -5000.00
			monthly: []string{"2026-01-01|30000.00|30000.00|0.00|0.00|0.00|0.00", "2026-02-01|-5000.00|0.00|-5000.00|0.00|0.00|0.00"},
		},
		{
			name: "usage in the payout currency; a refund in the customer currency when the payout charge is missing",
			setup: func(e *env) {
				e.rate("GBP", "2026-01", "1.25")
				e.rate("EUR", "2026-01", "9.99") // the CC currency of U1: not used
				e.usage(use{ref: "U1", publisher: "P1", date: "2026-01-05", pc: "20000", pcCurrency: "GBP", cc: "1", ccCurrency: "EUR"})
				e.usage(use{ref: "U2", publisher: "P1", date: "2026-01-25", cc: "-1000", ccCurrency: "GBP"})
			},
			asOf:    "2026-01-31",
			status:  "23750.00||Tier 1|1250.00|2026-02",
			monthly: []string{"2026-01-01|23750.00|0.00|0.00|0.00|25000.00|-1250.00"},
		},
		{
			name: "fraud, other license types and abandoned orders do not count",
			setup: func(e *env) {
				e.order(ord{asset: "A1", publisher: "P1", month: "2026-01", amount: "24000"})
				e.order(ord{asset: "A2", publisher: "P1", month: "2026-01", amount: "5000", fraud: true})
				e.order(ord{asset: "A3", publisher: "P1", month: "2026-01", amount: "5000", license: "Bring Your Own License"})
				e.order(ord{asset: "A4", publisher: "P1", month: "2026-01", amount: "5000", status: "Abandoned"})
				e.usage(use{ref: "U1", publisher: "P1", date: "2026-01-05", cc: "5000", ccCurrency: "USD", fraud: true})
				e.usage(use{ref: "U2", publisher: "P1", date: "2026-01-05", cc: "5000", ccCurrency: "USD", license: "Free"})
				e.usage(use{ref: "U3", publisher: "P1", date: "2026-01-05", cc: "999.99", ccCurrency: "usd", license: "billed through azure"})
			},
			asOf:   "2026-01-31",
			status: "24999.99||Tier 1|0.01|2026-02",
		},
		{
			name: "several tiers crossed in one month unlock together",
			setup: func(e *env) {
				e.order(ord{asset: "A1", publisher: "P1", month: "2026-01", amount: "150000"})
			},
			asOf:    "2026-03-15",
			status:  "150000.00|Tier 2|Tier 3|850000.00|not at current pace",
			unlocks: []string{"Tier 1|2026-01-31|150000.00", "Tier 2|2026-01-31|150000.00"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.partner("P1", "G", "owner@g.example")
			e.partner("P2", "G", "owner2@g.example")
			tc.setup(e)
			e.mustRun(tc.asOf)
			if got := e.status("G"); got != tc.status {
				t.Errorf("tier status = %q, want %q", got, tc.status)
			}
			if got := e.unlocks("G"); !slices.Equal(got, tc.unlocks) {
				t.Errorf("unlocks = %q, want %q", got, tc.unlocks)
			}
			if tc.monthly != nil {
				got := e.rows(`SELECT month, billed_sales_usd, orders_usd, order_refunds_usd, cancellations_usd, usage_usd, usage_refunds_usd
					FROM billed_sales_monthly WHERE pga_id = 'G' ORDER BY month`)
				if !slices.Equal(got, tc.monthly) {
					t.Errorf("billed_sales_monthly = %q, want %q", got, tc.monthly)
				}
			}
		})
	}
}

func TestMissingFXRateFailsTheRunNamingCurrencyMonthAndRows(t *testing.T) {
	e := newEnv(t)
	e.partner("P1", "G", "owner@g.example")
	e.rate("EUR", "2026-01", "1.1")
	e.order(ord{asset: "A1", publisher: "P1", month: "2026-01", amount: "100", currency: "EUR"}) // has a rate
	e.order(ord{asset: "A2", publisher: "P1", month: "2026-02", amount: "100", currency: "EUR"})
	e.order(ord{asset: "A3", publisher: "P1", month: "2026-02", amount: "-10", currency: "EUR"})
	e.usage(use{ref: "U1", publisher: "P1", date: "2026-02-03", cc: "5", ccCurrency: "EUR"})
	e.usage(use{ref: "U2", publisher: "P1", date: "2026-03-03", cc: "5", ccCurrency: "JPY"})
	e.usage(use{ref: "U3", publisher: "P1", date: "2026-03-03", cc: "5", ccCurrency: "JPY", fraud: true}) // not billed: no rate needed

	// A first, successful run leaves tier tables that the failed run must not touch.
	e.exec(`INSERT INTO fx_rates VALUES ('EUR', DATE '2026-02-01', 1.2, 0), ('JPY', DATE '2026-03-01', 0.0066, 0)`)
	e.mustRun("2026-03-31")
	before := e.rows(`SELECT pga_id, ttm_billed_sales_usd FROM tier_status`)
	e.exec(`DELETE FROM fx_rates WHERE month > DATE '2026-01-01'`)

	err := e.run("2026-03-31")
	var fe *tiers.FXError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want an FXError", err)
	}
	for _, want := range []string{
		"no FX rate for EUR in 2026-02: blocks 3 rows (2 order lines, 1 usage rows)",
		"no FX rate for JPY in 2026-03: blocks 1 rows (0 order lines, 1 usage rows)",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\ndoes not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "2026-01") {
		t.Errorf("error names a month that has a rate: %v", err)
	}
	if after := e.rows(`SELECT pga_id, ttm_billed_sales_usd FROM tier_status`); !slices.Equal(after, before) {
		t.Errorf("failed run changed tier_status: %q -> %q", before, after)
	}
	if got := e.str(`SELECT status FROM transform_runs ORDER BY started_at DESC LIMIT 1`); got != "failed" {
		t.Errorf("last run status = %q", got)
	}
}

func TestTrailingWindowEdge(t *testing.T) {
	tests := []struct {
		asOf, status string
	}{
		{"2025-12-31", "25000.00|Tier 1|Tier 2|75000.00|not at current pace"}, // Jan 2025 is month 12 of the window
		{"2026-01-15", "25000.00|Tier 1|Tier 2|75000.00|not at current pace"}, // January 2026 is not complete yet
		{"2026-01-31", "0.00|Tier 1|Tier 2|100000.00|not at current pace"},    // month 13: out; the tier stays
	}
	for _, tc := range tests {
		t.Run(tc.asOf, func(t *testing.T) {
			e := newEnv(t)
			e.partner("P1", "G", "owner@g.example")
			e.order(ord{asset: "A1", publisher: "P1", month: "2025-01", amount: "25000"})
			e.mustRun(tc.asOf)
			if got := e.status("G"); got != tc.status {
				t.Errorf("status = %q, want %q", got, tc.status)
			}
			if got := e.str(`SELECT window_start || '..' || window_end FROM tier_status WHERE pga_id = 'G'`); tc.asOf == "2025-12-31" && got != "2025-01-01..2025-12-31" {
				t.Errorf("window = %s", got)
			}
		})
	}
}

func TestDipAndRecoveryUnlockOnce(t *testing.T) {
	e := newEnv(t)
	e.partner("P1", "G", "owner@g.example")
	e.order(ord{asset: "A1", publisher: "P1", month: "2025-01", amount: "30000"}) // unlocks Tier 1
	e.order(ord{asset: "A2", publisher: "P1", month: "2025-06", amount: "-8000"}) // dip under
	e.order(ord{asset: "A3", publisher: "P1", month: "2025-09", amount: "9000"})  // recovery
	e.order(ord{asset: "A4", publisher: "P1", month: "2026-03", amount: "40000"}) // after the window emptied

	want := []string{"Tier 1|2025-01-31|30000.00"}
	for _, asOf := range []string{"2025-07-31", "2025-09-30", "2026-03-31"} {
		e.mustRun(asOf)
		if got := e.unlocks("G"); !slices.Equal(got, want) {
			t.Fatalf("as of %s: unlocks = %q, want %q", asOf, got, want)
		}
	}
	if got := e.str(`SELECT count(*) FROM tier_unlocks`); got != "1" {
		t.Fatalf("%s unlocks", got)
	}
	e.mustRun("2025-07-31")
	if got, want := e.status("G"), "22000.00|Tier 1|Tier 2|78000.00|not at current pace"; got != want {
		t.Errorf("during the dip status = %q, want %q (a dip does not re-lock)", got, want)
	}
}

func TestAnniversaryRefreshesBenefits(t *testing.T) {
	tests := []struct {
		asOf    string
		period  string // benefit_period|benefits_refreshed_on|next_refresh_on
		periods []string
	}{
		{"2026-03-30", "1|2025-03-31|2026-03-31", []string{"1|2025-03-31|2026-03-30"}},
		{"2026-03-31", "2|2026-03-31|2027-03-31", []string{"1|2025-03-31|2026-03-30", "2|2026-03-31|2027-03-30"}},
		{"2027-04-01", "3|2027-03-31|2028-03-31", []string{"1|2025-03-31|2026-03-30", "2|2026-03-31|2027-03-30", "3|2027-03-31|2028-03-30"}},
	}
	for _, tc := range tests {
		t.Run(tc.asOf, func(t *testing.T) {
			e := newEnv(t)
			e.partner("P1", "G", "owner@g.example")
			e.offer("T1", "P1", "Trial", "2024-06-01")
			e.order(ord{asset: "A1", publisher: "P1", month: "2025-03", amount: "25000"})
			e.mustRun(tc.asOf)
			if got := e.str(`SELECT benefit_period || '|' || benefits_refreshed_on || '|' || next_refresh_on FROM tier_unlocks WHERE pga_id = 'G'`); got != tc.period {
				t.Errorf("period = %s, want %s", got, tc.period)
			}
			got := e.rows(`SELECT DISTINCT period, period_start, period_end FROM tier_benefit_grants WHERE unlock_id = 'G:tier-1' ORDER BY period`)
			if !slices.Equal(got, tc.periods) {
				t.Errorf("grant periods = %q, want %q", got, tc.periods)
			}
			if got := e.str(`SELECT benefits FROM tier_unlocks WHERE unlock_id = 'G:tier-1'`); got != "Transact: Azure sponsorship USD 5,000; Transact: Go-to-market consultation" {
				t.Errorf("benefits = %q", got)
			}
		})
	}
}

func TestProjectionAtTheRunRate(t *testing.T) {
	tests := []struct {
		name   string
		months map[string]string
		asOf   string
		status string // ttm|tier|next|gap|projected
		rate   string
	}{
		{
			name:   "10k in one month reaches 25k in the fifth month at the run rate",
			months: map[string]string{"2026-01": "10000"},
			asOf:   "2026-01-31",
			// run rate (10000+0+0)/3; TTM after k months = 10000 + k*3333.33..: 25000 at k=5
			status: "10000.00||Tier 1|15000.00|2026-06",
			rate:   "3333.33",
		},
		{
			name:   "old months dropping out slow it down",
			months: map[string]string{"2025-03": "20000", "2025-12": "1000", "2026-01": "1000", "2026-02": "1000"},
			asOf:   "2026-02-28",
			// TTM 23000, rate 1000: March 2026 drops 2025-03's 20000 -> never above 12*1000
			status: "23000.00||Tier 1|2000.00|not at current pace",
			rate:   "1000.00",
		},
		{
			name:   "exact arithmetic: lands exactly on the threshold",
			months: map[string]string{"2025-12": "7000", "2026-01": "7000", "2026-02": "7000"},
			asOf:   "2026-02-28",
			// 21000 + 7000*k - 0 >= 25000 -> k = 1 (28000)
			status: "21000.00||Tier 1|4000.00|2026-03",
			rate:   "7000.00",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.partner("P1", "G", "owner@g.example")
			i := 0
			for m, amt := range tc.months {
				i++
				e.order(ord{asset: "A" + m, publisher: "P1", month: m, amount: amt})
			}
			e.mustRun(tc.asOf)
			if got := e.status("G"); got != tc.status {
				t.Errorf("status = %q, want %q", got, tc.status)
			}
			if got := e.str(`SELECT run_rate_usd FROM tier_status WHERE pga_id = 'G'`); got != tc.rate {
				t.Errorf("run rate = %s, want %s", got, tc.rate)
			}
		})
	}
}

func TestPGAWithoutSalesHasStatusAndTopTierHasNoNext(t *testing.T) {
	e := newEnv(t)
	e.partner("P1", "G", "owner@g.example")
	e.partner("P9", "QUIET", "q@q.example")
	e.order(ord{asset: "A1", publisher: "P1", month: "2026-01", amount: "4000000"})
	e.mustRun("2026-01-31")
	if got, want := e.status("QUIET"), "0.00||Tier 1|25000.00|not at current pace"; got != want {
		t.Errorf("quiet PGA = %q, want %q", got, want)
	}
	if got, want := e.status("G"), "4000000.00|Tier 4|||"; got != want {
		t.Errorf("top tier = %q, want %q", got, want)
	}
}

func TestUnresolvedPartnerIsListedNotCounted(t *testing.T) {
	e := newEnv(t)
	e.partner("P1", "G", "owner@g.example")
	e.order(ord{asset: "A1", publisher: "NOBODY", month: "2026-01", amount: "99"})
	e.mustRun("2026-01-31")
	if got := e.rows(`SELECT month, part, source_rows, amount_usd FROM billed_sales_unresolved`); !slices.Equal(got, []string{"2026-01-01|orders|1|99.00"}) {
		t.Errorf("unresolved = %q", got)
	}
	if got := e.str(`SELECT count(*) FROM billed_sales_monthly`); got != "0" {
		t.Errorf("%s monthly rows", got)
	}
}
