// Package reports is the Insights report catalog and its generation: which
// report queries exist (one SQL file each in sql/reports), how their columns
// are shown, and how one partner's reports for one period, or the rewards
// team's review pack, become files under out/<as-of>/… (xlsx, csv, parquet),
// written atomically and recorded in the report_files manifest. Beside them:
// the report period (its month by the database's one "latest complete month"
// rule, period.go) and the data coverage check that keeps a report from
// passing the data (coverage.go).
//
// Queries run through the store as Arrow record batches and go straight to the
// renderers of reports/render; this package never formats a value itself.
package reports

import (
	"fmt"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/reports/render"
)

// Audience says who a report is for.
type Audience string

// Audiences, as recorded in report_files.audience.
const (
	Partner Audience = "partner" // one partner's own data
	Rewards Audience = "rewards" // the rewards team's review pack, every company
)

// Report is one catalog entry: one SQL file, one sheet, one CSV file.
type Report struct {
	Name     string          // base name of sql/reports/<Name>.sql and of the report's files
	Sheet    string          // worksheet name (at most 31 characters)
	Title    string          // what the report shows, one line (README, `insights report --list`)
	Audience Audience        // who gets it; decides the query parameters (see Params)
	Parquet  bool            // detail data: also written as Parquet
	Columns  []render.Column // one per result column, in order; names equal the query's
	// Empty is what the sheet says when the query returns no rows; the
	// generator adds when ("… as of 2026-10-31", "… in 2026-05 to 2026-10").
	Empty      string
	Highlights []render.Highlight // xlsx conditional formats
	Bars       []render.Bar       // xlsx data bars
}

// table is the empty result of r, ready for its records.
func (r Report) table() render.Table {
	return render.Table{Name: r.Sheet, Columns: r.Columns, Highlights: r.Highlights, Bars: r.Bars}
}

// SQLFile is the report's query file, relative to the repository root.
func (r Report) SQLFile() string { return "sql/reports/" + r.Name + ".sql" }

// Column constructors keep the catalog below readable.
func text(name, header string) render.Column {
	return render.Column{Name: name, Header: header, Format: render.Text}
}
func integer(name, header string) render.Column {
	return render.Column{Name: name, Header: header, Format: render.Integer}
}
func decimal(name, header string) render.Column {
	return render.Column{Name: name, Header: header, Format: render.Decimal}
}
func money(name, header, currency string) render.Column {
	return render.Column{Name: name, Header: header, Format: render.Money, Currency: currency}
}
func percent(name, header string) render.Column {
	return render.Column{Name: name, Header: header, Format: render.Percent}
}
func date(name, header string) render.Column {
	return render.Column{Name: name, Header: header, Format: render.Date}
}
func month(name, header string) render.Column {
	return render.Column{Name: name, Header: header, Format: render.Month}
}
func timestamp(name, header string) render.Column {
	return render.Column{Name: name, Header: header, Format: render.Timestamp}
}

// summaryUnits are the units of the Summary's rows (summary.sql's unit
// column) and the number format each gets: the value columns mix counts,
// hours, dollars and ratios, so each row is formatted by its unit.
var summaryUnits = map[string]render.Format{
	"count":    render.Integer,
	"hours":    render.Decimal,
	"quantity": render.Decimal,
	"USD":      render.Money,
	"ratio":    render.Percent,
}

// byUnit is a Summary value column, formatted row by row by its unit.
func byUnit(name, header string) render.Column {
	return render.Column{Name: name, Header: header, Format: render.Decimal, FormatBy: "unit", RowFormats: summaryUnits}
}

// changeBy is the Summary's change column: formatted by unit as the values,
// except that a change of a ratio is in percentage points ("+3.0 pp").
func changeBy(name, header string) render.Column {
	c := byUnit(name, header)
	c.RowFormats = map[string]render.Format{}
	for unit, f := range summaryUnits {
		c.RowFormats[unit] = f
	}
	c.RowFormats["ratio"] = render.Points
	return c
}

// changeHighlights colour a change green where it goes the way its metric
// is better (the Summary's better column: higher or lower) and red where it
// goes the other way; a metric that is better neither way stays plain.
func changeHighlights(column string) []render.Highlight {
	var out []render.Highlight
	for _, dir := range []struct {
		better, up, down string
	}{{"higher", ">", "<"}, {"lower", "<", ">"}} {
		when := []render.Condition{{If: "better", Op: "=", Value: dir.better}}
		out = append(out,
			render.Highlight{Column: column, Op: dir.up, Value: 0, And: when, Tone: render.Good},
			render.Highlight{Column: column, Op: dir.down, Value: 0, And: when, Tone: render.Bad})
	}
	return out
}

// sliceHead is the leading columns of every *_by_slice report.
func sliceHead() []render.Column {
	return []render.Column{text("slice", "Slice"), text("value", "Value"), month("month", "Month")}
}

var (
	orderFigures = []render.Column{
		integer("new_orders", "New orders"),
		integer("new_trials", "of which trials"),
		integer("renewed_orders", "Renewed orders"),
		integer("canceled_orders", "Canceled orders"),
		integer("active_orders", "Active orders"),
		integer("active_quantity", "Active quantity"),
	}
	usageFigures = []render.Column{
		decimal("normalized_usage", "Normalized usage (hours)"),
		decimal("raw_usage", "Raw usage"),
		decimal("metered_quantity", "Metered quantity"),
		money("estimated_charges_usd", "Estimated charges", "USD"),
		integer("subscriptions", "Subscriptions"),
		integer("customers", "Customers"),
	}
	customerFigures = []render.Column{
		integer("new_customers", "New customers"),
		integer("lost_customers", "Lost customers"),
		integer("total_customers", "Total customers"),
	}
	deploymentSliceFigures = []render.Column{
		integer("deployments", "Attributed deployments"),
		integer("subscriptions", "Subscriptions"),
		integer("attributed_usage_rows", "Attributed usage rows"),
		decimal("attributed_normalized_usage", "Attributed usage (hours)"),
		decimal("attributed_metered_quantity", "Attributed metered quantity"),
	}
	campaignFigures = []render.Column{
		integer("page_visits", "Page visits"),
		integer("ctas", "Calls to action"),
		integer("cta_contact_me", "Contact me"),
		integer("cta_free_trial", "Free trial"),
		integer("cta_test_drive", "Test drive"),
		integer("cta_get_it_now", "Get it now"),
		integer("other_ctas", "Other calls to action"),
		integer("cta_sessions", "Sessions with a call to action"),
		integer("consents", "Consents given"),
		percent("cta_rate", "Call-to-action rate"),
		percent("consent_rate", "Consent rate"),
	}
)

func cat(parts ...[]render.Column) []render.Column {
	var out []render.Column
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// partnerCatalog is the partner workbook, in sheet order: Summary first.
var partnerCatalog = []Report{
	{Name: "summary", Sheet: "Summary", Audience: Partner,
		Title: "The report month against the month before: orders, customers, usage, billed sales, deployments, campaigns, tier",
		Columns: []render.Column{
			text("area", "Area"), text("metric", "Metric"), text("unit", "Unit"),
			byUnit("this_period", "This month"), byUnit("previous_period", "Previous month"),
			changeBy("change", "Change"), percent("change_pct", "Change %"),
			text("better", "Better when"), text("note", "Note"),
		},
		// Colour by meaning: each metric says which way is good (better:
		// fewer cancellations, a smaller gap to the next tier).
		Highlights: append(changeHighlights("change"), changeHighlights("change_pct")...),
		Bars:       []render.Bar{{Column: "this_period", If: "unit", Equals: "ratio", Min: 0, Max: 1}}, // progress to the next tier
	},
	{Name: "offers", Sheet: "Offers", Audience: Partner, Empty: "No offers",
		Title: "Each offer in the report month: orders, usage, attributed deployments, page visits and calls to action",
		Columns: []render.Column{
			text("offer_id", "Offer ID"), text("offer_name", "Offer"), text("listing_type", "Listing type"),
			date("live_date", "Live since"),
			integer("new_orders", "New orders"), integer("active_orders", "Active orders"),
			integer("canceled_orders", "Canceled orders"),
			decimal("normalized_usage", "Normalized usage (hours)"), decimal("metered_quantity", "Metered quantity"),
			money("estimated_charges_usd", "Estimated usage charges", "USD"),
			integer("attributed_deployments", "Attributed deployments"),
			integer("page_visits", "Page visits"), integer("ctas", "Calls to action"),
		}},
	{Name: "orders_monthly", Sheet: "Orders trend", Audience: Partner,
		Title:   "Orders per month: new (and trials), renewed, canceled, active, active quantity",
		Columns: cat([]render.Column{month("month", "Month")}, orderFigures)},
	{Name: "orders_by_slice", Sheet: "Orders by slice", Audience: Partner, Empty: "No orders",
		Title:   "Orders per month by offer, plan, offer type, license type, country, new or existing customer",
		Columns: cat(sliceHead(), orderFigures)},
	{Name: "usage_monthly", Sheet: "Usage trend", Audience: Partner,
		Title:   "Usage per month: normalized hours, raw usage, metered quantity, estimated charges (USD)",
		Columns: cat([]render.Column{month("month", "Month")}, usageFigures)},
	{Name: "usage_by_slice", Sheet: "Usage by slice", Audience: Partner, Empty: "No usage",
		Title:   "Usage per month by offer, plan, offer type, license type, country, new or existing customer, VM size, meter",
		Columns: cat(sliceHead(), usageFigures)},
	{Name: "customers_monthly", Sheet: "Customers trend", Audience: Partner,
		Title:   "Customers per month: new, lost, total at the month's end",
		Columns: cat([]render.Column{month("month", "Month")}, customerFigures)},
	{Name: "customers_by_slice", Sheet: "Customers by slice", Audience: Partner, Empty: "No customers",
		Title:   "Customers per month by offer, country, customer type, license type, reseller",
		Columns: cat(sliceHead(), customerFigures)},
	{Name: "retention_cohorts", Sheet: "Retention", Audience: Partner, Empty: "No customers",
		Title: "Customer retention by offer: each cohort (first active month) and the share still active each month after",
		Columns: []render.Column{
			text("offer_name", "Offer"), month("cohort_month", "Cohort (first active month)"),
			integer("months_after", "Months after"), integer("cohort_customers", "Customers in the cohort"),
			integer("customers", "Still active"), percent("retained_share", "Retained"),
		}},
	{Name: "deployments_monthly", Sheet: "Deployments trend", Audience: Partner,
		Title: "Deployments attributed to the partner's tracking IDs and the usage they attribute, per month",
		Columns: []render.Column{
			month("month", "Month"),
			integer("deployments", "Attributed deployments"), integer("succeeded_deployments", "of which succeeded"),
			integer("subscriptions", "Subscriptions"), integer("attributed_usage_rows", "Attributed usage rows"),
			decimal("attributed_normalized_usage", "Attributed usage (hours)"),
			decimal("attributed_metered_quantity", "Attributed metered quantity"),
		}},
	{Name: "deployments_by_slice", Sheet: "Deployments by slice", Audience: Partner, Empty: "No attributed deployments",
		Title:   "Attributed deployments and usage per month by offer, channel, tracking ID, plan, region, deployment status",
		Columns: cat(sliceHead(), deploymentSliceFigures)},
	{Name: "campaigns_monthly", Sheet: "Campaigns trend", Audience: Partner,
		Title:   "Listing funnel per month: page visits, calls to action by type, consents, rates",
		Columns: cat([]render.Column{month("month", "Month")}, campaignFigures)},
	{Name: "campaigns_by_slice", Sheet: "Campaigns by slice", Audience: Partner, Empty: "No listing traffic",
		Title:   "Listing funnel per month by campaign, source, referral domain, offer",
		Columns: cat(sliceHead(), campaignFigures)},
	{Name: "tier_trend", Sheet: "Tier trend", Audience: Partner,
		Title: "The company's trailing billed sales at each of the last twelve month ends against the tier thresholds",
		Columns: []render.Column{
			month("month", "Month"), money("ttm_billed_sales_usd", "Trailing billed sales", "USD"),
			text("tier", "Tier reached"), money("tier_threshold_usd", "Threshold of the tier reached", "USD"),
			money("next_threshold_usd", "Next tier threshold", "USD"),
		}},
	{Name: "revenue", Sheet: "Revenue", Audience: Partner, Parquet: true, Empty: "No revenue transactions",
		Title: "Every transaction of the Revenue download in the window: charged, earned after the store fee, payout status; not added to billed sales",
		Columns: []render.Column{
			month("month", "Month"), text("purchase_record_id", "Purchase record ID"), text("line_item_id", "Line item ID"),
			text("order_id", "Order ID"), text("offer_name", "Offer"), text("offer_type", "Offer type"), text("sku", "SKU"),
			text("billing_model", "Billing model"), text("sales_channel", "Sales channel"),
			text("customer_id", "Customer ID"), text("customer_name", "Customer name"),
			text("customer_company_name", "Company"), text("customer_country", "Country"),
			decimal("quantity", "Quantity"),
			money("transaction_amount_usd", "Transaction amount", "USD"), money("earning_amount_usd", "Earning", "USD"),
			money("earning_amount_pc", "Earning (payout currency)", ""), text("earning_currency_code", "Payout currency"),
			text("payout_status", "Payout status"), month("estimated_payout_month", "Estimated payout month"),
			date("payment_sent_date", "Payment sent"),
		}},
	{Name: "orders_detail", Sheet: "Orders detail", Audience: Partner, Parquet: true, Empty: "No orders",
		Title: "Every order line of the window (latest version), customer name masked without consent",
		Columns: []render.Column{
			month("month", "Month"), text("order_id", "Order ID"), text("line_item_id", "Line item ID"),
			integer("order_version", "Order version"), text("marketplace_subscription_id", "Marketplace subscription ID"),
			text("offer_name", "Offer"), text("offer_type", "Offer type"), text("plan_id", "Plan"), text("sku", "SKU"),
			text("marketplace_license_type", "License type"), text("azure_license_type", "Azure license type"),
			text("order_status", "Status"), text("order_action", "Action"),
			date("order_purchase_date", "Purchase date"), date("order_cancel_date", "Cancel date"),
			date("term_start_date", "Term start"), date("term_end_date", "Term end"),
			text("is_trial", "Trial"), date("trial_end_date", "Trial end"), text("is_private_offer", "Private offer"),
			integer("order_quantity", "Quantity"), money("estimated_charges", "Estimated charges", ""),
			text("currency", "Currency"), text("customer_id", "Customer ID"), text("customer_name", "Customer name"),
			text("customer_company_name", "Company"), text("customer_country", "Country"),
			text("is_new_customer", "New customer"), text("cloud_instance_name", "Cloud instance"),
			timestamp("event_timestamp", "Event time (UTC)"),
		}},
	{Name: "usage_detail", Sheet: "Usage detail", Audience: Partner, Parquet: true, Empty: "No usage",
		Title: "Every usage row of the window; Azure subscription ID for pay-as-you-go customers only",
		Columns: []render.Column{
			date("usage_date", "Usage date"), text("reference_id", "Reference ID"),
			text("marketplace_subscription_id", "Marketplace subscription ID"),
			text("azure_subscription_id", "Azure subscription ID"), text("customer_id", "Customer ID"),
			text("customer_country", "Country"), text("offer_name", "Offer"), text("offer_type", "Offer type"),
			text("plan_id", "Plan"), text("sku", "SKU"), text("marketplace_license_type", "License type"),
			text("vm_size", "VM size"), text("core_size", "Cores"), text("usage_type", "Usage type"),
			text("meter_id", "Meter ID"), text("meter_dimension", "Meter dimension"), text("usage_unit", "Unit"),
			decimal("normalized_usage", "Normalized usage"), decimal("raw_usage", "Raw usage"),
			decimal("metered_usage", "Metered usage"),
			money("estimated_extended_charge_cc", "Estimated charge (customer currency)", ""),
			text("customer_currency_cc", "Customer currency"),
			money("estimated_extended_charge_pc", "Estimated charge (payout currency)", ""),
			text("payout_currency_pc", "Payout currency"),
		}},
	{Name: "customers_detail", Sheet: "Customers detail", Audience: Partner, Parquet: true, Empty: "No customers",
		Title: "Every customer subscription of the window with the design's attributes; personal fields masked without consent",
		Columns: []render.Column{
			text("customer_id", "Customer ID"), text("customer_company_name", "Company"),
			text("first_name", "First name"), text("last_name", "Last name"), text("email", "Email"),
			text("contact_details", "Contact details"), text("reseller", "Reseller"),
			text("reseller_email", "Reseller email"), date("transaction_date", "Transaction date"),
			text("marketplace_subscription_id", "Marketplace subscription ID"),
			text("subscription_name", "Subscription name"),
			text("azure_subscription_id", "Azure subscription ID (pay as you go)"),
			text("azure_license_type", "Azure license type"), text("customer_type", "Customer type"),
			text("cloud_instance_name", "Cloud instance"), integer("order_count", "Orders"),
			text("country", "Country"), text("state", "State"), text("city", "City"),
			text("postal_code", "Postal code"), text("communication_culture", "Communication culture"),
			date("date_acquired", "Acquired"), date("date_lost", "Lost"),
		}},
}

// reviewCatalog is the rewards team's review pack, in sheet order.
var reviewCatalog = []Report{
	{Name: "review_tier_status", Sheet: "Tier status", Audience: Rewards,
		Title: "Every company's tier, trailing billed sales, next tier, gap, projection and activation readiness",
		Columns: []render.Column{
			text("pga_id", "PGA"), text("company_name", "Company"), text("partners", "Publisher profiles"),
			text("tier", "Tier"), money("ttm_billed_sales_usd", "Trailing billed sales", "USD"),
			date("window_start", "Window start"), date("window_end", "Window end"),
			text("next_tier", "Next tier"), money("next_threshold_usd", "Next threshold", "USD"),
			money("gap_usd", "Gap", "USD"), money("run_rate_usd", "Monthly run rate", "USD"),
			text("projected_month", "Projected month"), text("readiness", "Activation readiness"),
		},
		Empty:      "No companies",
		Highlights: []render.Highlight{{Column: "readiness", Op: "begins", Value: "missing", Tone: render.Warn}},
	},
	{Name: "review_unlocks", Sheet: "Unlocks", Audience: Rewards,
		Title: "Tier unlocks with their benefits, benefit period, readiness and latest decision",
		Columns: []render.Column{
			text("unlock_id", "Unlock ID"), text("pga_id", "PGA"), text("company_name", "Company"),
			text("tier", "Tier"), date("unlocked_on", "Unlocked on"),
			money("ttm_at_unlock_usd", "Trailing sales at unlock", "USD"), text("benefits", "Benefits"),
			integer("benefit_period", "Benefit period"), date("benefits_refreshed_on", "Benefits refreshed on"),
			date("next_refresh_on", "Next refresh"), text("readiness", "Readiness"),
			text("contact_email", "Marketing contact"), text("latest_decision", "Latest decision"),
			text("latest_decision_by", "Decided by"), timestamp("latest_decision_at", "Decided at (UTC)"),
			text("latest_decision_note", "Note"), integer("decisions", "Decisions"),
		},
		Empty: "No tier unlocks",
		Highlights: []render.Highlight{ // an unlock that cannot be activated yet
			{Column: "readiness", Op: "begins", Value: "missing", Tone: render.Bad},
			{Column: "latest_decision", Op: "=", Value: "approve", Tone: render.Good},
			{Column: "latest_decision", Op: "=", Value: "reject", Tone: render.Bad},
		},
	},
	{Name: "review_listing_benefits", Sheet: "Listing benefits", Audience: Rewards,
		Title: "One-time benefits of publishing List and Trial offers, with their expiry",
		Columns: []render.Column{
			text("pga_id", "PGA"), text("company_name", "Company"), text("listing_type", "Listing type"),
			date("first_live_on", "First live on"), text("benefit", "Benefit"), date("expires_on", "Expires on"),
		},
		Empty: "No listing benefits",
	},
	{Name: "review_sla_activation", Sheet: "SLA activation contact", Audience: Rewards,
		Title: "Activated benefits without a contact within 7 days",
		Columns: []render.Column{
			text("unlock_id", "Unlock ID"), text("pga_id", "PGA"), text("company_name", "Company"),
			text("tier", "Tier"), timestamp("activated_at", "Activated at (UTC)"),
			date("contact_due_on", "Contact due on"), timestamp("contacted_at", "Contacted at (UTC)"),
			text("status", "Status"), integer("days_to_contact", "Days to contact"),
		},
		Empty:      "No breaches",
		Highlights: slaHighlights("days_to_contact"),
	},
	{Name: "review_sla_offers", Sheet: "SLA offer contact", Audience: Rewards,
		Title: "Offers live for more than 4 weeks without a contact (escalations)",
		Columns: []render.Column{
			text("pga_id", "PGA"), text("company_name", "Company"), text("partner_id", "Partner"),
			text("offer_id", "Offer ID"), text("offer_name", "Offer"), text("listing_type", "Listing type"),
			date("live_date", "Live since"), date("contact_due_on", "Contact due on"),
			timestamp("contacted_at", "Contacted at (UTC)"), text("status", "Status"),
			integer("days_live_without_contact", "Days live without contact"),
		},
		Empty:      "No breaches",
		Highlights: slaHighlights("days_live_without_contact"),
	},
	{Name: "review_decisions", Sheet: "Decisions", Audience: Rewards,
		Title: "Every decision the rewards team recorded (append-only audit trail)",
		Columns: []render.Column{
			integer("decision_id", "Decision ID"), text("unlock_id", "Unlock ID"), text("pga_id", "PGA"),
			text("company_name", "Company"), text("tier", "Tier"), text("decision", "Decision"),
			text("decided_by", "Decided by"), timestamp("decided_at", "Decided at (UTC)"),
			text("note", "Note"), timestamp("recorded_at", "Recorded at (UTC)"),
		},
		Empty: "No decisions recorded",
		Highlights: []render.Highlight{
			{Column: "decision", Op: "=", Value: "approve", Tone: render.Good},
			{Column: "decision", Op: "=", Value: "reject", Tone: render.Bad},
		},
	},
}

// slaHighlights mark SLA breaches: every row of an SLA list is one, red
// while nobody has made contact ("overdue"), amber once contact came late.
func slaHighlights(days string) []render.Highlight {
	return []render.Highlight{
		{Column: "status", Op: "=", Value: "overdue", Tone: render.Bad},
		{Column: "status", Op: "=", Value: "late", Tone: render.Warn},
		{Column: days, If: "status", Op: "=", Value: "overdue", Tone: render.Bad},
		{Column: days, If: "status", Op: "=", Value: "late", Tone: render.Warn},
	}
}

// reviewCharts: the tier overview on the review pack's first sheet.
func reviewCharts() []render.Chart {
	return []render.Chart{{Kind: render.ChartBar, Title: "Trailing billed sales (USD) against the next tier threshold",
		Table: "Tier status", Category: "company_name", Series: []string{"ttm_billed_sales_usd", "next_threshold_usd"}}}
}

// Catalog returns the partner reports in workbook order (Summary first).
func Catalog() []Report { return append([]Report(nil), partnerCatalog...) }

// ReviewCatalog returns the review pack's reports in workbook order.
func ReviewCatalog() []Report { return append([]Report(nil), reviewCatalog...) }

// Lookup finds a report of either catalog by name.
func Lookup(name string) (Report, error) {
	for _, r := range append(Catalog(), reviewCatalog...) {
		if r.Name == name {
			return r, nil
		}
	}
	return Report{}, fmt.Errorf("no report named %q", name)
}

// summaryCharts are the native charts on the partner workbook's Summary, in
// a grid of two beside its table: orders and the tier progress first (the
// first screen), then the other trends, then the main slice (offers). Titles
// and the sheets they draw from are in the workbook's language.
func summaryCharts(loc *i18n.Localizer) []render.Chart {
	sheet := func(report string) string {
		r, _ := Lookup(report)
		return sheetName(loc, r)
	}
	title := func(n string) string { return loc.T("workbook.chart." + n) }
	return []render.Chart{
		{Kind: render.ChartLine, Title: title("orders"), Table: sheet("orders_monthly"), Category: "month",
			Series: []string{"new_orders", "renewed_orders", "canceled_orders", "active_orders"}},
		{Kind: render.ChartLine, Title: title("tier"), Table: sheet("tier_trend"),
			Category: "month", Series: []string{"ttm_billed_sales_usd", "tier_threshold_usd", "next_threshold_usd"},
			Reference: []string{"tier_threshold_usd", "next_threshold_usd"}},
		{Kind: render.ChartColumn, Title: title("usage"), Table: sheet("usage_monthly"), Category: "month",
			Series: []string{"normalized_usage"}},
		{Kind: render.ChartLine, Title: title("customers"), Table: sheet("customers_monthly"), Category: "month",
			Series: []string{"new_customers", "lost_customers", "total_customers"}},
		{Kind: render.ChartColumn, Title: title("deployments"), Table: sheet("deployments_monthly"), Category: "month",
			Series: []string{"deployments"}},
		{Kind: render.ChartLine, Title: title("campaigns"), Table: sheet("campaigns_monthly"), Category: "month",
			Series: []string{"page_visits", "ctas"}},
		{Kind: render.ChartBar, Title: title("offers_orders"), Table: sheet("offers"), Category: "offer_name",
			Series: []string{"active_orders", "new_orders"}},
		{Kind: render.ChartPie, Title: title("offers_usage"), Table: sheet("offers"), Category: "offer_name",
			Series: []string{"normalized_usage"}},
	}
}
