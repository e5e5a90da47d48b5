package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestDocumentedShapesLoadReplaceAndSkip: each documented Partner Center
// download shape (fixtures under testdata/real, written from the column
// lists of the system queries and the dashboards' data dictionaries) loads
// with its own natural key; a re-delivery with a change replaces its rows
// (not doubled); the same bytes again are a no-op.
func TestDocumentedShapesLoadReplaceAndSkip(t *testing.T) {
	tests := []struct {
		fixture, dataset, shape string
		rows                    int64
		change                  [2]string // old, new text of the re-delivery
		query                   string
		want                    []string // after the re-delivery
	}{
		{"orders_system_query.csv", "orders", "orders (Orders system query)", 3,
			[2]string{`"5","Azure Global"`, `"6","Azure Global"`},
			`SELECT concat_ws(' | ', asset_id, coalesce(purchase_record_line_item_id, '-'), order_version, order_quantity,
				order_status, marketplace_license_type, offer_type, month_start_date, order_purchase_date,
				coalesce(order_cancel_date::VARCHAR, '-'), coalesce(customer_name, 'NULL'), masked_fields, customer_id, is_new_customer)
			 FROM orders ORDER BY asset_id`,
			[]string{
				"0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 | - | 1 | 6 | Active | Billed through Azure | SaaS | 2022-09-01 | 2022-09-12 | - | NULL | customer_name | 8c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f_2022-09-12 | true",
				"1c2d3e4f-5061-7283-94a5-b6c7d8e9f0a1 | - | 1 | 1 | Canceled | Billed through Azure | SaaS | 2022-09-01 | 2022-09-15 | 2022-09-30 | NULL | customer_name | 9d2e3f4a-5b6c-7d8e-9f0a-1b2c3d4e5f60_2021-03-01 | false",
				"2d3e4f50-6172-8394-a5b6-c7d8e9f0a1b2 | - | 1 | 1 | Canceled | Billed through Azure | SaaS | 2022-09-01 | 2022-09-16 | 2022-09-30 | NULL | customer_name | 9d2e3f4a-5b6c-7d8e-9f0a-1b2c3d4e5f60_2021-03-01 | false",
			}},
		{"orders_v2_system_query.csv", "orders", "line items (full export, OrdersV2)", 2,
			[2]string{`"20.00"`, `"25.00"`},
			`SELECT concat_ws(' | ', asset_id, purchase_record_line_item_id, order_version, offer_type, estimated_charges,
				coalesce(currency, '-'), is_trial, has_trial, term_end_date, customer_name) FROM orders ORDER BY asset_id, purchase_record_line_item_id`,
			[]string{
				// Line 2: HasTrial True, IsTrialDeployment False: a paid line of a plan with a trial.
				"0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 | 1 | 1 | Azure Applications | 500.000000 | - | false | false | 2023-09-11 | Ada Lovelace",
				"0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 | 2 | 1 | Azure Applications | 25.000000 | - | false | true | 2023-09-11 | Ada Lovelace",
			}},
		{"revenue_system_query.csv", "revenue", "revenue", 2,
			[2]string{`"Upcoming"`, `"Sent"`},
			`SELECT concat_ws(' | ', purchase_record_id, line_item_id, offer_type, transaction_amount_usd, earning_amount_usd,
				payout_status, estimated_payout_month, trial_deployment, billing_model, customer_email)
			 FROM revenue ORDER BY purchase_record_id, line_item_id`,
			[]string{
				"pr-1 | 1 | Azure Applications | 500.000000 | 485.000000 | Sent | 2022-11-01 | false | SubscriptionBased | ada@contoso.example",
				"pr-1 | 2 | Azure Applications | 20.000000 | 19.400000 | Sent | 2022-11-01 | true | SubscriptionBased | ada@contoso.example",
			}},
		{"usage_metered_system_query.csv", "usage", "usage (system queries)", 3,
			[2]string{`"100","10.00","11.00"`, `"120","12.00","13.20"`},
			`SELECT concat_ws(' | ', marketplace_subscription_id, usage_date, offer_name, offer_type, coalesce(reference_id, '-'),
				coalesce(meter_id, '-'), usage_reference, metered_usage, estimated_extended_charge_pc, payout_currency_pc)
			 FROM usage ORDER BY usage_reference`,
			[]string{
				"00000000-0000-0000-0000-000000000000 | 2022-09-15 | Fabrikam Cloud | SaaS | - | - | u-ref-1 | 120.000000 | 13.200000 | USD",
				"00000000-0000-0000-0000-000000000000 | 2022-09-15 | Contoso Analytics | SaaS | - | - | u-ref-2 | 10.000000 | 2.200000 | USD",
				"6a7b1e3c-2f4d-4a5b-9c8d-1e2f3a4b5c6d | 2022-09-15 | Contoso Analytics | Azure Applications | - | - | u-ref-3 | 3.000000 | 3.000000 | USD",
			}},
		{"customers_system_query.csv", "customers", "customers (Customers system query)", 3,
			[2]string{`"Berlin"`, `"Munich"`},
			`SELECT concat_ws(' | ', record_id, customer_id, date_acquired, coalesce(first_name, 'NULL'), coalesce(email, 'NULL'),
				customer_city, coalesce(masked_fields, '-')) FROM customers ORDER BY record_id`,
			[]string{
				"1 | 9d2e3f4a-5b6c-7d8e-9f0a-1b2c3d4e5f60_2021-03-01 | 2022-09-15 | NULL | NULL | Munich | first_name,last_name,email",
				"2 | 9d2e3f4a-5b6c-7d8e-9f0a-1b2c3d4e5f60_2021-03-01 | 2022-09-16 | NULL | NULL | Munich | first_name,last_name,email",
				"3 | 8c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f | 2022-09-12 | Ada | ada@contoso.example | Seattle | -",
			}},
		{"qos.csv", "qos", "qos", 3,
			[2]string{`"224000"`, `"225000"`},
			`SELECT concat_ws(' | ', deployment_correlation_id, resource_name, deployment_status, start_time, end_time,
				deployment_duration_ms, coalesce(customer_name, 'NULL'), coalesce(masked_fields, '-'), coalesce(deep_error_code, '-'))
			 FROM qos ORDER BY deployment_correlation_id, resource_name`,
			[]string{
				"3f2504e0-4f89-11d3-9a0c-0305e82c3301 | st1 | Succeeded | 2022-09-12 15:27:18 | 2022-09-12 15:31:02 | 225000.000 | NULL | customer_name | -",
				"3f2504e0-4f89-11d3-9a0c-0305e82c3301 | vm1 | Succeeded | 2022-09-12 15:27:18 | 2022-09-12 15:31:02 | 225000.000 | NULL | customer_name | -",
				"7c9e6679-7425-40de-944b-e07fc1f90ae7 | ip1 | Failed | 2022-09-15 10:00:00 | 2022-09-15 10:02:30 | 150000.000 | Fabrikam GmbH | - | QuotaExceeded",
			}},
		{"marketplace_insights.csv", "marketplace_insights", "marketplace_insights", 3,
			[2]string{`"120","4"`, `"125","4"`},
			`SELECT concat_ws(' | ', "date", offer_name, coalesce(referral_domain, '-'), country_name, page_visits, get_it_now,
				contact_me, free_trial, consent_given, site, coalesce(campaign, '-')) FROM marketplace_insights ORDER BY "date", page_visits DESC`,
			[]string{
				"2022-09-12 | Contoso Analytics | www.bing.com | United States | 125 | 4 | 2 | 1 | 5 | AZUREMARKETPLACE | spring25",
				"2022-09-12 | Contoso Analytics | - | Germany | 30 | 0 | 1 | 0 | 1 | APPSOURCE | -",
				"2022-09-13 | Contoso Analytics | linkedin.com | United States | 15 | 1 | 0 | 0 | 0 | AZUREMARKETPLACE | this.campaign.is.too.long",
			}},
		{"orders_ui_download.csv", "orders", "line items (full export, OrdersV2)", 2,
			[2]string{`"500.00"`, `"550.00"`},
			`SELECT concat_ws(' | ', asset_id, order_version, order_status, estimated_charges, currency, order_purchase_date,
				is_new_customer, is_private_offer, is_trial, coalesce(customer_name, 'NULL'), coalesce(masked_fields, '-'))
			 FROM orders ORDER BY asset_id`,
			[]string{
				"0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 | 1 | Active | 550.000000 | USD | 2022-09-12 | true | false | false | NULL | customer_name",
				"1c2d3e4f-5061-7283-94a5-b6c7d8e9f0a1 | 2 | Canceled | 0.000000 | USD | 2022-09-15 | false | true | false | Jo Smith | -",
			}},
	}
	for _, tc := range tests {
		t.Run(tc.fixture, func(t *testing.T) {
			s := testkit.Open(t)
			orig, err := os.ReadFile(filepath.Join("testdata", "real", tc.fixture))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			first := writeFile(t, dir, "first_"+tc.fixture, string(orig))
			f := file(t, run(t, s, Options{}, first), filepath.Base(first))
			if f.Status != StatusLoaded || f.Dataset != tc.dataset || f.Shape != tc.shape || f.Loaded != tc.rows || f.Rejected != 0 {
				t.Fatalf("first delivery: %+v", f)
			}
			if again := file(t, run(t, s, Options{}, first), filepath.Base(first)); again.Status != StatusSkipped {
				t.Fatalf("same bytes again: %+v", again)
			}
			if !bytes.Contains(orig, []byte(tc.change[0])) {
				t.Fatalf("fixture lacks %s", tc.change[0])
			}
			second := writeFile(t, dir, "second_"+tc.fixture, strings.ReplaceAll(string(orig), tc.change[0], tc.change[1]))
			g := file(t, run(t, s, Options{}, second), filepath.Base(second))
			if g.Status != StatusLoaded || g.Loaded != tc.rows || g.Replaced != tc.rows || g.Rejected != 0 {
				t.Fatalf("corrected re-delivery: %+v", g)
			}
			equal(t, tc.fixture, column(t, s, tc.query), tc.want)
		})
	}
}

// TestRealValueSpellings: each spelling real exports use loads as the
// value it means.
func TestRealValueSpellings(t *testing.T) {
	tests := []struct {
		name, header, value, expr, want string
	}{
		{"Cancelled", "OrderStatus", "Cancelled", "order_status", "Canceled"},
		{"cancelled", "OrderStatus", "cancelled", "order_status", "Canceled"},
		{"Billed Through Azure", "MarketplaceLicenseType", "Billed Through Azure", "marketplace_license_type", "Billed through Azure"},
		{"BYOL", "MarketplaceLicenseType", "BYOL", "marketplace_license_type", "Bring Your Own License"},
		{"azure applications", "OfferType", "azure applications", "offer_type", "Azure Applications"},
		{"unknown offer type kept", "OfferType", "Something New", "offer_type", "Something New"},
		{"date-time with 7 fractional digits in a date column", "OrderPurchaseDate", "2022-09-12 15:27:18.0000000", "CAST(order_purchase_date AS VARCHAR)", "2022-09-12"},
		{"US date-time in a date column", "OrderPurchaseDate", "9/15/2022 12:00:00 AM", "CAST(order_purchase_date AS VARCHAR)", "2022-09-15"},
		{"7 fractional digits in a timestamp", "EventTimestamp", "2022-09-12 15:27:18.0000000", "CAST(event_timestamp AS VARCHAR)", "2022-09-12 15:27:18"},
		{"Yes", "IsTrial", "Yes", "is_trial", "true"},
		{"No", "IsTrial", "No", "is_trial", "false"},
		{"1", "IsTrial", "1", "is_trial", "true"},
		{"0", "IsTrial", "0", "is_trial", "false"},
		{"True", "IsTrial", "True", "is_trial", "true"},
		{"False", "IsTrial", "False", "is_trial", "false"},
		{"masked", "CustomerName", "************", "coalesce(customer_name, 'NULL') || ' ' || masked_fields", "NULL customer_name"},
		{"a few asterisks inside a name are data", "CustomerName", "Jo ***", "customer_name || ' ' || coalesce(masked_fields, '-')", "Jo *** -"},
		{"customer id with a date", "CustomerId", "8c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f_2022-09-12", "customer_id", "8c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f_2022-09-12"},
		{"Billed Revenue USD implies USD", "Billed Revenue USD", "12.50", "estimated_charges || ' ' || currency", "12.500000 USD"},
		{"no version is version 1", "Comment", "x", "order_version", "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testkit.Open(t)
			dir := t.TempDir()
			p := writeFile(t, dir, "orders.csv", `"Asset ID","Purchase Record Line Item ID","`+tc.header+`"`+"\n"+`"A-1","L-1","`+tc.value+`"`+"\n")
			if f := file(t, run(t, s, Options{}, p), "orders.csv"); f.Loaded != 1 {
				t.Fatalf("%+v", f)
			}
			equal(t, tc.name, column(t, s, `SELECT `+tc.expr+` FROM orders`), []string{tc.want})
		})
	}
}

// TestTwoSaaSOffersOfOneCustomerKeepBothRows: SaaS rows carry an all-zero
// subscription id; the key still tells a customer's two offers apart.
func TestTwoSaaSOffersOfOneCustomerKeepBothRows(t *testing.T) {
	const zero = "00000000-0000-0000-0000-000000000000"
	tests := []struct{ name, file, query string }{
		{"customers with offer name", "Customer ID,Marketplace Subscription ID,Offer Name,Customer City\n" +
			"c-1," + zero + ",Offer A,Berlin\nc-1," + zero + ",Offer B,Berlin\n",
			`SELECT count(*) FROM customers`},
		{"usage system query", "MarketplaceSubscriptionId,UsageDate,OfferName,CustomerId,MeteredUsage\n" +
			zero + ",2025-06-01,Offer A,c-1,1\n" + zero + ",2025-06-01,Offer B,c-1,2\n",
			`SELECT count(*) FROM usage`},
		{"orders system query", "OrderId,MarketplaceSubscriptionId,OfferName,CustomerId\n" +
			"o-1," + zero + ",Offer A,c-1\no-2," + zero + ",Offer B,c-1\n",
			`SELECT count(*) FROM orders`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testkit.Open(t)
			p := writeFile(t, t.TempDir(), "f.csv", tc.file)
			if f := file(t, run(t, s, Options{}, p), "f.csv"); f.Loaded != 2 || f.Rejected != 0 {
				t.Fatalf("%+v", f)
			}
			equal(t, "rows", column(t, s, tc.query), []string{"2"})
		})
	}
}

// TestPublisher: the publisher of a download that names none comes from the
// landing path, else --partner, else its offer; otherwise the file is
// refused with an error naming it.
func TestPublisher(t *testing.T) {
	const partners = "PartnerId,PgaId\nP1,G1\nP2,G2\n"
	const offers = "OfferId,PartnerId,OfferName,ListingType\nof-1,P2,Contoso Analytics,Transact\nof-2,P2,Fabrikam Cloud,Transact\n"
	orders, err := os.ReadFile(filepath.Join("testdata", "real", "orders_system_query.csv"))
	if err != nil {
		t.Fatal(err)
	}
	customers, err := os.ReadFile(filepath.Join("testdata", "real", "customers_system_query.csv"))
	if err != nil {
		t.Fatal(err)
	}
	type file struct{ path, text string }
	tests := []struct {
		name    string
		files   []file // under the landing folder
		partner string
		target  string // the file checked
		status  Status
		query   string
		want    []string
		err     string
	}{
		{name: "landing/<partner_id>/ names the publisher (partners load first)",
			files:  []file{{"P1/orders.csv", string(orders)}, {"zz_partners.csv", partners}},
			target: "orders.csv", status: StatusLoaded,
			query: `SELECT DISTINCT publisher_id FROM orders`, want: []string{"P1"}},
		{name: "the path wins over --partner",
			files:   []file{{"P1/customers.csv", string(customers)}, {"partners.csv", partners}},
			partner: "P2", target: "customers.csv", status: StatusLoaded,
			query: `SELECT DISTINCT publisher_id FROM customers`, want: []string{"P1"}},
		{name: "--partner",
			files:   []file{{"customers.csv", string(customers)}},
			partner: "P2", target: "customers.csv", status: StatusLoaded,
			query: `SELECT DISTINCT publisher_id FROM customers`, want: []string{"P2"}},
		{name: "a row's own PublisherId wins; a blank one takes the folder's",
			files:  []file{{"P1/customers.csv", "CustomerId,MarketplaceSubscriptionId,PublisherId\nc-1,s-1,P2\nc-2,s-2,\n"}, {"partners.csv", partners}},
			target: "customers.csv", status: StatusLoaded,
			query: `SELECT customer_id || ':' || publisher_id FROM customers ORDER BY 1`, want: []string{"c-1:P2", "c-2:P1"}},
		{name: "else the offer (offers load first)",
			files:  []file{{"orders.csv", string(orders)}, {"zz_offers.csv", offers}},
			target: "orders.csv", status: StatusLoaded,
			query: `SELECT count(*) || ' ' || count(publisher_id) FROM orders`, want: []string{"3 0"}},
		{name: "an unknown offer is an error naming the file",
			files:  []file{{"orders.csv", string(orders)}},
			target: "orders.csv", status: StatusQuarantined,
			err: `cannot tell whose data this is: 3 row(s) name no PublisherId and their offer (e.g. "Contoso Analytics") is not in the offers reference data; put the file under the landing folder as <landing>/<partner_id>/…, or pass ingest --partner ID`},
		{name: "customers name no offer",
			files:  []file{{"customers.csv", string(customers)}},
			target: "customers.csv", status: StatusQuarantined,
			err: "cannot tell whose data this is: its 3 row(s) name no PublisherId and the file has no OfferId or OfferName column to tell it"},
		{name: "a folder that is no partner is said so",
			files:  []file{{"2022-09/customers.csv", string(customers)}, {"partners.csv", partners}},
			target: "customers.csv", status: StatusQuarantined,
			err: `its folder "2022-09" is not a known partner id`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testkit.Open(t)
			dir := filepath.Join(t.TempDir(), "landing")
			for _, f := range tc.files {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f.path)), 0o755); err != nil {
					t.Fatal(err)
				}
				writeFile(t, dir, f.path, f.text)
			}
			partner := tc.partner
			if partner == "" {
				partner = noPartner
			}
			sum := run(t, s, Options{Partner: partner}, dir)
			var got FileResult
			for _, f := range sum.Files {
				if filepath.Base(f.Path) == tc.target {
					got = f
				}
			}
			if got.Status != tc.status || !strings.Contains(got.Err, tc.err) {
				t.Fatalf("%+v\nwant %s %q", got, tc.status, tc.err)
			}
			if tc.err != "" {
				var b strings.Builder
				if err := sum.Print(&b); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(b.String(), got.Path) || !strings.Contains(b.String(), tc.err) {
					t.Errorf("the summary does not name the file with its error:\n%s", b.String())
				}
				return
			}
			equal(t, tc.name, column(t, s, tc.query), tc.want)
		})
	}
}

// TestQuarantineNeverTakesAFileFromItsOwner: a file of the landing folder is
// moved to quarantine; a file named from elsewhere is copied and left.
func TestQuarantineNeverTakesAFileFromItsOwner(t *testing.T) {
	const bad = "foo,bar\n1,2\n"
	s := testkit.Open(t)
	landingDir := filepath.Join(t.TempDir(), "landing")
	if err := os.MkdirAll(landingDir, 0o755); err != nil {
		t.Fatal(err)
	}
	elsewhere := writeFile(t, t.TempDir(), "outside.csv", bad)
	inside := writeFile(t, landingDir, "inside.csv", bad)
	walked := filepath.Join(t.TempDir(), "walked")
	if err := os.MkdirAll(walked, 0o755); err != nil {
		t.Fatal(err)
	}
	walkedFile := writeFile(t, walked, "walked.csv", bad)
	q := filepath.Join(t.TempDir(), "quarantine")
	sum := run(t, s, Options{QuarantineDir: q, LandingDir: landingDir}, elsewhere, inside, walked)
	for _, tc := range []struct {
		path   string
		copied bool
	}{{elsewhere, true}, {inside, false}, {walkedFile, false}} {
		f := file(t, sum, filepath.Base(tc.path))
		if f.Status != StatusQuarantined || f.Copied != tc.copied || f.QuarantinedTo != filepath.Join(q, filepath.Base(tc.path)) {
			t.Errorf("%s: %+v", tc.path, f)
		}
		if _, err := os.Stat(f.QuarantinedTo); err != nil {
			t.Errorf("%s: not in quarantine: %v", tc.path, err)
		}
		if _, err := os.Stat(tc.path); (err == nil) != tc.copied {
			t.Errorf("%s: left in place = %v, want %v", tc.path, err == nil, tc.copied)
		}
	}
	var b strings.Builder
	if err := sum.Print(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "(copied to "+filepath.Join(q, "outside.csv")+"; the file stays where it is)") {
		t.Errorf("summary:\n%s", b.String())
	}
}

// TestOptOutShapes: opt-out lists load in their natural shapes and come out
// of the opt_out_ids view as one row per kind and id.
func TestOptOutShapes(t *testing.T) {
	tests := []struct {
		name, text string
		loaded     int64
		want       []string
		reject     string
	}{
		{"Kind,Id", "Kind,Id\nsubscription,S-1\ntenant,T-1\n", 2, []string{"subscription:S-1", "tenant:T-1"}, ""},
		{"subscription and tenant columns, either blank", "subscription_id,tenant_id\nS-1,T-1\nS-2,\n,T-3\n,\n", 3,
			[]string{"subscription:S-1", "subscription:S-2", "tenant:T-1", "tenant:T-3"}, "no value: a row needs one of SubscriptionId, TenantId"},
		{"one column of subscriptions", "Azure Subscription ID\nS-1\nS-2\n", 2, []string{"subscription:S-1", "subscription:S-2"}, ""},
		{"one column of tenants", "\"Tenant ID\"\n\"T-1\"\n", 1, []string{"tenant:T-1"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testkit.Open(t)
			p := writeFile(t, t.TempDir(), "optouts.csv", tc.text)
			f := file(t, run(t, s, Options{}, p), "optouts.csv")
			if f.Dataset != "opt_outs" || f.Loaded != tc.loaded {
				t.Fatalf("%+v", f)
			}
			equal(t, "ids", column(t, s, `SELECT kind || ':' || id FROM opt_out_ids ORDER BY 1`), tc.want)
			equal(t, "rejects", column(t, s, `SELECT reason FROM ingest_rejects`), nonEmpty(tc.reject))
			// The same list again with a change replaces, never doubles.
			again := writeFile(t, t.TempDir(), "optouts2.csv", tc.text+"\n")
			if g := file(t, run(t, s, Options{}, again), "optouts2.csv"); g.Replaced != tc.loaded {
				t.Fatalf("re-delivery: %+v", g)
			}
			equal(t, "ids after the re-delivery", column(t, s, `SELECT kind || ':' || id FROM opt_out_ids ORDER BY 1`), tc.want)
		})
	}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
