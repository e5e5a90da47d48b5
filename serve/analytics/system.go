package analytics

import "time"

// systemQueries are the predefined queries every partner can schedule. The
// ids of those that exist in Partner Center are Partner Center's (from its
// list of system queries), so that scripts using them keep working, and so
// is their text: a documented column the landing files do not carry answers
// NULL (the datasets say which). The last three are our additions.
var systemQueries = []Query{
	{ID: "b9df4929-073f-4795-b0cb-a2c81b11e28d", Name: "ISVCustomer", Description: "Customers report for the last 6M",
		Text: "SELECT MarketplaceSubscriptionId,DateAcquired,DateLost,ProviderName,ProviderEmail,FirstName,LastName,Email," +
			"CustomerCompanyName,CustomerCity,CustomerPostalCode,CustomerCommunicationCulture,CustomerCountryRegion," +
			"AzureLicenseType,PromotionalCustomers,CustomerState,CommerceRootCustomer,CustomerId,BillingAccountId,ID " +
			"FROM ISVCustomer TIMESPAN LAST_6_MONTHS"},
	{ID: "fd0f299c-5a1c-4929-9f48-bfc6cc44355d", Name: "ISVOrder", Description: "Orders report for the last 6M",
		Text: "SELECT MarketplaceSubscriptionId,MonthStartDate,OfferType,AzureLicenseType,MarketplaceLicenseType,Sku," +
			"CustomerCountry,IsPreviewSKU,OrderId,OrderQuantity,CloudInstanceName,IsNewCustomer,OrderStatus,OrderCancelDate," +
			"CustomerCompanyName,CustomerName,OrderPurchaseDate,OfferName,TrialEndDate,CustomerId,BillingAccountId " +
			"FROM ISVOrder TIMESPAN LAST_6_MONTHS"},
	{ID: "bd1b0cc1-ce45-4578-beba-6fe5a69fd421", Name: "ISVOrderV2", Description: "OrdersV2 report for the last 6M",
		Text: "SELECT MarketplaceSubscriptionId,MonthStartDate,OfferType,AzureLicenseType,MarketplaceLicenseType,Sku," +
			"CustomerCountry,IsPreviewSKU,OrderId,OrderQuantity,CloudInstanceName,IsNewCustomer,OrderStatus,OrderCancelDate," +
			"CustomerCompanyName,CustomerName,OrderPurchaseDate,OfferName,TrialEndDate,CustomerId,BillingAccountId,TermStartDate," +
			"TermEndDate,PurchaseRecordId,PurchaseRecordLineItemId,HasTrial,IsTrialDeployment,estimatedcharges " +
			"FROM ISVOrderV2 TIMESPAN LAST_6_MONTHS"},
	{ID: "2c6f384b-ad52-4aed-965f-32bfa09b3778", Name: "ISVUsage", Description: "VM Normalized usage report for the last 6M",
		Text: "SELECT MarketplaceSubscriptionId,MonthStartDate,OfferType,AzureLicenseType,MarketplaceLicenseType,SKU," +
			"CustomerCountry,IsPreviewSKU,SKUBillingType,IsInternal,VMSize,CloudInstanceName,ServicePlanName,OfferName," +
			"DeploymentMethod,CustomerName,CustomerCompanyName,UsageDate,IsNewCustomer,CoreSize,TrialEndDate," +
			"CustomerCurrencyCC,PriceCC,PayoutCurrencyPC,EstimatedPricePC,UsageReference,UsageUnit,CustomerId,BillingAccountId," +
			"NormalizedUsage,EstimatedExtendedChargeCC,EstimatedExtendedChargePC FROM ISVUsage " +
			"WHERE OfferType IN ('vm core image', 'Virtual Machine Licenses', 'multisolution') TIMESPAN LAST_6_MONTHS"},
	{ID: "3f19fb95-5bc4-4ee0-872e-cedd22578512", Name: "ISVUsage", Description: "VM Raw usage report for the last 6M",
		Text: "SELECT MarketplaceSubscriptionId,MonthStartDate,OfferType,AzureLicenseType,MarketplaceLicenseType,SKU," +
			"CustomerCountry,IsPreviewSKU,SKUBillingType,IsInternal,VMSize,CloudInstanceName,ServicePlanName,OfferName," +
			"DeploymentMethod,CustomerName,CustomerCompanyName,UsageDate,IsNewCustomer,CoreSize,TrialEndDate," +
			"CustomerCurrencyCC,PriceCC,PayoutCurrencyPC,EstimatedPricePC,UsageReference,UsageUnit,CustomerId,BillingAccountId," +
			"RawUsage,EstimatedExtendedChargeCC,EstimatedExtendedChargePC FROM ISVUsage " +
			"WHERE OfferType IN ('vm core image', 'Virtual Machine Licenses', 'multisolution') TIMESPAN LAST_6_MONTHS"},
	{ID: "f0c4927f-1f23-4c99-be4a-1371a5a9a086", Name: "ISVUsage", Description: "Metered usage report for the last 6M",
		Text: "SELECT MarketplaceSubscriptionId,MonthStartDate,OfferType,AzureLicenseType,MarketplaceLicenseType,SKU," +
			"CustomerCountry,IsPreviewSKU,SKUBillingType,IsInternal,VMSize,CloudInstanceName,ServicePlanName,OfferName," +
			"DeploymentMethod,CustomerName,CustomerCompanyName,UsageDate,IsNewCustomer,CoreSize,TrialEndDate," +
			"CustomerCurrencyCC,PriceCC,PayoutCurrencyPC,EstimatedPricePC,UsageReference,UsageUnit,CustomerId,BillingAccountId," +
			"MeteredUsage,EstimatedExtendedChargeCC,EstimatedExtendedChargePC FROM ISVUsage " +
			"WHERE OfferType IN ('SaaS', 'Azure Applications') TIMESPAN LAST_6_MONTHS"},
	{ID: "6fd7624b-aa9f-42df-a61d-67d42fd00e92", Name: "ISVMarketplaceInsights", Description: "Marketplace Insights report for the last 6M",
		Text: "SELECT Date,OfferName,ReferralDomain,CountryName,PageVisits,GetItNow,ContactMe,TestDrive,FreeTrial " +
			"FROM ISVMarketplaceInsights TIMESPAN LAST_6_MONTHS"},
	{ID: "bf54dde4-7dc4-492f-a69a-f45de049bfcb", Name: "ISVRevenue", Description: "Revenue report for the last 6M",
		Text: "SELECT AssetId,SalesChannel,BillingAccountId,CustomerCity,CustomerCompanyName,CustomerCountry,CustomerEmail," +
			"CustomerId,CustomerName,CustomerState,EarningAmountCC,EarningAmountPC,EarningAmountUSD,EarningCurrencyCode," +
			"EarningExchangeRatePC,EstimatedPayoutMonth,Revenue,EstimatedRevenuePC,EstimatedRevenueUSD,ExchangeRateDate," +
			"ExchangeRatePC,ExchangeRateUSD,PayoutStatus,IncentiveRate,TrialDeployment,LineItemId,MonthStartDate,OfferName," +
			"OfferType,PaymentInstrumentType,PaymentSentDate,PurchaseRecordId,Quantity,SKU,TermEndDate,TermStartDate," +
			"TransactionAmountCC,TransactionAmountPC,TransactionAmountUSD,BillingModel,Units FROM ISVRevenue TIMESPAN LAST_6_MONTHS"},
	{ID: "6d37d057-06f3-45aa-a971-3a34415e8511", Name: "ISVOfferRetention", Description: "Customer retention for the last 6M",
		Text: "SELECT OfferCategory,OfferName,ProductId,DeploymentMethod,ServicePlanName,Sku,SkuBillingType,CustomerId,CustomerName," +
			"CustomerCompanyName,CustomerCountryName,CustomerCountryCode,CustomerCurrencyCode,FirstUsageDate,AzureLicenseType," +
			"OfferType,Offset FROM ISVOfferRetention TIMESPAN LAST_6_MONTHS"},
	{ID: "q9df4939-073f-5795-b0cb-v2c81d11e58d", Name: "ISVQualityOfService", Description: "Quality of service report for the last 3M",
		Text: "SELECT OfferId,Sku,DeploymentStatus,DeploymentCorrelationId,SubscriptionId,CustomerTenantId,CustomerName," +
			"TemplateType,StartTime,EndTime,DeploymentDurationInMilliSeconds,DeploymentRegion,ResourceProvider,ResourceUri," +
			"ResourceGroup,ResourceType,ResourceName,ErrorCode,ErrorName,ErrorMessage,DeepErrorCode,DeepErrorMessage " +
			"FROM ISVQualityOfService TIMESPAN LAST_3_MONTHS"},
	{ID: "e41e23e7-8168-4d06-a1ec-9b7fe42bae31", Name: "ISVAttributedUsage", Description: "Usage attributed to your tracking IDs, per month, for the last year",
		Text: "SELECT MonthStartDate,TrackingId,OfferId,Channel,PlanId,PayoutCurrencyPC,UsageRows,Subscriptions," +
			"NormalizedUsage,RawUsage,MeteredUsage,EstimatedExtendedChargePC FROM ISVAttributedUsage TIMESPAN LAST_1_YEAR"},
	{ID: "5c0e2b1d-8f1f-4d4e-9a57-3b6f0e2a7c11", Name: "ISVAttributedDeployments", Description: "Deployments attributed to your tracking IDs for the last 3M",
		Text: "SELECT StartTime,DeploymentCorrelationId,TrackingId,OfferId,PlanId,SubscriptionId,ResourceGroup,DeploymentStatus," +
			"DeploymentRegion FROM ISVAttributedDeployments TIMESPAN LAST_3_MONTHS"},
	{ID: "b36177f8-431f-4ce0-bbb4-a7a03f5ee450", Name: "ISVTierStatus", Description: "Your company's billed-sales tier, gap and projection",
		Text: "SELECT AsOf,PGAId,Tier,NextTier,TTMBilledSalesUSD,NextThresholdUSD,GapUSD,RunRateUSD,ProjectedMonth " +
			"FROM ISVTierStatus ORDER BY AsOf TIMESPAN LAST_1_YEAR"},
}

// systemCreated is the creation time shown for system queries.
var systemCreated = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func systemQuery(id string) (Query, bool) {
	for _, q := range systemQueries {
		if q.ID == id {
			q.System, q.User, q.CreatedAt = true, "system", systemCreated
			return q, true
		}
	}
	return Query{}, false
}
