package ingest

import (
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestEachRuleRejectsItsRowOnly loads, per rule, a file whose middle row
// breaks the rule: that row is rejected with its line, column, reason and raw
// text, and the rows around it load.
func TestEachRuleRejectsItsRowOnly(t *testing.T) {
	const ordersHeader = "AssetId,PurchaseRecordLineItemId,OrderVersion,OrderStatus,MarketplaceLicenseType,OrderQuantity,EstimatedCharges,Currency,OrderPurchaseDate,EventTimestamp,IsTrial"
	const goodOrder = ",L-1,1,Active,Billed through Azure,1,10.00,USD,2025-06-01,2025-06-01T10:00:00Z,false"
	tests := []struct {
		name, file, header, bad string
		good                    [2]string // rows before and after the bad one
		column, reason          string
	}{
		{"required value missing", "orders.csv", ordersHeader,
			",L-1,1,Active,Billed through Azure,1,10.00,USD,2025-06-01,2025-06-01T10:00:00Z,false",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "asset_id", "required value missing"},
		{"not a date", "orders.csv", ordersHeader,
			"A-2,L-1,1,Active,Billed through Azure,1,10.00,USD,2025-13-01,2025-06-01T10:00:00Z,false",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "order_purchase_date", `not a date: "2025-13-01"`},
		{"not a timestamp", "orders.csv", ordersHeader,
			"A-2,L-1,1,Active,Billed through Azure,1,10.00,USD,2025-06-01,yesterday,false",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "event_timestamp", `not a timestamp: "yesterday"`},
		{"not a number", "orders.csv", ordersHeader,
			"A-2,L-1,1,Active,Billed through Azure,1,ten,USD,2025-06-01,2025-06-01T10:00:00Z,false",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "estimated_charges", `not a number: "ten"`},
		{"not a whole number", "orders.csv", ordersHeader,
			"A-2,L-1,1,Active,Billed through Azure,1.5,10.00,USD,2025-06-01,2025-06-01T10:00:00Z,false",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "order_quantity", `not a whole number: "1.5"`},
		{"not a boolean", "orders.csv", ordersHeader,
			"A-2,L-1,1,Active,Billed through Azure,1,10.00,USD,2025-06-01,2025-06-01T10:00:00Z,maybe",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "is_trial", `not a boolean (true/false, yes/no, 1/0): "maybe"`},
		{"negative quantity", "orders.csv", ordersHeader,
			"A-2,L-1,1,Active,Billed through Azure,-1,10.00,USD,2025-06-01,2025-06-01T10:00:00Z,false",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "order_quantity", `negative quantity: "-1"`},
		{"unknown currency", "orders.csv", ordersHeader,
			"A-2,L-1,1,Active,Billed through Azure,1,10.00,XYZ,2025-06-01,2025-06-01T10:00:00Z,false",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "currency", `unknown currency: "XYZ"`},
		{"order status", "orders.csv", ordersHeader,
			"A-2,L-1,1,Pending,Billed through Azure,1,10.00,USD,2025-06-01,2025-06-01T10:00:00Z,false",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "order_status",
			`OrderStatus must be one of Active, Canceled, Expired, Abandoned, Warning: "Pending"`},
		{"license type", "orders.csv", ordersHeader,
			"A-2,L-1,1,Active,Billed by partner,1,10.00,USD,2025-06-01,2025-06-01T10:00:00Z,false",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "marketplace_license_type",
			`MarketplaceLicenseType must be one of Billed through Azure, Bring Your Own License, Free, Microsoft as Reseller: "Billed by partner"`},
		{"too few fields", "orders.csv", ordersHeader,
			"A-2,L-1,1,Active",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "", "row has 4 fields, header has 11"},
		{"too many fields", "orders.csv", ordersHeader,
			"A-2" + goodOrder + ",extra",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "", "row has 12 fields, header has 11"},
		{"misplaced quote", "orders.csv", ordersHeader,
			`A-2,L-1,1,"Active"x,Billed through Azure,1,10.00,USD,2025-06-01,2025-06-01T10:00:00Z,false`,
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "", "unterminated or misplaced quote"},
		{"invalid UTF-8", "orders.csv", ordersHeader,
			"A-2,L-1,1,Active,Billed through Azure,1,10.00,USD,2025-06-01,2025-06-01T10:00:00Z,\xff",
			[2]string{"A-1" + goodOrder, "A-3" + goodOrder}, "", "not valid UTF-8"},
		{"duplicate key in the file: the later row wins", "orders.csv", ordersHeader,
			"A-1,L-1,1,Canceled,Billed through Azure,1,10.00,USD,2025-06-01,2025-06-01T10:00:00Z,false",
			[2]string{"A-0" + goodOrder, "A-1" + goodOrder}, "",
			"duplicate key: a later row of this file has the same AssetId, PurchaseRecordLineItemId, OrderVersion"},
		{"click site", "clicks.csv", "Timestamp,SessionId,OfferId,Site,Action",
			"2025-06-01T10:00:01Z,s-1,o-1,STOREFRONT,PageVisit",
			[2]string{"2025-06-01T10:00:00Z,s-1,o-1,APPSOURCE,PageVisit", "2025-06-01T10:00:02Z,s-1,o-1,APPSOURCE,PageVisit"},
			"site", `Site must be one of AZUREMARKETPLACE, APPSOURCE: "STOREFRONT"`},
		{"click action", "clicks.csv", "Timestamp,SessionId,OfferId,Site,Action",
			"2025-06-01T10:00:01Z,s-1,o-1,APPSOURCE,Buy",
			[2]string{"2025-06-01T10:00:00Z,s-1,o-1,APPSOURCE,PageVisit", "2025-06-01T10:00:02Z,s-1,o-1,APPSOURCE,PageVisit"},
			"action", `Action must be one of PageVisit, GetItNow, ContactMe, TestDrive, FreeTrial, ConsentGiven: "Buy"`},
		{"listing type", "offers.csv", "OfferId,PartnerId,ListingType",
			"o-2,p-1,Sale",
			[2]string{"o-1,p-1,List", "o-3,p-1,Transact"},
			"listing_type", `ListingType must be one of List, Trial, Transact: "Sale"`},
		{"opt-out kind", "opt_outs.csv", "Kind,Id",
			"customer,c-1",
			[2]string{"subscription,s-1", "tenant,t-1"},
			"kind", `Kind must be one of subscription, tenant: "customer"`},
		{"usage quantity", "usage.csv", "MarketplaceSubscriptionId,UsageDate,MeterId,ReferenceId,MeteredUsage",
			"sub-1,2025-06-02,m-1,r-2,-0.5",
			[2]string{"sub-1,2025-06-01,m-1,r-1,1", "sub-1,2025-06-03,m-1,r-3,2"},
			"metered_usage", `negative quantity: "-0.5"`},
		{"usage currency", "usage.csv", "MarketplaceSubscriptionId,UsageDate,MeterId,ReferenceId,PayoutCurrencyPC",
			"sub-1,2025-06-02,m-1,r-2,EURO",
			[2]string{"sub-1,2025-06-01,m-1,r-1,USD", "sub-1,2025-06-03,m-1,r-3,EUR"},
			"payout_currency_pc", `unknown currency: "EURO"`},
		{"fx rate", "fx_rates.csv", "Currency,Month,RateToUsd",
			"GBP,2025-06-01,",
			[2]string{"EUR,2025-06-01,1.08", "JPY,2025-06-01,0.0067"},
			"rate_to_usd", "required value missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testkit.Open(t)
			dir := t.TempDir()
			writeFile(t, dir, tc.file, strings.Join([]string{tc.header, tc.good[0], tc.bad, tc.good[1]}, "\n")+"\n")
			sum := run(t, s, Options{}, dir)
			f := file(t, sum, tc.file)
			if f.Status != StatusLoaded || f.Loaded != 2 || f.Rejected != 1 {
				t.Fatalf("status %s, loaded %d, rejected %d (err %q); want loaded, 2, 1", f.Status, f.Loaded, f.Rejected, f.Err)
			}
			got := rejects(t, s, tc.file)
			// Raw text is stored as valid UTF-8: bad bytes become U+FFFD.
			want := reject{Line: 3, Column: tc.column, Reason: tc.reason, Raw: strings.ToValidUTF8(tc.bad, "\uFFFD")}
			if len(got) != 1 || got[0] != want {
				t.Fatalf("rejects:\n got  %v\n want [%v]", got, want)
			}
		})
	}
}

// TestNegativeChargesLoad: charges may be negative (refunds, credits); only
// quantities may not.
func TestNegativeChargesLoad(t *testing.T) {
	s := testkit.Open(t)
	sum := run(t, s, Options{}, landing(t, "usage.tsv"))
	f := file(t, sum, "usage.tsv")
	if f.Format != "tsv" || f.Loaded != 2 || f.Rejected != 1 {
		t.Fatalf("%+v", f)
	}
	equal(t, "charges", column(t, s, `SELECT CAST(estimated_extended_charge_cc AS VARCHAR) FROM usage ORDER BY usage_date`),
		[]string{"3.000000", "-4.000000"})
	equal(t, "rejects", rejectStrings(rejects(t, s, "usage.tsv")),
		[]string{"line 3 normalized_usage: negative quantity: \"-1\" [sub-1\t2025-06-02\tm-1\tref-2\t-1\t1\t1\t2.00\tUSD\t2.00\tUSD\tBilled through Azure]"})
	equal(t, "meter of the last row", column(t, s, `SELECT meter_id FROM usage WHERE reference_id = 'ref-3'`), []string{"NULL"})
}

func rejectStrings(rs []reject) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}

// TestValuesAreNormalised: the accepted spellings of each type end up as one
// value: US dates, offsets converted to UTC, yes/no, enumerations and
// currencies in their listed case, months on their first day.
func TestValuesAreNormalised(t *testing.T) {
	s := testkit.Open(t)
	dir := t.TempDir()
	writeFile(t, dir, "orders.csv", "asset_id,purchase_record_line_item_id,order_version,order_status,marketplace_license_type,currency,order_purchase_date,event_timestamp,is_trial,is_private_offer,order_quantity\n"+
		"A-1,L-1,1, active,billed THROUGH azure,usd ,6/1/2025,2025-06-01T12:00:00+02:00,Yes ,0, 3 \n"+
		"A-2,L-1,1,Canceled,Free,EUR,2025-06-02,6/2/2025 1:30:00 PM,no,TRUE,3.0\n")
	writeFile(t, dir, "fx.csv", "Currency,Month,Rate\ngbp,2025-06-17,1.27\n")
	sum := run(t, s, Options{}, dir)
	if l, r, _ := sum.Totals(); l != 3 || r != 0 {
		t.Fatalf("loaded %d rejected %d: %+v", l, r, sum.Files)
	}
	equal(t, "orders", column(t, s, `SELECT concat_ws(' | ', asset_id, order_status, marketplace_license_type, currency,
		order_purchase_date, event_timestamp, is_trial, is_private_offer, order_quantity, is_fraud, coalesce(sku, 'NULL')) FROM orders ORDER BY asset_id`),
		[]string{
			"A-1 | Active | Billed through Azure | USD | 2025-06-01 | 2025-06-01 10:00:00 | true | false | 3 | false | NULL",
			"A-2 | Canceled | Free | EUR | 2025-06-02 | 2025-06-02 13:30:00 | false | true | 3 | false | NULL",
		})
	equal(t, "fx", column(t, s, `SELECT concat_ws(' | ', currency, month, rate_to_usd) FROM fx_rates`),
		[]string{"GBP | 2025-06-01 | 1.27000000"})
}
