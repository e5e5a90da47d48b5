package analytics

import (
	"fmt"

	"github.com/marketplace-insights/insights/serve/analytics/pcql"
	sqlfiles "github.com/marketplace-insights/insights/sql"
)

// col and metric declare dataset columns briefly.
func col(name string, t pcql.Type) pcql.Column { return pcql.Column{Name: name, Type: t} }
func metric(name string, t pcql.Type) pcql.Column {
	return pcql.Column{Name: name, Type: t, Metric: true, Agg: "sum"}
}
func latest(name string, t pcql.Type) pcql.Column {
	return pcql.Column{Name: name, Type: t, Metric: true, Agg: "max"}
}

// texts declares several text columns.
func texts(names ...string) []pcql.Column {
	out := make([]pcql.Column, len(names))
	for i, n := range names {
		out[i] = col(n, pcql.Text)
	}
	return out
}

func cols(groups ...[]pcql.Column) []pcql.Column {
	var out []pcql.Column
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func one(c ...pcql.Column) []pcql.Column { return c }

// datasetDefs is the whitelist: the only sources a query can read. Each
// dataset's SQL is a fixed file, sql/serve/analytics/<file>.sql, that selects one
// partner's rows ($1) under Partner Center's column names. The column lists
// here must match those files (TestDatasetsMatchTheirSQL).
var datasetDefs = []struct {
	file string
	ds   pcql.Dataset
}{
	{"isv_order", pcql.Dataset{Name: "ISVOrder", Monthly: true, Ranges: pcql.MonthlyRanges, Columns: cols(
		texts("MarketplaceSubscriptionId"), one(col("MonthStartDate", pcql.Date)),
		texts("OfferType", "OfferName", "OfferId", "SKU", "PlanId", "AzureLicenseType", "MarketplaceLicenseType",
			"CustomerId", "BillingAccountId", "CustomerName", "CustomerCompanyName", "CustomerCountry"),
		one(col("IsNewCustomer", pcql.Bool)), texts("OrderStatus", "OrderAction"),
		one(col("OrderPurchaseDate", pcql.Date), col("OrderCancelDate", pcql.Date), col("TermStartDate", pcql.Date), col("TermEndDate", pcql.Date)),
		texts("Currency", "AssetId", "OrderId", "PurchaseRecordId", "PurchaseRecordLineItemId"),
		one(col("IsPrivateOffer", pcql.Bool), col("IsTrial", pcql.Bool), col("TrialEndDate", pcql.Date)),
		texts("CloudInstanceName"),
		one(metric("OrderQuantity", pcql.Integer), metric("EstimatedCharges", pcql.Decimal)),
	)}},
	{"isv_usage", pcql.Dataset{Name: "ISVUsage", Ranges: pcql.DailyRanges, Columns: cols(
		texts("MarketplaceSubscriptionId"), one(col("UsageDate", pcql.Date), col("MonthStartDate", pcql.Date)),
		texts("OfferType", "OfferName", "OfferId", "SKU", "PlanId", "CustomerId", "CustomerCountry", "VMSize", "CoreSize",
			"UsageType", "MeterId", "MeterDimension", "UsageUnit", "CustomerCurrencyCC", "PayoutCurrencyPC", "MarketplaceLicenseType"),
		one(metric("NormalizedUsage", pcql.Decimal), metric("RawUsage", pcql.Decimal), metric("MeteredUsage", pcql.Decimal),
			metric("EstimatedExtendedChargeCC", pcql.Decimal), metric("EstimatedExtendedChargePC", pcql.Decimal)),
	)}},
	{"isv_customer", pcql.Dataset{Name: "ISVCustomer", Ranges: pcql.DailyRanges, Columns: cols(
		texts("CustomerId", "BillingAccountId", "MarketplaceSubscriptionId"),
		one(col("DateAcquired", pcql.Date), col("DateLost", pcql.Date)),
		texts("ProviderName", "ProviderEmail", "FirstName", "LastName", "Email", "CustomerCompanyName", "CustomerCity",
			"CustomerPostalCode", "CustomerState", "CustomerCountryRegion", "CustomerCommunicationCulture",
			"AzureLicenseType", "CustomerType", "CloudInstanceName"),
		one(metric("Subscriptions", pcql.Integer)),
	)}},
	{"isv_marketplace_insights", pcql.Dataset{Name: "ISVMarketplaceInsights", Ranges: pcql.DailyRanges, Columns: cols(
		one(col("Date", pcql.Date)),
		texts("OfferId", "OfferName", "Site", "ReferralDomain", "CountryName", "CampaignId", "TrafficSource"),
		one(metric("PageVisits", pcql.Integer), metric("GetItNow", pcql.Integer), metric("ContactMe", pcql.Integer),
			metric("TestDrive", pcql.Integer), metric("FreeTrial", pcql.Integer), metric("ConsentGiven", pcql.Integer)),
	)}},
	{"isv_quality_of_service", pcql.Dataset{Name: "ISVQualityOfService", Ranges: pcql.DailyRanges, Columns: cols(
		texts("OfferId", "Sku", "DeploymentStatus", "DeploymentCorrelationId", "SubscriptionId", "TemplateType"),
		one(col("StartTime", pcql.Timestamp), col("EndTime", pcql.Timestamp), col("DeploymentDurationInMilliSeconds", pcql.Decimal)),
		texts("DeploymentRegion", "ErrorCodes"),
		one(metric("Deployments", pcql.Integer), metric("SucceededDeployments", pcql.Integer), metric("Resources", pcql.Integer)),
	)}},
	{"isv_attributed_deployments", pcql.Dataset{Name: "ISVAttributedDeployments", Ranges: pcql.DailyRanges, Columns: cols(
		texts("DeploymentCorrelationId"), one(col("StartTime", pcql.Timestamp)),
		texts("SubscriptionId", "CustomerTenantId", "ResourceGroup", "DeploymentStatus", "DeploymentRegion", "OfferId", "PlanId", "TrackingId"),
		one(metric("Deployments", pcql.Integer)),
	)}},
	{"isv_attributed_usage", pcql.Dataset{Name: "ISVAttributedUsage", Monthly: true, Ranges: pcql.MonthlyRanges, Columns: cols(
		one(col("MonthStartDate", pcql.Date)), texts("TrackingId", "OfferId", "Channel", "PlanId", "PayoutCurrencyPC"),
		one(metric("UsageRows", pcql.Integer), metric("SharedUsageRows", pcql.Integer), metric("Subscriptions", pcql.Integer),
			metric("NormalizedUsage", pcql.Decimal), metric("RawUsage", pcql.Decimal), metric("MeteredUsage", pcql.Decimal),
			metric("EstimatedExtendedChargePC", pcql.Decimal)),
	)}},
	{"isv_tier_status", pcql.Dataset{Name: "ISVTierStatus", Ranges: pcql.DailyRanges, Columns: cols(
		texts("PGAId"), one(col("AsOf", pcql.Date), col("WindowStart", pcql.Date), col("WindowEnd", pcql.Date)),
		texts("Tier", "NextTier", "ProjectedMonth"), one(col("ProjectedMonthEnd", pcql.Date)),
		// The company's figures as of a date: summing them over dates would mean nothing.
		one(latest("TTMBilledSalesUSD", pcql.Decimal), latest("NextThresholdUSD", pcql.Decimal),
			latest("GapUSD", pcql.Decimal), latest("RunRateUSD", pcql.Decimal)),
	)}},
}

// Datasets returns the dataset catalog with each dataset's SQL loaded.
func Datasets() (pcql.Catalog, error) {
	var all []*pcql.Dataset
	for _, d := range datasetDefs {
		text, err := sqlfiles.Query(queries + d.file)
		if err != nil {
			return nil, fmt.Errorf("dataset %s: %w", d.ds.Name, err)
		}
		ds := d.ds
		ds.SQL = text
		all = append(all, &ds)
	}
	return pcql.NewCatalog(all...), nil
}
