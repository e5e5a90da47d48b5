package analytics_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// TestStartTimeForms: every form the documented clients send is read as the
// same instant; anything else is a 400 naming the expected format.
func TestStartTimeForms(t *testing.T) {
	clk := &clock{t: t0}
	e := newEnv(t, clk.Now)
	c := pcClient{base: e.base, token: e.contoso}
	qid := createQuery(t, c, "SELECT OfferName FROM ISVOrder")
	tests := []struct {
		name, in, want string // want "" = refused
	}{
		{"documentation", "2025-07-08T19:00:00Z", "2025-07-08T19:00:00Z"},
		{"documentation with its trailing space", "2025-07-08T19:00:00Z ", "2025-07-08T19:00:00Z"},
		{"C# and Java samples' default", "2025-07-08 19:00:00Z", "2025-07-08T19:00:00Z"},
		{"toISOString", "2025-07-08T19:00:00.000Z", "2025-07-08T19:00:00Z"},
		{"offset", "2025-07-08T21:00:00+02:00", "2025-07-08T19:00:00Z"},
		{"space and offset", "2025-07-08 21:00:00+02:00", "2025-07-08T19:00:00Z"},
		{"no zone is UTC", "2025-07-08T19:00:00", "2025-07-08T19:00:00Z"},
		{"no zone, space", "2025-07-08 19:00:00", "2025-07-08T19:00:00Z"},
		{"date", "2025-07-08", "2025-07-08T00:00:00Z"},
		{"US date", "07/08/2025 19:00", ""},
		{"words", "tomorrow", ""},
		{"minutes only", "2025-07-08T19:00Z", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rep pcEnvelope[pcReport]
			code := c.call(t, "POST", "ScheduledReport", map[string]any{"ReportName": "r", "QueryId": qid, "StartTime": tc.in,
				"RecurrenceInterval": 24}, &rep)
			if tc.want == "" {
				if code != 400 || rep.Message == nil || !strings.Contains(*rep.Message, "want yyyy-MM-ddTHH:mm:ssZ") {
					t.Fatalf("%d %+v", code, rep)
				}
				return
			}
			if code != 200 || rep.Value[0].StartTime != tc.want {
				t.Fatalf("%d %+v", code, rep)
			}
		})
	}
}

// TestAadUserTicket: the token in X-AadUserTicket (as pcapi.py sends it,
// without "Bearer") admits the partner through the analytics API; a wrong
// one is 401 and a rewards one 403, as with Authorization.
func TestAadUserTicket(t *testing.T) {
	e := newEnv(t, nil)
	api := realServe(t, e) + "/insights/v1.1/cmp/ScheduledQueries"
	for _, tc := range []struct {
		name, ticket string
		code         int
	}{
		{"partner", e.contoso, 200},
		{"partner with spaces", "  " + e.contoso + " ", 200},
		{"wrong", e.contoso[:len(e.contoso)-2] + "xx", 401},
		{"rewards", e.rewards, 403},
		{"empty", "", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, b := rawCall(t, decompressing, "GET", api, http.Header{"X-AadUserTicket": {tc.ticket}}, nil)
			if code != tc.code {
				t.Fatalf("%d %s", code, b)
			}
			if tc.code == 200 && !strings.Contains(string(b), `"fd0f299c-5a1c-4929-9f48-bfc6cc44355d"`) {
				t.Fatalf("no system queries: %s", b)
			}
		})
	}
}

// TestDownloadEncoding: CSV and TSV go out gzip-encoded unless the client
// refuses gzip; the plain and the decoded bodies are the same file.
func TestDownloadEncoding(t *testing.T) {
	clk := &clock{t: t0}
	e := newEnv(t, clk.Now)
	c := pcClient{base: e.base, token: e.contoso}
	qid := createQuery(t, c, "SELECT OfferName, MonthStartDate FROM ISVOrder TIMESPAN LIFETIME")
	var rep pcEnvelope[pcReport]
	if code := c.call(t, "POST", "ScheduledReport", map[string]any{"ReportName": "enc", "QueryId": qid, "ExecuteNow": true}, &rep); code != 200 {
		t.Fatal(code)
	}
	e.runDue(t)
	var ex pcEnvelope[map[string]any]
	if code := c.call(t, "GET", "ScheduledReport/execution/"+rep.Value[0].ReportID, nil, &ex); code != 200 {
		t.Fatal(code)
	}
	link := ex.Value[0]["reportAccessSecureLink"].(string)
	if loc, _ := ex.Value[0]["reportLocation"].(string); loc == "" || !strings.HasPrefix(link, loc+"?") {
		t.Fatalf("reportLocation %q, link %q", loc, link)
	}
	_, _, plain := rawCall(t, noRedirect, "GET", link, http.Header{"Accept-Encoding": {"identity"}}, nil)
	if !strings.HasPrefix(string(plain), "OfferName,MonthStartDate") {
		t.Fatalf("plain: %.100s", plain)
	}
	for _, tc := range []struct {
		name, accept string
		gzip         bool
	}{
		{"no Accept-Encoding (HttpURLConnection)", "", true},
		{"gzip, deflate (requests, .NET)", "gzip, deflate", true},
		{"br first (fetch)", "br, gzip;q=0.8", true},
		{"any", "*", true},
		{"identity", "identity", false},
		{"gzip refused", "gzip;q=0, deflate", false},
		{"any but gzip", "*, gzip;q=0", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.accept != "" {
				h.Set("Accept-Encoding", tc.accept)
			}
			code, hdr, b := rawCall(t, noRedirect, "GET", link, h, nil)
			if code != 200 || (hdr.Get("Content-Encoding") == "gzip") != tc.gzip || !strings.Contains(hdr.Get("Vary"), "Accept-Encoding") {
				t.Fatalf("%d %v", code, hdr)
			}
			if tc.gzip {
				zr, err := gzip.NewReader(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				if b, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(b, plain) {
				t.Fatalf("body differs: %.100s", b)
			}
		})
	}
}

// TestReportNameLookup: reportName finds the reports whose name starts with
// it, in any case (a client that names its reports "<prefix> <date>"
// finds them by the prefix); nothing matching is 404.
func TestReportNameLookup(t *testing.T) {
	e := newEnv(t, func() time.Time { return t0 })
	c := pcClient{base: e.base, token: e.contoso}
	qid := createQuery(t, c, "SELECT OfferName FROM ISVOrder")
	for _, n := range []string{"Usage 20250706", "Usage 20250801", "Orders_1", "50%_off"} {
		if code := c.call(t, "POST", "ScheduledReport", map[string]any{"ReportName": n, "QueryId": qid,
			"StartTime": "2025-08-01T00:00:00Z", "RecurrenceInterval": 24}, nil); code != 200 {
			t.Fatal(code)
		}
	}
	f := pcClient{base: e.base, token: e.fabrikam}
	if code := f.call(t, "POST", "ScheduledReport", map[string]any{"ReportName": "Usage of fabrikam",
		"QueryId": createQuery(t, f, "SELECT OfferName FROM ISVOrder"), "StartTime": "2025-08-01T00:00:00Z", "RecurrenceInterval": 24}, nil); code != 200 {
		t.Fatal(code)
	}
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"exact", "reportName=Orders_1", []string{"Orders_1"}},
		{"prefix, + for space", "reportName=usage+2025", []string{"Usage 20250706", "Usage 20250801"}},
		{"%20 for space", "reportName=Usage%2020250801", []string{"Usage 20250801"}},
		{"wildcards are literal", "reportName=Orders%25", nil},
		{"underscore is literal", "reportName=Orders_", []string{"Orders_1"}},
		{"percent sign in a name", "reportName=50%25", []string{"50%_off"}},
		{"no match", "reportName=Revenue", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r pcEnvelope[pcReport]
			code := c.call(t, "GET", "ScheduledReport?"+tc.query, nil, &r)
			if tc.want == nil {
				if code != 404 {
					t.Fatalf("%d %+v", code, r)
				}
				return
			}
			var got []string
			for _, v := range r.Value {
				got = append(got, v.ReportName)
			}
			slices.Sort(got) // created in the same second: the order is by id
			if code != 200 || strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("%d %v", code, got)
			}
		})
	}
}

// TestCallbackTarget: the callback goes to CallbackUrl with the report id
// appended to its path (what Microsoft's samples receive on
// "reportready/{reportId}"), its query kept.
func TestCallbackTarget(t *testing.T) {
	clk := &clock{t: t0}
	e := newEnv(t, clk.Now)
	c := pcClient{base: e.base, token: e.contoso}
	qid := createQuery(t, c, "SELECT OfferName FROM ISVOrder")
	paths := make(chan string, 8)
	receiver := newReceiver(t, paths)
	for _, tc := range []struct{ name, suffix, want string }{
		{"trailing slash", "/reportready/", "/reportready/{id}"},
		{"no trailing slash", "/hook", "/hook/{id}"},
		{"query kept", "/hook/?k=v", "/hook/{id}?k=v"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rep pcEnvelope[pcReport]
			if code := c.call(t, "POST", "ScheduledReport", map[string]any{"ReportName": "cb", "QueryId": qid, "ExecuteNow": true,
				"CallbackUrl": receiver + tc.suffix}, &rep); code != 200 {
				t.Fatal(code)
			}
			e.runDue(t)
			select {
			case got := <-paths:
				if want := strings.ReplaceAll(tc.want, "{id}", rep.Value[0].ReportID); got != want {
					t.Fatalf("callback on %q, want %q", got, want)
				}
			default:
				t.Fatal("no callback")
			}
		})
	}
}

// newReceiver is a loopback callback receiver that reports each request's
// path and query.
func newReceiver(t *testing.T, paths chan<- string) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		paths <- r.URL.RequestURI()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// TestQualityOfServiceCustomerName: the QoS CustomerName is shown only when
// the tenant is a customer in report_consent for the partner; else "***".
// The per-resource columns join the deployment's distinct values.
func TestQualityOfServiceCustomerName(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	// Q-1 by a consenting customer (cust-acme bought through Azure), Q-2 by a tenant that did not.
	for _, q := range []string{
		`UPDATE qos SET customer_name = 'Ava Anderson', customer_tenant_id = 'cust-acme' WHERE deployment_correlation_id = 'Q-1'`,
		`UPDATE qos SET customer_name = 'Someone Else' WHERE deployment_correlation_id = 'Q-2'`,
	} {
		if _, err := e.store.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var consent int
	if err := e.store.QueryRow(ctx, `SELECT count(*) FROM report_consent WHERE partner_id = 'p-contoso' AND customer_id = 'cust-acme'`).Scan(&consent); err != nil || consent != 1 {
		t.Fatalf("fixture: cust-acme consents to p-contoso: %d %v", consent, err)
	}
	c := pcClient{base: e.base, token: e.contoso}
	var rows pcEnvelope[map[string]any]
	q := "SELECT DeploymentCorrelationId, CustomerTenantId, CustomerName, ResourceProvider, ResourceGroup FROM ISVQualityOfService WHERE DeploymentCorrelationId IN ('Q-1', 'Q-2') TIMESPAN LIFETIME"
	if code := c.call(t, "GET", "ScheduledQueries/testQueryResult?exportQuery="+url.QueryEscape(q), nil, &rows); code != 200 || len(rows.Value) != 2 {
		t.Fatalf("%d %+v", code, rows)
	}
	got := map[string]string{}
	for _, r := range rows.Value {
		got[r["DeploymentCorrelationId"].(string)] = r["CustomerTenantId"].(string) + "|" + r["CustomerName"].(string) + "|" +
			fmt.Sprint(r["ResourceProvider"]) + "|" + fmt.Sprint(r["ResourceGroup"])
	}
	if got["Q-1"] != "cust-acme|Ava Anderson|Microsoft.Storage,Microsoft.Web|rg-q1" || !strings.HasPrefix(got["Q-2"], "tenant-acme|***|") {
		t.Fatalf("%v", got)
	}
}

// TestOfferRetention: cohorts from usage days and active order months; each
// customer once per cohort and offset; Customers sums to the customers still
// active that many months on.
func TestOfferRetention(t *testing.T) {
	e := newEnv(t, nil)
	c := pcClient{base: e.base, token: e.contoso}
	// The expected figures, straight from the visible rows: a customer's first active month per
	// offer and plan, and the months it was active.
	want := map[string]int64{}
	rs, err := e.store.Query(context.Background(), `
		WITH a AS (
		    SELECT customer_id, coalesce(offer_id, offer_name) o, coalesce(plan_id, sku) p, month FROM partner_visible_usage
		    WHERE partner_id = 'p-contoso' AND customer_id IS NOT NULL
		    UNION
		    SELECT customer_id, coalesce(offer_id, offer_name), coalesce(plan_id, sku), month FROM partner_visible_orders
		    WHERE partner_id = 'p-contoso' AND customer_id IS NOT NULL AND is_active)
		SELECT strftime(f, '%Y-%m') || '+' || date_diff('month', f, month), count(*)
		FROM (SELECT *, min(month) OVER (PARTITION BY customer_id, o, p) f FROM a)
		GROUP BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var k string
		var n int64
		if err := rs.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		want[k] = n
	}
	if err := rs.Close(); err != nil {
		t.Fatal(err)
	}
	var rows pcEnvelope[map[string]any]
	q := "SELECT FirstUsageMonth, Offset, Customers FROM ISVOfferRetention TIMESPAN LIFETIME"
	if code := c.call(t, "GET", "ScheduledQueries/testQueryResult?exportQuery="+url.QueryEscape(q), nil, &rows); code != 200 {
		t.Fatalf("%d %v", code, deref(rows.Message))
	}
	got := map[string]int64{}
	for _, r := range rows.Value {
		got[r["FirstUsageMonth"].(string)[:7]+"+"+fmt.Sprint(r["Offset"])] = int64(r["Customers"].(float64))
	}
	if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	if got[firstKey(got)] == 0 {
		t.Fatal("empty cohort")
	}
	// Offset 0 holds every customer of the cohort: retention never exceeds it.
	for k, n := range got {
		cohort, _, _ := strings.Cut(k, "+")
		if n > got[cohort+"+0"] {
			t.Fatalf("%s: %d customers, more than the cohort's %d", k, n, got[cohort+"+0"])
		}
	}
}

func firstKey(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys[0]
}

// TestNoCampaign: Marketplace Insights' Campaign "_NoCampaign" is no
// campaign (status none), like an empty one, not a campaign of that name.
func TestNoCampaign(t *testing.T) {
	e := newEnv(t, nil)
	rs, err := e.store.Query(context.Background(), `SELECT strftime("date", '%Y-%m-%d'), mktcmpid, campaign_status
		FROM marketplace_insights_counts WHERE offer_name = 'CRM Connector' ORDER BY "date"`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rs.Next() {
		var d, c, st string
		if err := rs.Scan(&d, &c, &st); err != nil {
			t.Fatal(err)
		}
		got = append(got, d+"|"+c+"|"+st)
	}
	if err := rs.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "2025-06-15|_NoCampaign|none,2025-06-16|_NoCampaign|none" {
		t.Fatalf("%v", got)
	}
}

// TestRevenueDataset: ISVRevenue shows the partner's transactions, the
// customer's name and email only with consent ('***' otherwise), never an
// opted-out customer; and revenue rows for months that orders and usage
// already cover change no billed sales (nothing is counted twice).
func TestRevenueDataset(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	billed := func() string {
		return strings.Join(testkit.Rows(t, e.store, `SELECT pga_id || '|' || CAST(month AS VARCHAR) || '|' || CAST(billed_sales_usd AS VARCHAR) || '|' || CAST(order_lines AS VARCHAR)
			FROM billed_sales_monthly ORDER BY ALL`), ";")
	}
	before := billed()
	if before == "" {
		t.Fatal("the fixtures have no billed sales")
	}
	var hidden string
	if err := e.store.QueryRow(ctx, `SELECT min(customer_id) FROM hidden_customers`).Scan(&hidden); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Exec(ctx, `INSERT INTO ingest_files VALUES (200, 'rev', 'revenue.csv', 'revenue', 'csv', 0, 0, 0, 0, TIMESTAMP '2025-07-05 00:00:00')`); err != nil {
		t.Fatal(err)
	}
	// The same sales the orders fixtures bill in June 2025, delivered again as revenue.
	if _, err := e.store.Exec(ctx, `INSERT INTO revenue (purchase_record_id, line_item_id, customer_id, customer_name, customer_email,
			month_start_date, offer_name, transaction_amount_usd, earning_amount_usd, payout_status, publisher_id, _file_id) VALUES
		('PR-T-ACME', 'T-ACME-202506', 'cust-acme', 'Ava Anderson', 'ava@acme.example', DATE '2025-06-01', 'Backup Vault', 500, 485, 'Upcoming', 'p-contoso', 200),
		('PR-T-X', 'T-X-1', 'cust-nobody', 'Nora Nobody', 'nora@example.com', DATE '2025-06-01', 'Backup Vault', 100, 97, 'Sent', 'p-contoso', 200),
		('PR-T-H', 'T-H-1', ?, 'Hidden Person', 'h@example.com', DATE '2025-06-01', 'Backup Vault', 50, 48.5, 'Sent', 'p-contoso', 200),
		('PR-T-F', 'T-F-1', 'cust-acme', 'Ava Anderson', 'ava@acme.example', DATE '2025-06-01', 'CRM Connector', 70, 68, 'Sent', 'p-fabrikam', 200)`, hidden); err != nil {
		t.Fatal(err)
	}
	p, err := transform.Default(tiers.Default())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := transform.NewRunner(e.store, nil, p).Run(ctx, fixtureAsOf); err != nil {
		t.Fatal(err)
	}
	if after := billed(); after != before {
		t.Fatalf("revenue rows changed billed sales:\nbefore %s\nafter  %s", before, after)
	}

	c := pcClient{base: e.base, token: e.contoso}
	var rows pcEnvelope[map[string]any]
	q := "SELECT PurchaseRecordId, CustomerName, CustomerEmail, PayoutStatus, TransactionAmountUSD FROM ISVRevenue TIMESPAN LIFETIME"
	if code := c.call(t, "GET", "ScheduledQueries/testQueryResult?exportQuery="+url.QueryEscape(q), nil, &rows); code != 200 {
		t.Fatalf("%d %v", code, deref(rows.Message))
	}
	var got []string
	for _, r := range rows.Value {
		// The shared fixtures deliver revenue of their own; this test's rows are PR-T-*.
		if id, _ := r["PurchaseRecordId"].(string); !strings.HasPrefix(id, "PR-T-") {
			continue
		}
		got = append(got, fmt.Sprint(r["PurchaseRecordId"], "|", r["CustomerName"], "|", r["CustomerEmail"], "|", r["PayoutStatus"], "|", r["TransactionAmountUSD"]))
	}
	slices.Sort(got)
	want := []string{"PR-T-ACME|Ava Anderson|ava@acme.example|Upcoming|500", "PR-T-X|***|***|Sent|100"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("got %v\nwant %v", got, want)
	}
}
