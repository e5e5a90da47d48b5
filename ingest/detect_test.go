package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name    string
		header  string
		force   string
		dataset string            // "" means an error
		mapped  map[string]string // canonical column -> header name that feeds it
		ignored []string
		err     string // part of the error
	}{
		{name: "orders export", header: "MarketplaceSubscriptionId,MonthStartDate,OfferType,OfferName,SKU,PlanId,AzureLicenseType,MarketplaceLicenseType,CustomerId,BillingAccountId,CustomerName,CustomerCompanyName,CustomerCountry,IsNewCustomer,OrderStatus,OrderAction,OrderPurchaseDate,OrderCancelDate,TermStartDate,TermEndDate,OrderQuantity,EstimatedCharges,Currency,AssetId,PurchaseRecordId,PurchaseRecordLineItemId,IsPrivateOffer,IsTrial,TrialEndDate,CloudInstanceName,EventTimestamp,OrderVersion",
			dataset: "orders", mapped: map[string]string{"asset_id": "AssetId", "estimated_charges": "EstimatedCharges", "sku": "SKU"}},
		{name: "orders aliases", header: "OrderId,PurchaseRecordLineItemId,OrderVersion,Quantity,BilledRevenue",
			dataset: "orders", mapped: map[string]string{"asset_id": "OrderId", "order_quantity": "Quantity", "estimated_charges": "BilledRevenue"}},
		{name: "snake_case", header: "asset_id,purchase_record_line_item_id,order_version,order_status",
			dataset: "orders", mapped: map[string]string{"asset_id": "asset_id", "order_status": "order_status"}},
		{name: "any case and separators", header: "ASSETID, Purchase Record Line Item Id ,order-version",
			dataset: "orders", mapped: map[string]string{"asset_id": "ASSETID", "purchase_record_line_item_id": "Purchase Record Line Item Id", "order_version": "order-version"}},
		{name: "two spellings of one column: the first feeds it", header: "AssetId,PurchaseRecordLineItemId,OrderVersion,EstimatedCharges,BilledRevenue",
			dataset: "orders", mapped: map[string]string{"estimated_charges": "EstimatedCharges"}},
		{name: "unknown columns are ignored", header: "AssetId,PurchaseRecordLineItemId,OrderVersion,Comment,,",
			dataset: "orders", ignored: []string{"Comment", "(blank)", "(blank)"}},
		{name: "usage export", header: "MarketplaceSubscriptionId,UsageDate,OfferType,OfferName,SKU,PlanId,CustomerId,CustomerCountry,VMSize,CoreSize,UsageType,MeterId,MeterDimension,UsageUnit,NormalizedUsage,RawUsage,MeteredUsage,EstimatedExtendedChargeCC,CustomerCurrencyCC,EstimatedExtendedChargePC,PayoutCurrencyPC,MarketplaceLicenseType,ReferenceId",
			dataset: "usage", mapped: map[string]string{"vm_size": "VMSize", "estimated_extended_charge_cc": "EstimatedExtendedChargeCC"}},
		{name: "customers export", header: "CustomerId,BillingAccountId,MarketplaceSubscriptionId,DateAcquired,DateLost,ProviderName,ProviderEmail,FirstName,LastName,Email,CustomerCompanyName,CustomerCity,CustomerPostalCode,CustomerState,CustomerCountryRegion,CustomerCommunicationCulture,AzureLicenseType,CustomerType,CloudInstanceName",
			dataset: "customers"},
		{name: "deployments", header: "DeploymentId,Timestamp,SubscriptionId,CustomerTenantId,ResourceGroup,DeploymentName,UserAgent,PartnerId,Status,Region", dataset: "deployments"},
		{name: "clicks", header: "Timestamp,SessionId,OfferId,Site,Action,LandingUrl,ReferralDomain,Country", dataset: "clicks"},
		{name: "partners", header: "PartnerId,PgaId,PartnerName,CompanyName,AccountEmail", dataset: "partners"},
		{name: "offers", header: "OfferId,PartnerId,OfferName,ListingType,Storefront,LiveDate", dataset: "offers"},
		{name: "tracking ids", header: "TrackingId,PartnerId,OfferId,Channel,PlanId,RegisteredAt", dataset: "tracking_ids"},
		{name: "contacts", header: "PgaId,Name,Email,Phone,Language,AssignedAt,ContactedAt", dataset: "contacts"},
		{name: "opt-outs", header: "Kind,Id,OptedOutAt", dataset: "opt_outs"},
		{name: "fx rates", header: "Currency,Month,RateToUsd", dataset: "fx_rates"},
		{name: "fx rates alias", header: "currency,month,rate", dataset: "fx_rates", mapped: map[string]string{"rate_to_usd": "rate"}},
		{name: "orders without a required column is not customers",
			header: "MarketplaceSubscriptionId,CustomerName,OrderStatus,OrderPurchaseDate,PurchaseRecordLineItemId,EstimatedCharges,Currency",
			err:    "closest is orders (7 of its 37 columns), which needs the missing column(s) AssetId"},
		{name: "Orders system query", header: "MarketplaceSubscriptionId,MonthStartDate,OfferType,AzureLicenseType,MarketplaceLicenseType,Sku,CustomerCountry,IsPreviewSKU,OrderId,OrderQuantity,CloudInstanceName,IsNewCustomer,OrderStatus,OrderCancelDate,CustomerCompanyName,CustomerName,OrderPurchaseDate,OfferName,TrialEndDate,CustomerId,BillingAccountId",
			dataset: "orders", mapped: map[string]string{"asset_id": "OrderId", "sku": "Sku"}, ignored: []string{"IsPreviewSKU"}},
		{name: "metered usage system query (shares many columns with orders)", header: "MarketplaceSubscriptionId,MonthStartDate,OfferType,AzureLicenseType,MarketplaceLicenseType,SKU,CustomerCountry,IsPreviewSKU,SKUBillingType,IsInternal,VMSize,CloudInstanceName,ServicePlanName,OfferName,DeploymentMethod,CustomerName,CustomerCompanyName,UsageDate,IsNewCustomer,CoreSize,TrialEndDate,CustomerCurrencyCC,PriceCC,PayoutCurrencyPC,EstimatedPricePC,UsageReference,UsageUnit,CustomerId,BillingAccountId,MeteredUsage,EstimatedExtendedChargeCC,EstimatedExtendedChargePC",
			dataset: "usage", mapped: map[string]string{"usage_reference": "UsageReference", "metered_usage": "MeteredUsage"},
			ignored: []string{"MonthStartDate", "AzureLicenseType", "IsPreviewSKU", "SKUBillingType", "IsInternal", "CloudInstanceName", "ServicePlanName", "DeploymentMethod", "CustomerName", "CustomerCompanyName", "IsNewCustomer", "TrialEndDate", "PriceCC", "EstimatedPricePC", "BillingAccountId"}},
		{name: "Quality of service system query", header: "OfferId,Sku,DeploymentStatus,DeploymentCorrelationId,SubscriptionId,CustomerTenantId,CustomerName,TemplateType,StartTime,EndTime,DeploymentDurationInMilliSeconds,DeploymentRegion,ResourceProvider,ResourceUri,ResourceGroup,ResourceType,ResourceName,ErrorCode,ErrorName,ErrorMessage,DeepErrorCode,DeepErrorMessage",
			dataset: "qos", mapped: map[string]string{"deployment_correlation_id": "DeploymentCorrelationId", "deployment_duration_ms": "DeploymentDurationInMilliSeconds"}},
		{name: "Marketplace Insights system query", header: "Date,OfferName,ReferralDomain,CountryName,PageVisits,GetItNow,ContactMe,TestDrive,FreeTrial",
			dataset: "marketplace_insights", mapped: map[string]string{"date": "Date", "page_visits": "PageVisits"}},
		{name: "Marketplace Insights download", header: "Date,OfferName,ReferralDomain,CountryName,PageVisits,GetItNow,ContactMe,TestDrive,FreeTrial,consentGivenCount,Site,Campaign",
			dataset: "marketplace_insights", mapped: map[string]string{"consent_given": "consentGivenCount", "campaign": "Campaign"}},
		{name: "UI download with spaced headers", header: "Marketplace Subscription ID,Asset ID,Billed Revenue USD,Order Status",
			dataset: "orders", mapped: map[string]string{"asset_id": "Asset ID", "estimated_charges": "Billed Revenue USD", "marketplace_subscription_id": "Marketplace Subscription ID"}},
		{name: "nothing known", header: "foo,bar", err: "no column of the header (foo, bar) belongs to any dataset"},
		{name: "forced", header: "Currency,Month,RateToUsd", force: "fx_rates", dataset: "fx_rates"},
		{name: "forced and missing", header: "Currency,Rate", force: "fx_rates", err: "not an fx_rates file: missing required column(s) Month"},
		{name: "forced opt_outs and missing", header: "Foo", force: "opt_outs", err: "not an opt_outs file: missing required column(s)"},
		{name: "forced usage and missing", header: "Foo", force: "usage", err: "not a usage file: missing required column(s)"},
		{name: "forced unknown", header: "Currency,Month,RateToUsd", force: "prices", err: `unknown dataset "prices"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			header := strings.Split(tc.header, ",")
			m, err := Detect(header, tc.force)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Dataset.Name != tc.dataset {
				t.Fatalf("dataset %s, want %s", m.Dataset.Name, tc.dataset)
			}
			for canon, h := range tc.mapped {
				found := false
				for i, c := range m.Dataset.Columns {
					if c.Name == canon {
						found = m.Source[i] >= 0 && strings.TrimSpace(header[m.Source[i]]) == h
					}
				}
				if !found {
					t.Errorf("%s is not fed by %q", canon, h)
				}
			}
			if fmt.Sprint(m.Ignored) != fmt.Sprint(tc.ignored) {
				t.Errorf("ignored %q, want %q", m.Ignored, tc.ignored)
			}
		})
	}
}

func TestDetectErrorNamesClosestAndMissing(t *testing.T) {
	_, err := Detect([]string{"MarketplaceSubscriptionId", "MeterId", "NormalizedUsage", "ReferenceId"}, "")
	var de *DetectError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v", err)
	}
	if de.Closest != "usage" || fmt.Sprint(de.Missing) != "[UsageDate]" {
		t.Fatalf("closest %s missing %v", de.Closest, de.Missing)
	}
}

// TestUndetectableFileIsQuarantinedWithItsReason: the run goes on, the file
// is moved aside, and the message names the closest dataset and what it lacks.
func TestUndetectableFileIsQuarantinedWithItsReason(t *testing.T) {
	s := testkit.Open(t)
	sum := run(t, s, Options{}, landing(t, "usage_without_usage_date.csv", "fx_rates.csv"))
	f := file(t, sum, "usage_without_usage_date.csv")
	want := "cannot tell which dataset this is: closest is usage (5 of its 29 columns), which needs the missing column(s) UsageDate; fix the header or force one with --dataset"
	if f.Status != StatusQuarantined || f.Err != want {
		t.Fatalf("status %s err %q\nwant %q", f.Status, f.Err, want)
	}
	equal(t, "recorded", column(t, s, `SELECT error FROM ingest_quarantine`), []string{want})
	if g := file(t, sum, "fx_rates.csv"); g.Status != StatusLoaded {
		t.Errorf("%+v", g)
	}
}

// TestDatasetsMatchTheRawTables keeps the Go dataset list and
// sql/schema/0001_raw.sql in step: same columns in the same order, the SQL
// types the validation produces, and required exactly where NOT NULL.
func TestDatasetsMatchTheRawTables(t *testing.T) {
	s := testkit.Open(t)
	for _, d := range Datasets {
		rows, err := s.Query(context.Background(), `SELECT column_name, data_type, is_nullable = 'NO'
			FROM information_schema.columns WHERE table_name = ? AND column_name <> '_file_id' ORDER BY ordinal_position`, d.Name)
		if err != nil {
			t.Fatal(err)
		}
		var got, want []string
		for rows.Next() {
			var name, typ string
			var notNull bool
			if err := rows.Scan(&name, &typ, &notNull); err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%s %s notnull=%v", name, typ, notNull))
		}
		rows.Close()
		for _, c := range d.Columns {
			want = append(want, fmt.Sprintf("%s %s notnull=%v", c.Name, c.sqlTypeName(), c.Required || c.Default != ""))
		}
		equal(t, d.Name, got, want)
	}
}

func TestCurrencyList(t *testing.T) {
	for _, c := range []string{"USD", "eur", "JPY", "CHF", "SEK", "BRL", "INR"} {
		if !IsCurrency(c) {
			t.Errorf("%s rejected", c)
		}
	}
	for _, c := range []string{"XYZ", "EURO", "US", "", "XXX", "XTS"} {
		if IsCurrency(c) {
			t.Errorf("%q accepted", c)
		}
	}
	if len(currencyLookupOrder) != len(isoCurrencies) {
		t.Errorf("lookup order has %d codes, the list %d", len(currencyLookupOrder), len(isoCurrencies))
	}
}
