package reports

import (
	"fmt"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/reports/render"
)

// The Definitions sheet: what every column of every sheet means, how it is
// computed and how it compares with the Partner Center analytics field a
// partner already knows. Modelled on Partner Center's data dictionaries
// (orders, usage, customers, marketplace insights, quality of service:
// https://learn.microsoft.com/partner-center/insights/analytics-terminology).
// A test fails when a catalog column has no definition here.

// Definition explains one column.
type Definition struct {
	Meaning       string // what it is and how it is computed, in plain words
	PartnerCenter string // the Partner Center field it matches and where we differ; "" = none
}

// Partner Center report names, as cited in the definitions.
const (
	pcOrders    = "Orders report (ISVOrder): "
	pcUsage     = "Usage report (ISVUsage): "
	pcCustomers = "Customers report (ISVCustomer): "
	pcInsights  = "Marketplace Insights (listing traffic): "
	pcRevenue   = "Revenue report (ISVRevenue): "
	pcNone      = "No Partner Center field: "
)

// definitions are keyed by column name, or by "report.column" where a
// column means something else in one report.
var definitions = map[string]Definition{
	// Summary
	"area":            {"The part of the business a Summary row belongs to: orders, customers, usage, sales, deployments, campaigns, tier.", ""},
	"metric":          {"What the Summary row counts; money rows name their currency, e.g. \"(USD)\". Each figure is computed as on the sheet of its area.", ""},
	"unit":            {"The unit of the row's numbers: count (whole numbers), hours, quantity (meter units), USD, ratio (0.55 = 55 %). It sets the row's number format.", ""},
	"this_period":     {"The metric in the report month.", ""},
	"previous_period": {"The metric in the month before the report month.", ""},
	"change":          {"This month minus the previous month. For a ratio (Progress to next tier) the change is in percentage points: 52 % → 55 % is +3.0 pp. Green when the metric moved the way that is better for it (see Better when), red when it moved the other way.", ""},
	"change_pct":      {"The change divided by the previous month's value (its magnitude); empty when the previous month was 0, and for a ratio, whose change is already in percentage points. Coloured as the change.", ""},
	"better":          {"Which way the metric is good for you: higher (more orders, more usage, more sales, more progress) or lower (fewer canceled orders, a smaller gap to the next tier); empty when neither (the next tier's threshold). It decides the colours of the change.", ""},
	"summary.note":    {"The tier reached, the next tier and when it is projected to be reached, on the tier rows.", ""},

	// Retention (retention_cohorts)
	"cohort_month":                {"The cohort: the first month the customer was active with the offer (usage, or an Active or Warning order line).", "Customer retention report (ISVOfferRetention): the month of FirstUsageDate; Partner Center counts usage only."},
	"months_after":                {"Months from the cohort month to the month counted (0 = the cohort month itself).", "Customer retention report (ISVOfferRetention): Offset."},
	"cohort_customers":            {"The customers whose first active month with the offer is the cohort month.", "Customer retention report (ISVOfferRetention): CustomerId of the rows with Offset 0, counted distinct."},
	"retention_cohorts.customers": {"The cohort's customers still active with the offer that many months after (usage or an Active or Warning order line in that month).", "Customer retention report (ISVOfferRetention): CustomerId at that Offset, counted distinct."},
	"retained_share":              {"Still active divided by the customers in the cohort (1 = all of them), rounded to four places.", pcNone + "Partner Center's dashboard shows the same share as a percentage."},

	// Revenue (the Revenue download, one row per transaction)
	"purchase_record_id":            {"The purchase record the transaction belongs to; with the line item it identifies the transaction. An order line's purchase record and line item are the same ids.", pcRevenue + "PurchaseRecordId."},
	"revenue.line_item_id":          {"The purchase record's line item: one transaction.", pcRevenue + "LineItemId (PurchaseRecordLineItemId in the orders report)."},
	"revenue.order_id":              {"The order (asset) the transaction bills.", pcRevenue + "AssetId."},
	"revenue.offer_name":            {"The offer's name as listed.", pcRevenue + "OfferName."},
	"revenue.offer_type":            {"The offer type: SaaS, Azure application, virtual machine, container and others.", pcRevenue + "OfferType."},
	"revenue.sku":                   {"The plan or SKU billed.", pcRevenue + "SKU."},
	"billing_model":                 {"How the transaction is billed, e.g. recurring, usage based, one time.", pcRevenue + "BillingModel."},
	"sales_channel":                 {"Who sold it: direct, through a reseller (Cloud Solution Provider) or the Enterprise Agreement.", pcRevenue + "SalesChannel."},
	"revenue.customer_id":           {"The customer's id (its Microsoft Entra tenant).", pcRevenue + "CustomerId."},
	"revenue.customer_name":         {"The customer's name, shown only when the customer bought from you through the marketplace (see Privacy); *** otherwise. The customer's email is not shown.", pcRevenue + "CustomerName; CustomerEmail is left out."},
	"revenue.customer_company_name": {"The customer's company.", pcRevenue + "CustomerCompanyName."},
	"revenue.customer_country":      {"The customer's country or region.", pcRevenue + "CustomerCountry."},
	"revenue.quantity":              {"The quantity billed (seats, units or usage).", pcRevenue + "Quantity."},
	"transaction_amount_usd":        {"What the customer was charged for the transaction, in USD, exact as delivered. Not added to billed sales: the same sale is counted from the orders and usage (see Billed sales and revenue).", pcRevenue + "TransactionAmountUSD."},
	"earning_amount_usd":            {"What you earn from the transaction after the marketplace's store service fee, in USD, exact as delivered.", pcRevenue + "EarningAmountUSD."},
	"earning_amount_pc":             {"The earning in your payout currency (the Payout currency column), exact as delivered.", pcRevenue + "EarningAmountPC."},
	"earning_currency_code":         {"Your payout currency (ISO 4217).", pcRevenue + "EarningCurrencyCode."},
	"payout_status":                 {"Where the payout stands: Unprocessed, Upcoming, Sent, or another status Partner Center reports.", pcRevenue + "PayoutStatus."},
	"estimated_payout_month":        {"The month the payout is expected.", pcRevenue + "EstimatedPayoutMonth."},
	"payment_sent_date":             {"The day the payment was sent; empty until it is.", pcRevenue + "PaymentSentDate."},

	// Offers and shared order figures
	"offer_id":               {"The offer's id in the marketplace (publisher.offer).", pcOrders + "OfferName identifies the offer; Partner Center has no separate offer id column."},
	"offer_name":             {"The offer's name as listed.", pcOrders + "OfferName."},
	"listing_type":           {"How the offer is listed: List (contact me), Trial (free trial, test drive, free get it now) or Transact (sold through the marketplace).", pcNone + "from the offer reference data."},
	"live_date":              {"The day the offer went live in the marketplace.", pcNone + "from the offer reference data."},
	"new_orders":             {"Orders (AssetIds) purchased in the month (OrderPurchaseDate). The latest OrderVersion of each order counts; fraud-flagged orders never count.", pcOrders + "New orders on the orders dashboard; same rule."},
	"active_orders":          {"Orders whose status for the month is Active or Warning.", pcOrders + "OrderStatus Active and Warning."},
	"canceled_orders":        {"Orders whose status for the month is Canceled.", pcOrders + "OrderStatus Canceled (downloads may spell it cancelled; both count)."},
	"new_trials":             {"Of the new orders, those that are free trials (IsTrial).", pcOrders + "IsTrial."},
	"renewed_orders":         {"Orders whose new term started in the month after the purchase (TermStartDate later than OrderPurchaseDate).", pcOrders + "derived from TermStartDate; the dashboard shows renewals as OrderAction Renew."},
	"active_quantity":        {"The seats or units (OrderQuantity) of the active orders; refund and credit lines are left out.", pcOrders + "OrderQuantity (Quantity in older downloads)."},
	"normalized_usage":       {"Usage hours normalized by the number of VM cores (hours × cores), summed.", pcUsage + "NormalizedUsage (VM normalized usage)."},
	"raw_usage":              {"Usage hours as metered, not normalized by cores, summed.", pcUsage + "RawUsage."},
	"metered_quantity":       {"The units of custom meters (SaaS, Azure applications, containers) consumed, summed over meters.", pcUsage + "MeteredUsage."},
	"estimated_charges_usd":  {"Estimated usage charges converted to USD at the month's FX rate, the way billed sales convert them: the customer-currency charge, else the payout-currency one.", pcUsage + "EstimatedExtendedChargeCC/PC; Partner Center keeps the currencies, we convert to USD."},
	"attributed_deployments": {"Deployments attributed to the partner's registered tracking IDs (customer usage attribution).", pcNone + "computed from deployment logs and tracking IDs; the Quality of service report lists deployments without attribution."},
	"page_visits":            {"Distinct sessions that visited the offer's listing page.", pcInsights + "Page visits; we count distinct sessions of the click data."},
	"ctas":                   {"Calls to action: clicks on Contact me, Free trial, Test drive, Get it now and the like.", pcInsights + "Call to action (CTA) clicks."},

	// Trend and slice sheets
	"month":         {"The calendar month (shown as yyyy-mm) the row covers.", "MonthStartDate (the first day of the month)."},
	"slice":         {"The dimension the row is sliced by: offer, plan, offer type, license type, country, new or existing customer, VM size, meter, campaign, source, referral domain, channel, tracking ID, region, status.", ""},
	"value":         {"The slice's value, e.g. the offer name for the slice Offer; (none) when the rows have none. For New or existing customer see its rule under All sheets (usage: Unknown when neither a purchase nor an acquisition date is known).", ""},
	"subscriptions": {"Distinct marketplace subscriptions with usage in the month.", pcUsage + "MarketplaceSubscriptionId, counted distinct."},
	"customers":     {"Distinct customers with usage in the month.", pcUsage + "CustomerId, counted distinct."},

	"new_customers":   {"Customers acquired in the month: the earliest DateAcquired of their subscriptions with the partner.", pcCustomers + "DateAcquired; Partner Center counts per subscription, we count the customer once."},
	"lost_customers":  {"Customers lost in the month: the latest DateLost, once every one of their subscriptions is lost.", pcCustomers + "DateLost; counted per customer, not per subscription."},
	"total_customers": {"Customers acquired by the month's end and not lost by then.", pcCustomers + "total customers on the customers dashboard."},

	"deployments":                        {"Deployments (ARM template deployments and API calls, one per correlation id) attributed to the partner's registered tracking IDs in the month.", pcNone + "the Quality of service report lists marketplace deployments; tracking-ID attribution is ours."},
	"succeeded_deployments":              {"Of the attributed deployments, those whose status is Succeeded.", "Quality of service report: DeploymentStatus."},
	"deployments_monthly.subscriptions":  {"Distinct Azure subscriptions the attributed deployments went to.", pcNone + "from deployment logs."},
	"deployments_by_slice.subscriptions": {"Distinct Azure subscriptions the attributed deployments went to.", pcNone + "from deployment logs."},
	"attributed_usage_rows":              {"Usage rows attributed to the partner: usage of a subscription (and resource group where known) after its latest attributed deployment on or before the usage date.", pcNone + "customer usage attribution."},
	"attributed_normalized_usage":        {"The normalized usage hours of the attributed usage rows.", pcUsage + "NormalizedUsage of the attributed rows."},
	"attributed_metered_quantity":        {"The metered quantity of the attributed usage rows.", pcUsage + "MeteredUsage of the attributed rows."},

	"cta_contact_me": {"Calls to action of type Contact me.", pcInsights + "Contact me clicks."},
	"cta_free_trial": {"Calls to action of type Free trial.", pcInsights + "Free trial clicks."},
	"cta_test_drive": {"Calls to action of type Test drive.", pcInsights + "Test drive clicks."},
	"cta_get_it_now": {"Calls to action of type Get it now.", pcInsights + "Get it now clicks."},
	"other_ctas":     {"Other calls to action (buy now and others).", pcInsights + "other CTA types."},
	"cta_sessions":   {"Distinct sessions with at least one call to action.", pcNone + "Partner Center counts clicks, not sessions."},
	"consents":       {"Sessions in which the visitor consented to share contact details with the publisher.", pcInsights + "Consent given (leads)."},
	"cta_rate":       {"Sessions with a call to action ÷ page visits, a ratio (0.25 = 25 %), rounded to four decimals.", pcInsights + "conversion rate; ours is per session."},
	"consent_rate":   {"Consents ÷ page visits, a ratio (0.25 = 25 %), rounded to four decimals.", pcNone + "derived."},

	// Tier trend
	"ttm_billed_sales_usd":       {"The company's marketplace-billed sales in USD over the trailing twelve months ending with the month (every publisher profile of the partner global account): orders and metered usage billed through Azure, at the month's FX rate, net of cancellations and refunds, fraud excluded.", pcNone + "the tier programme's measure; Partner Center's payout reports show billed sales per profile, not per company."},
	"tier_trend.tier":            {"The highest tier whose threshold the trailing sales met at any month end up to then: a tier never re-locks.", ""},
	"tier_threshold_usd":         {"The trailing billed sales that unlock the tier reached (USD); empty before the first tier.", ""},
	"next_threshold_usd":         {"The trailing billed sales that unlock the next tier (USD); empty at the top tier.", ""},
	"tier":                       {"The company's tier as of the run: the highest tier whose threshold the trailing billed sales met at a month end.", ""},
	"review_unlocks.tier":        {"The tier this unlock is for.", ""},
	"review_decisions.tier":      {"The tier of the unlock decided on.", ""},
	"review_sla_activation.tier": {"The tier of the activated unlock.", ""},

	// Orders detail
	"order_id":                    {"The order's id.", pcOrders + "AssetId (OrderId, Asset ID in UI downloads)."},
	"line_item_id":                {"The purchase record line item the row comes from.", pcOrders + "PurchaseRecordLineItemId; absent from the documented system query."},
	"order_version":               {"The version of the order line; the highest version wins and is the one shown.", pcOrders + "OrderVersion; absent from the documented system query."},
	"marketplace_subscription_id": {"The marketplace (SaaS or offer) subscription the order or usage belongs to.", pcOrders + "MarketplaceSubscriptionId."},
	"offer_type":                  {"The offer type: SaaS, Azure application, virtual machine, container and others.", pcOrders + "OfferType."},
	"plan_id":                     {"The plan of the offer.", pcOrders + "PlanId."},
	"sku":                         {"The SKU (VM size plan) of the offer.", pcOrders + "SKU."},
	"marketplace_license_type":    {"How the customer pays: Billed through Azure, Bring Your Own License, Free, Microsoft as Reseller.", pcOrders + "MarketplaceLicenseType."},
	"azure_license_type":          {"The customer's Azure licensing: Enterprise, Pay as You Go, Cloud Solution Provider and others.", pcOrders + "AzureLicenseType."},
	"order_status":                {"The order's status in the month: Active, Canceled, Expired, Abandoned, Warning.", pcOrders + "OrderStatus; cancelled is shown as Canceled."},
	"order_action":                {"What happened to the order: Purchase, Renew, Cancel, Update and others.", pcOrders + "OrderAction."},
	"order_purchase_date":         {"The day the order was purchased.", pcOrders + "OrderPurchaseDate (a date; date-times are cut to the day)."},
	"order_cancel_date":           {"The day the order was canceled; empty if it was not.", pcOrders + "OrderCancelDate."},
	"term_start_date":             {"The first day of the order's current term.", pcOrders + "TermStartDate."},
	"term_end_date":               {"The last day of the order's current term.", pcOrders + "TermEndDate."},
	"is_trial":                    {"Whether the order is a free trial (true/false).", pcOrders + "IsTrial (Yes/No and 0/1 are read as true/false)."},
	"trial_end_date":              {"The day the free trial ends.", pcOrders + "TrialEndDate."},
	"is_private_offer":            {"Whether the order came from a private offer.", pcOrders + "IsPrivateOffer."},
	"order_quantity":              {"Seats or units ordered.", pcOrders + "OrderQuantity (Quantity)."},
	"estimated_charges":           {"The order's estimated charges in the currency of the Currency column, exact.", pcOrders + "EstimatedCharges (BilledRevenue, Billed Revenue USD); Partner Center's figure, not converted."},
	"currency":                    {"The ISO 4217 currency of the estimated charges.", pcOrders + "Currency."},
	"customer_id":                 {"The customer's id (its Microsoft Entra tenant).", pcOrders + "CustomerId."},
	"customer_name":               {"The customer's name, shown only when the customer bought from you through the marketplace (see Privacy); *** otherwise.", pcOrders + "CustomerName; Partner Center masks personal data it may not share as ************."},
	"customer_company_name":       {"The customer's company.", pcOrders + "CustomerCompanyName."},
	"customer_country":            {"The customer's country or region.", pcOrders + "CustomerCountry."},
	"is_new_customer":             {"Whether the customer was new to you when it ordered.", pcOrders + "IsNewCustomer."},
	"cloud_instance_name":         {"The Azure cloud: Azure Global, Azure Government and others.", pcOrders + "CloudInstanceName."},
	"event_timestamp":             {"When the order event happened, in UTC.", pcOrders + "EventTimestamp."},

	// Usage detail
	"usage_date":                   {"The day of the usage.", pcUsage + "UsageDate."},
	"reference_id":                 {"The usage row's id.", pcUsage + "ReferenceId; absent from the documented metered-usage system query."},
	"azure_subscription_id":        {"The customer's Azure subscription, shown for pay-as-you-go customers only.", pcNone + "from attributed deployments; Partner Center does not show it."},
	"vm_size":                      {"The virtual machine size of VM usage.", pcUsage + "VMSize."},
	"core_size":                    {"The number of cores of the VM size.", pcUsage + "CoreSize."},
	"usage_type":                   {"The kind of usage: normalized, raw, metered.", pcUsage + "UsageType."},
	"meter_id":                     {"The custom meter's id.", pcUsage + "MeterId."},
	"meter_dimension":              {"The custom meter's dimension (what it counts).", pcUsage + "MeterDimension."},
	"usage_unit":                   {"The unit of the usage quantity.", pcUsage + "UsageUnit."},
	"metered_usage":                {"The quantity of the custom meter.", pcUsage + "MeteredUsage."},
	"estimated_extended_charge_cc": {"The estimated charge in the customer's currency, exact.", pcUsage + "EstimatedExtendedChargeCC."},
	"customer_currency_cc":         {"The customer's currency.", pcUsage + "CustomerCurrencyCC."},
	"estimated_extended_charge_pc": {"The estimated charge in your payout currency, exact.", pcUsage + "EstimatedExtendedChargePC."},
	"payout_currency_pc":           {"Your payout currency.", pcUsage + "PayoutCurrencyPC."},

	// Customers detail
	"first_name":            {"The customer contact's first name; *** unless the customer bought from you through the marketplace.", pcCustomers + "FirstName; masked as in Partner Center when not shareable."},
	"last_name":             {"The customer contact's last name; *** unless the customer bought from you through the marketplace.", pcCustomers + "LastName."},
	"email":                 {"The customer contact's email; *** unless the customer bought from you through the marketplace.", pcCustomers + "Email."},
	"contact_details":       {"Whether the personal fields of the row are shown or masked (see Privacy).", pcNone + "says which rule applied."},
	"reseller":              {"The reseller (Cloud Solution Provider) the customer bought through, if any.", pcCustomers + "ProviderName."},
	"reseller_email":        {"The reseller's email.", pcCustomers + "ProviderEmail."},
	"transaction_date":      {"The subscription's first purchase date (DateAcquired when there is no order).", pcCustomers + "DateAcquired, refined by the orders."},
	"subscription_name":     {"The subscription's offer and plan: the export has no subscription name.", pcNone + "built from the order's offer and plan."},
	"customer_type":         {"Individual or company.", pcCustomers + "CustomerType."},
	"order_count":           {"The customer's orders (distinct AssetIds) with you.", pcNone + "counted from the orders."},
	"country":               {"The customer's country or region.", pcCustomers + "CustomerCountryRegion."},
	"state":                 {"The customer's state or province.", pcCustomers + "CustomerState."},
	"city":                  {"The customer's city.", pcCustomers + "CustomerCity."},
	"postal_code":           {"The customer's postal code.", pcCustomers + "CustomerPostalCode."},
	"communication_culture": {"The language and region the customer communicates in (e.g. en-US).", pcCustomers + "CustomerCommunicationCulture."},
	"date_acquired":         {"The day the customer subscribed.", pcCustomers + "DateAcquired."},
	"date_lost":             {"The day the customer's subscription ended; empty while active.", pcCustomers + "DateLost."},

	// Review pack
	"pga_id":                    {"The company's partner global account (PGA) id: tiers are per company, over all its publisher profiles.", ""},
	"company_name":              {"The company's name.", ""},
	"partners":                  {"The company's publisher profiles (partner ids).", ""},
	"partner_id":                {"The publisher profile (partner id) the offer belongs to.", ""},
	"window_start":              {"The first day of the trailing twelve-month window.", ""},
	"window_end":                {"The last day of the window: the last month end on or before the as-of date.", ""},
	"next_tier":                 {"The next tier; empty at the top tier.", ""},
	"gap_usd":                   {"The next tier's threshold minus the trailing billed sales (USD).", ""},
	"run_rate_usd":              {"The average monthly billed sales of the last months of the window (USD), used for the projection.", ""},
	"projected_month":           {"The first month end when the trailing sales would reach the next threshold if every month sold the run rate; \"not at current pace\" if not within twelve months.", ""},
	"readiness":                 {"Whether a benefit can be activated: ready, or missing: what is missing (a marketing contact whose email differs from the account's, with a phone and a language).", ""},
	"unlock_id":                 {"The unlock's id: PGA and tier.", ""},
	"unlocked_on":               {"The first month end on which the trailing sales met the tier's threshold.", ""},
	"ttm_at_unlock_usd":         {"The trailing billed sales at that month end (USD).", ""},
	"benefits":                  {"The benefits the tier unlocks, per listing type.", ""},
	"benefit_period":            {"The benefit year: 1 in the first year, 2 after the first unlock anniversary, and so on.", ""},
	"benefits_refreshed_on":     {"The start of the current benefit year (the unlock or its last anniversary).", ""},
	"next_refresh_on":           {"The next anniversary, when the benefits refresh.", ""},
	"contact_email":             {"The company's current marketing contact.", ""},
	"latest_decision":           {"The rewards team's latest decision on the unlock: approve, reject or defer; pending while there is none.", ""},
	"latest_decision_by":        {"Who took the latest decision.", ""},
	"latest_decision_at":        {"When the latest decision was taken (UTC).", ""},
	"latest_decision_note":      {"The note of the latest decision.", ""},
	"decisions":                 {"How many decisions were recorded for the unlock.", ""},
	"first_live_on":             {"The day the company's first offer of the listing type went live.", ""},
	"benefit":                   {"The one-time benefit of publishing that listing type.", ""},
	"expires_on":                {"When the benefit expires (Trial benefits: three months); empty if it does not.", ""},
	"activated_at":              {"When the benefit was activated (UTC).", ""},
	"contact_due_on":            {"The day contact was due: 7 days after activation, or 4 weeks after the offer went live.", ""},
	"contacted_at":              {"When the rewards team made contact (UTC); empty if not yet.", ""},
	"status":                    {"overdue: no contact yet and past due; late: contact came after the due date.", ""},
	"days_to_contact":           {"Days from activation to contact, or to the as-of date while there is none.", ""},
	"days_live_without_contact": {"Days the offer has been live without a contact.", ""},
	"decision_id":               {"The decision's number in the audit trail.", ""},
	"decision":                  {"approve, reject or defer.", ""},
	"decided_by":                {"Who decided.", ""},
	"decided_at":                {"When the decision was taken (UTC).", ""},
	"review_decisions.note":     {"The decision's note.", ""},
	"recorded_at":               {"When the decision was written to the audit trail (UTC).", ""},
}

// generalDefinitions open the sheet: the rules that hold on every sheet.
var generalDefinitions = [][2]string{
	{"Your data only", "Every sheet holds only your partner's rows; the tier rows and the Tier trend are company-wide (your partner global account)."},
	{"Opted-out customers", "Customers who opted out of tracking (on any subscription or tenant) never appear in orders, usage, customers or deployments. Their purchases still count in billed sales and tiers, in totals only."},
	{"Masking", "First name, last name, email and the order's customer name are shown only for customers who bought from you through the marketplace (a non-trial, non-fraud order billed through Azure or with Microsoft as reseller). Others read ***. Company, country, city and reseller stay."},
	{"Money", "Amounts are exact to the cent in the CSV and Parquet files; a spreadsheet cell holds them as numbers. The currency is in the column name, or in a Currency column next to it."},
	{"Dates and months", "Dates are yyyy-mm-dd, months yyyy-mm, times UTC. A trend covers the report month and the months before it (see the Summary's trend window)."},
	{"Rates", "Rates are ratios stored as numbers (0.125 = 12.5 %), shown as percentages; a change of a rate is in percentage points (pp)."},
	{"New or existing customer", "Orders: the order's IsNewCustomer. Usage: New customer in the month the customer first bought from you (its first order) or was acquired (DateAcquired in the customers report), whichever is earlier; Existing customer after that month; Unknown (no purchase or acquisition date) when neither is known for the customer, e.g. usage whose customer has no order and no customer row with you."},
	{"(none)", "A slice value (none) collects the rows that have no value for that slice, e.g. usage without a plan, a VM size or a meter."},
	{"Billed sales and revenue", "The Revenue sheet lists the Revenue download's transactions as delivered (charged, earned, payout). They describe the same sales as the orders and usage from the payout side, so they are never added to billed sales, the Summary or the tiers: a month delivered both ways is counted once, from the orders and usage."},
	{"Partner Center", "Column names follow the Partner Center analytics downloads (orders, usage, customers, Marketplace Insights); the last column says which field a column matches and where we differ."},
}

// reviewGeneralDefinitions open the review pack's sheet: it is the rewards
// team's internal pack over every company, so none of the partner
// workbook's "your data" rules apply.
var reviewGeneralDefinitions = [][2]string{
	{"Internal", "The rewards team's pack: every company's figures and contacts. Never send it, or a part of it, to a partner; each partner sees only its own rows in its workbook."},
	{"Companies", "A company is a partner global account (PGA). Its tier, trailing billed sales and unlocks count every publisher profile (partner id) linked to it."},
	{"Billed sales", "Trailing billed sales are the sales billed through the marketplace (Billed through Azure) from orders and metered usage, in USD at each month's FX rate, net of cancellations and refunds, fraud excluded, summed over the twelve months that end with the window's last month end. Opted-out customers count here, in totals only."},
	{"Tiers and unlocks", "A tier unlocks once, on the first month end its threshold is met, and never re-locks after a dip; its benefits refresh every year on the unlock anniversary."},
	{"Decisions", "The review is append-only: approve, reject or defer, with who decided, when and a note. The latest decision is the one in force; an unlock without one is pending. Approving needs a ready marketing contact (Activation readiness)."},
	{"SLAs", "The marketing contact of an activated benefit is contacted within 7 days of activation; an offer live for more than 4 weeks gets a contact. overdue: no contact yet and past due; late: the contact came after the due date."},
	{"Money", "Amounts are USD, exact to the cent in the CSV files; a spreadsheet cell holds them as numbers."},
	{"Dates", "Dates are yyyy-mm-dd and times UTC. Every figure is as of the pack's as-of date (the first sheet's title block)."},
}

// definitionOf finds the definition of column of report.
func definitionOf(report, column string) (Definition, bool) {
	if d, ok := definitions[report+"."+column]; ok {
		return d, true
	}
	d, ok := definitions[column]
	return d, ok
}

// DefinitionsSheet is the name of the sheet.
const DefinitionsSheet = "Definitions"

// definitionsTable is the Definitions sheet for a catalog: the general
// rules of its audience, then one row per column of every report, in sheet
// order. The partner workbook's sheet also says which Partner Center field
// each column matches; the review pack's, internal, does not. The caller
// releases it.
func definitionsTable(catalog []Report) (render.Table, error) {
	general, partner := generalDefinitions, true
	if len(catalog) > 0 && catalog[0].Audience == Rewards {
		general, partner = reviewGeneralDefinitions, false
	}
	cols := []render.Column{
		{Name: "sheet", Header: "Sheet"}, {Name: "column", Header: "Column"},
		{Name: "meaning", Header: "What it means and how it is computed"},
	}
	if partner {
		cols = append(cols, render.Column{Name: "partner_center", Header: "Partner Center field, and where we differ"})
	}
	rows := make([][]string, 0, 200)
	for _, g := range general {
		rows = append(rows, []string{"All sheets", g[0], g[1], ""}[:len(cols)])
	}
	for _, r := range catalog {
		for _, c := range r.Columns {
			d, ok := definitionOf(r.Name, c.Name)
			if !ok {
				return render.Table{}, fmt.Errorf("definitions: column %s of %s has no definition", c.Name, r.Name)
			}
			rows = append(rows, []string{r.Sheet, c.HeaderText(), d.Meaning, d.PartnerCenter}[:len(cols)])
		}
	}
	return render.TextTable(DefinitionsSheet, cols, rows)
}

// localDefinitionsTable is the partner workbook's Definitions sheet in the
// language of loc: the same rows as definitionsTable(partnerCatalog), every
// text from the workbook catalog (workbook.general.NN.label and .text, then
// workbook.definition.<column> or .<report>.<column> and its .pc). The
// English catalog holds the texts of definitions.go (a test keeps them
// equal). The caller releases it.
func localDefinitionsTable(loc *i18n.Localizer) (render.Table, error) {
	cols := []render.Column{
		{Name: "sheet", Header: loc.T("workbook.definitions.sheet_column")},
		{Name: "column", Header: loc.T("workbook.definitions.column_column")},
		{Name: "meaning", Header: loc.T("workbook.definitions.meaning_column")},
		{Name: "partner_center", Header: loc.T("workbook.definitions.partner_center_column")},
	}
	all := loc.T("workbook.definitions.all_sheets")
	rows := make([][]string, 0, 200)
	for i := range generalDefinitions {
		key := "workbook.general." + fmt.Sprintf("%02d", i+1) + "."
		rows = append(rows, []string{all, loc.T(key + "label"), loc.T(key + "text"), ""})
	}
	for _, r := range partnerCatalog {
		sheet := sheetName(loc, r)
		for _, c := range r.Columns {
			key := c.Name
			if _, ok := definitions[r.Name+"."+c.Name]; ok {
				key = r.Name + "." + c.Name
			}
			d, ok := definitions[key]
			if !ok {
				return render.Table{}, fmt.Errorf("definitions: column %s of %s has no definition", c.Name, r.Name)
			}
			pc := ""
			if d.PartnerCenter != "" {
				pc = loc.T("workbook.definition." + key + ".pc")
			}
			header := render.Column{Header: loc.T(columnKey(loc, r.Name, c.Name)), Format: c.Format, Currency: c.Currency}
			rows = append(rows, []string{sheet, header.HeaderText(), loc.T("workbook.definition." + key), pc})
		}
	}
	return render.TextTable(loc.T("workbook.definitions.sheet"), cols, rows)
}
