package tiers_test

import (
	"context"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// env is a fresh store with fixture helpers that write raw rows straight into the raw
// tables (_file_id 0), as ingest would.
type env struct {
	t     *testing.T
	ctx   context.Context
	s     *duckstore.Store
	rules *tiers.Rules
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return &env{t: t, ctx: context.Background(), s: testkit.Open(t), rules: tiers.Default()}
}

func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.s.Exec(e.ctx, q, args...); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
}

// partner adds a publisher profile of a PGA with one Transact offer "<partner>-offer".
func (e *env) partner(partnerID, pgaID, accountEmail string) {
	e.t.Helper()
	e.exec(`INSERT INTO partners (partner_id, pga_id, partner_name, company_name, account_email, _file_id) VALUES (?, ?, ?, ?, ?, 0)`,
		partnerID, pgaID, partnerID, pgaID+" Inc", accountEmail)
	e.offer(partnerID+"-offer", partnerID, "Transact", "2024-01-01")
}

func (e *env) offer(offerID, partnerID, listingType, live string) {
	e.t.Helper()
	e.exec(`INSERT INTO offers (offer_id, partner_id, offer_name, listing_type, live_date, _file_id) VALUES (?, ?, ?, ?, CAST(? AS DATE), 0)`,
		offerID, partnerID, offerID+" name", listingType, nullable(live))
}

type ord struct {
	asset, line      string
	version          int
	publisher, offer string // one of them resolves the partner
	offerName        string
	month            string // YYYY-MM
	amount, currency string
	status, cancel   string // cancel: YYYY-MM-DD
	license          string // default "Billed through Azure"
	fraud            bool
}

func (e *env) order(o ord) {
	e.t.Helper()
	if o.version == 0 {
		o.version = 1
	}
	if o.line == "" {
		o.line = "L1"
	}
	if o.currency == "" {
		o.currency = "USD"
	}
	if o.status == "" {
		o.status = "Active"
	}
	if o.license == "" {
		o.license = "Billed through Azure"
	}
	e.exec(`INSERT INTO orders (asset_id, purchase_record_line_item_id, order_version, publisher_id, offer_id, offer_name,
			month_start_date, estimated_charges, currency, order_status, order_cancel_date, marketplace_license_type, is_fraud,
			event_timestamp, _file_id)
		VALUES (?, ?, ?, ?, ?, ?, CAST(? || '-01' AS DATE), CAST(? AS DECIMAL(18,6)), ?, ?, CAST(? AS DATE), ?, ?, TIMESTAMP '2020-01-01' + to_days(?), 0)`,
		o.asset, o.line, o.version, nullable(o.publisher), nullable(o.offer), nullable(o.offerName),
		o.month, o.amount, o.currency, o.status, nullable(o.cancel), o.license, o.fraud, o.version)
}

type use struct {
	ref, publisher, offer string
	date                  string // YYYY-MM-DD
	cc, ccCurrency        string
	pc, pcCurrency        string
	license               string
	fraud                 bool
}

func (e *env) usage(u use) {
	e.t.Helper()
	if u.license == "" {
		u.license = "Billed through Azure"
	}
	e.exec(`INSERT INTO usage (marketplace_subscription_id, usage_date, reference_id, publisher_id, offer_id,
			estimated_extended_charge_cc, customer_currency_cc, estimated_extended_charge_pc, payout_currency_pc,
			marketplace_license_type, is_fraud, _file_id)
		VALUES ('sub-'||?, CAST(? AS DATE), ?, ?, ?, CAST(? AS DECIMAL(18,6)), ?, CAST(? AS DECIMAL(18,6)), ?, ?, ?, 0)`,
		u.ref, u.date, u.ref, nullable(u.publisher), nullable(u.offer), nullable(u.cc), nullable(u.ccCurrency),
		nullable(u.pc), nullable(u.pcCurrency), u.license, u.fraud)
}

func (e *env) rate(currency, month, rate string) {
	e.t.Helper()
	e.exec(`INSERT INTO fx_rates VALUES (?, CAST(? || '-01' AS DATE), CAST(? AS DECIMAL(18,8)), 0)`, currency, month, rate)
}

func (e *env) contact(pga, email, phone, language, assigned, contacted string) {
	e.t.Helper()
	e.exec(`INSERT INTO contacts VALUES (?, 'Mia Marketing', ?, ?, ?, CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), 0)`,
		pga, nullable(email), nullable(phone), nullable(language), assigned, nullable(contacted))
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// run runs the real transform (the declared pipeline with e.rules).
func (e *env) run(asOf string) error {
	e.t.Helper()
	p, err := transform.Default(e.rules)
	if err != nil {
		return err
	}
	_, err = transform.NewRunner(e.s, nil, p).Run(e.ctx, day(asOf))
	return err
}

func (e *env) mustRun(asOf string) {
	e.t.Helper()
	if err := e.run(asOf); err != nil {
		e.t.Fatalf("transform as of %s: %v", asOf, err)
	}
}

// str runs a one-value query and renders the value as text ("" for NULL).
func (e *env) str(q string, args ...any) string {
	e.t.Helper()
	return testkit.Str(e.t, e.s, q, args...)
}

// rows renders a query's rows as "a|b|c" lines.
func (e *env) rows(q string, args ...any) []string {
	e.t.Helper()
	return testkit.Rows(e.t, e.s, q, args...)
}

// status is one PGA's tier status row from the view tier_status.
func (e *env) status(pga string) string {
	e.t.Helper()
	r := e.rows(`SELECT ttm_billed_sales_usd, tier, next_tier, gap_usd, projected_month FROM tier_status WHERE pga_id = ?`, pga)
	if len(r) != 1 {
		e.t.Fatalf("tier_status for %s: %v", pga, r)
	}
	return r[0]
}

func (e *env) unlocks(pga string) []string {
	e.t.Helper()
	return e.rows(`SELECT tier, unlocked_on, ttm_at_unlock_usd FROM tier_unlocks WHERE pga_id = ? ORDER BY tier_rank`, pga)
}
