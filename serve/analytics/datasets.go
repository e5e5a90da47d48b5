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

// orderColumns are ISVOrder's (and ISVOrderV2's) columns: isv_order.sql.
var orderColumns = cols(
	texts("MarketplaceSubscriptionId"), one(col("MonthStartDate", pcql.Date)),
	texts("OfferType", "OfferName", "OfferId", "SKU", "PlanId", "AzureLicenseType", "MarketplaceLicenseType",
		"CustomerId", "BillingAccountId", "CustomerName", "CustomerCompanyName", "CustomerCountry"),
	one(col("IsNewCustomer", pcql.Bool)), texts("OrderStatus", "OrderAction"),
	one(col("OrderPurchaseDate", pcql.Date), col("OrderCancelDate", pcql.Date), col("TermStartDate", pcql.Date), col("TermEndDate", pcql.Date)),
	texts("Currency", "AssetId", "OrderId", "PurchaseRecordId", "PurchaseRecordLineItemId"),
	one(col("IsPrivateOffer", pcql.Bool), col("IsTrial", pcql.Bool), col("TrialEndDate", pcql.Date)),
	texts("CloudInstanceName"),
	one(metric("OrderQuantity", pcql.Integer), metric("EstimatedCharges", pcql.Decimal)),
	// The documentation's own names and columns the landing file lacks (NULL): isv_order.sql.
	one(metric("Quantity", pcql.Integer), metric("BilledRevenue", pcql.Decimal), col("IsTrialDeployment", pcql.Bool),
		col("HasTrial", pcql.Bool), col("IsPreviewSKU", pcql.Bool)),
)

// datasetDefs is the whitelist: the only sources a query can read. Each
// dataset's SQL is a fixed file, sql/serve/analytics/<file>.sql, that selects one
// partner's rows ($1) under Partner Center's column names. The column lists
// here must match those files (TestDatasetsMatchTheirSQL).
var datasetDefs = []struct {
	file string
	ds   pcql.Dataset
}{
	{"isv_order", pcql.Dataset{Name: "ISVOrder", Monthly: true, Ranges: pcql.MonthlyRanges, Columns: orderColumns}},
	// ISVOrderV2 is Partner Center's newer name for the orders dataset (system query
	// bd1b0cc1-…): the same rows and columns.
	{"isv_order", pcql.Dataset{Name: "ISVOrderV2", Monthly: true, Ranges: pcql.MonthlyRanges, Columns: orderColumns}},
	{"isv_usage", pcql.Dataset{Name: "ISVUsage", Ranges: pcql.DailyRanges, Columns: cols(
		texts("MarketplaceSubscriptionId"), one(col("UsageDate", pcql.Date), col("MonthStartDate", pcql.Date)),
		texts("OfferType", "OfferName", "OfferId", "SKU", "PlanId", "CustomerId", "CustomerCountry", "VMSize", "CoreSize",
			"UsageType", "MeterId", "MeterDimension", "UsageUnit", "CustomerCurrencyCC", "PayoutCurrencyPC", "MarketplaceLicenseType"),
		one(metric("NormalizedUsage", pcql.Decimal), metric("RawUsage", pcql.Decimal), metric("MeteredUsage", pcql.Decimal),
			metric("EstimatedExtendedChargeCC", pcql.Decimal), metric("EstimatedExtendedChargePC", pcql.Decimal)),
		// The usage system queries' columns; all but UsageReference NULL with the usage landing file.
		texts("UsageReference", "SKUBillingType", "AzureLicenseType", "CloudInstanceName", "DeploymentMethod", "ServicePlanName",
			"CustomerName", "CustomerCompanyName", "BillingAccountId"),
		one(col("IsNewCustomer", pcql.Bool), col("IsPrivateOffer", pcql.Bool), col("IsInternal", pcql.Bool), col("IsPreviewSKU", pcql.Bool),
			col("TrialEndDate", pcql.Date), col("PriceCC", pcql.Decimal), col("EstimatedPricePC", pcql.Decimal)),
	)}},
	{"isv_customer", pcql.Dataset{Name: "ISVCustomer", Ranges: pcql.DailyRanges, Columns: cols(
		texts("CustomerId", "BillingAccountId", "MarketplaceSubscriptionId"),
		one(col("DateAcquired", pcql.Date), col("DateLost", pcql.Date)),
		texts("ProviderName", "ProviderEmail", "FirstName", "LastName", "Email", "CustomerCompanyName", "CustomerCity",
			"CustomerPostalCode", "CustomerState", "CustomerCountryRegion", "CustomerCommunicationCulture",
			"AzureLicenseType", "CustomerType", "CloudInstanceName"),
		one(col("IsActive", pcql.Bool)), texts("ID", "PromotionalCustomers", "CommerceRootCustomer"),
		one(metric("Subscriptions", pcql.Integer)),
	)}},
	{"isv_revenue", pcql.Dataset{Name: "ISVRevenue", Monthly: true, Ranges: pcql.MonthlyRanges, Columns: cols(
		texts("AssetId", "SalesChannel", "BillingAccountId", "CustomerId", "CustomerName", "CustomerEmail", "CustomerCompanyName",
			"CustomerCity", "CustomerState", "CustomerCountry"),
		one(col("MonthStartDate", pcql.Date)), texts("OfferName", "OfferType", "SKU", "BillingModel"),
		one(col("TrialDeployment", pcql.Bool), col("TermStartDate", pcql.Date), col("TermEndDate", pcql.Date)),
		texts("PurchaseRecordId", "LineItemId", "EarningCurrencyCode"),
		one(col("EarningExchangeRatePC", pcql.Decimal), col("ExchangeRateDate", pcql.Date), col("ExchangeRatePC", pcql.Decimal),
			col("ExchangeRateUSD", pcql.Decimal)),
		texts("IncentiveRate", "PayoutStatus"), one(col("EstimatedPayoutMonth", pcql.Date), col("PaymentSentDate", pcql.Date)),
		texts("PaymentInstrumentType"),
		one(metric("Quantity", pcql.Decimal), metric("Units", pcql.Decimal),
			metric("TransactionAmountCC", pcql.Decimal), metric("TransactionAmountPC", pcql.Decimal), metric("TransactionAmountUSD", pcql.Decimal),
			metric("Revenue", pcql.Decimal), metric("EstimatedRevenuePC", pcql.Decimal), metric("EstimatedRevenueUSD", pcql.Decimal),
			metric("EarningAmountCC", pcql.Decimal), metric("EarningAmountPC", pcql.Decimal), metric("EarningAmountUSD", pcql.Decimal)),
	)}},
	{"isv_offer_retention", pcql.Dataset{Name: "ISVOfferRetention", Monthly: true, Ranges: pcql.MonthlyRanges, Columns: cols(
		texts("OfferCategory", "OfferName", "ProductId", "DeploymentMethod", "ServicePlanName", "Sku", "SkuBillingType",
			"CustomerId", "CustomerName", "CustomerCompanyName", "CustomerCountryName", "CustomerCountryCode", "CustomerCurrencyCode"),
		one(col("FirstUsageDate", pcql.Date), col("FirstUsageMonth", pcql.Date), col("ActivityMonth", pcql.Date)),
		texts("AzureLicenseType", "OfferType"), one(col("Offset", pcql.Integer)),
		// Summed over a cohort and offset: the customers still active that many months on.
		one(metric("Customers", pcql.Integer)),
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
		texts("CustomerTenantId", "CustomerName", "ResourceProvider", "ResourceUri", "ResourceGroup", "ResourceType", "ResourceName",
			"ErrorCode", "ErrorName", "ErrorMessage", "DeepErrorCode", "DeepErrorMessage"),
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
