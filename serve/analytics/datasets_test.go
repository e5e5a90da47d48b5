package analytics_test

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/serve/analytics"
	"github.com/marketplace-insights/insights/serve/analytics/pcql"
)

// TestDatasetsMatchTheirSQL: each dataset's declared columns are exactly its
// SQL's columns (plus _date), in order, with the declared types; and its SQL
// reads one partner's rows through $1.
func TestDatasetsMatchTheirSQL(t *testing.T) {
	s := fixtureStore(t)
	cat, err := analytics.Datasets()
	if err != nil {
		t.Fatal(err)
	}
	duck := map[pcql.Type][]string{pcql.Text: {"VARCHAR"}, pcql.Integer: {"BIGINT"}, pcql.Decimal: {"DECIMAL"},
		pcql.Date: {"DATE"}, pcql.Timestamp: {"TIMESTAMP"}, pcql.Bool: {"BOOLEAN"}}
	for _, name := range cat.Names() {
		ds, _ := cat.Lookup(name)
		t.Run(name, func(t *testing.T) {
			var code []string
			for _, line := range strings.Split(ds.SQL, "\n") {
				if !strings.HasPrefix(strings.TrimSpace(line), "--") {
					code = append(code, line)
				}
			}
			body := strings.Join(code, "\n")
			if params := regexp.MustCompile(`\$[0-9]*`).FindAllString(body, -1); len(params) == 0 || strings.Count(body, "$") != strings.Count(body, "$1") {
				t.Fatalf("the SQL must take the partner as its only parameter $1")
			}
			rows, err := s.Query(context.Background(), "DESCRIBE "+ds.SQL, "p-contoso")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var col, typ string
				var a, b, c, d any
				if err := rows.Scan(&col, &typ, &a, &b, &c, &d); err != nil {
					t.Fatal(err)
				}
				got = append(got, col+" "+typ)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, c := range ds.Columns {
				want = append(want, c.Name)
			}
			want = append(want, "_date")
			if len(got) != len(want) {
				t.Fatalf("SQL columns %v, declared %v", got, want)
			}
			for i, g := range got {
				col, typ, _ := strings.Cut(g, " ")
				if col != want[i] {
					t.Fatalf("column %d is %s in the SQL, %s declared", i, col, want[i])
				}
				if i == len(ds.Columns) {
					if typ != "DATE" {
						t.Fatalf("_date is %s", typ)
					}
					continue
				}
				ok := false
				for _, prefix := range duck[ds.Columns[i].Type] {
					ok = ok || strings.HasPrefix(typ, prefix)
				}
				if !ok {
					t.Errorf("%s is %s in the SQL, declared %s", col, typ, ds.Columns[i].Type)
				}
			}
		})
	}
}

// TestSystemQueriesRun: every system query compiles and runs for a partner
// through testQueryResult.
func TestSystemQueriesRun(t *testing.T) {
	e := newEnv(t, nil)
	c := pcClient{base: e.base, token: e.contoso}
	var qs pcEnvelope[pcQuery]
	if code := c.call(t, "GET", "ScheduledQueries?includeOnlySystemQueries=true", nil, &qs); code != 200 || len(qs.Value) < 9 {
		t.Fatalf("system queries: %d %+v", code, qs)
	}
	rowsOf := map[string]int{}
	for _, q := range qs.Value {
		if q.Type != "system" {
			t.Fatalf("%s has type %s", q.QueryID, q.Type)
		}
		var res pcEnvelope[map[string]any]
		if code := c.call(t, "GET", "ScheduledQueries/testQueryResult?queryId="+url.QueryEscape(q.QueryID)+
			"&startTime=2024-01-01T00:00:00Z&endTime=2025-07-05T00:00:00Z", nil, &res); code != 200 {
			t.Fatalf("%s (%s): %d %v", q.Name, q.QueryID, code, res.Message)
		}
		rowsOf[q.Description] += len(res.Value)
	}
	for _, d := range []string{"Orders report for the last 6M", "Customers report for the last 6M",
		"Marketplace Insights report for the last 6M", "Quality of service report for the last 3M",
		"Usage attributed to your tracking IDs, per month, for the last year", "Your company's billed-sales tier, gap and projection",
		"Deployments attributed to your tracking IDs for the last 3M"} {
		if rowsOf[d] == 0 {
			t.Errorf("%q returned no rows for p-contoso (%v)", d, rowsOf)
		}
	}
}

// TestIsolationOverTheAPI: a partner asking for another partner's values gets
// nothing of theirs, and injection attempts in values and names are values
// or errors, never SQL.
func TestIsolationOverTheAPI(t *testing.T) {
	e := newEnv(t, nil)
	c := pcClient{base: e.base, token: e.contoso}
	fabrikamOnly := []string{"CRM Connector", "fabrikam-crm", "MS-WAYNE-1", "D-6", "pid-33333333", "pga-fabrikam",
		"Q-FABRIKAM", "fabrikam-referrer"}
	queries := []string{
		"SELECT OfferName, CustomerId, MarketplaceSubscriptionId FROM ISVOrder WHERE OfferName = 'CRM Connector' TIMESPAN LIFETIME",
		"SELECT OfferName, MarketplaceSubscriptionId FROM ISVUsage WHERE MarketplaceSubscriptionId = 'MS-WAYNE-1' TIMESPAN LIFETIME",
		"SELECT MarketplaceSubscriptionId, CustomerId FROM ISVCustomer WHERE CustomerId = 'cust-wayne' TIMESPAN LIFETIME",
		"SELECT DeploymentCorrelationId, TrackingId FROM ISVAttributedDeployments WHERE DeploymentCorrelationId IN ('D-6') TIMESPAN LIFETIME",
		"SELECT DeploymentCorrelationId, OfferId FROM ISVQualityOfService WHERE DeploymentCorrelationId = 'Q-FABRIKAM' TIMESPAN LIFETIME",
		"SELECT ReferralDomain, OfferName, PageVisits FROM ISVMarketplaceInsights WHERE CountryName = 'germany' TIMESPAN LIFETIME",
		"SELECT TrackingId, OfferId FROM ISVAttributedUsage WHERE OfferId = 'fabrikam-crm' TIMESPAN LIFETIME",
		"SELECT PGAId, Tier FROM ISVTierStatus WHERE PGAId = 'pga-fabrikam' TIMESPAN LIFETIME",
		"SELECT OfferId, PageVisits FROM ISVMarketplaceInsights WHERE OfferId LIKE 'fabrikam%' TIMESPAN LIFETIME",
		"SELECT OfferName, MarketplaceSubscriptionId FROM ISVOrder WHERE OfferName = 'x'' OR ''1''=''1' TIMESPAN LIFETIME",
		"SELECT OfferName, MarketplaceSubscriptionId FROM ISVOrder WHERE OfferName NOT IN ('x'') OR partner_id = ''p-fabrikam'' --') TIMESPAN LIFETIME",
		"SELECT OfferName, MarketplaceSubscriptionId FROM ISVOrder WHERE OfferName LIKE '%' TIMESPAN LIFETIME",
	}
	for _, q := range queries {
		var res pcEnvelope[map[string]any]
		code := c.call(t, "GET", "ScheduledQueries/testQueryResult?exportQuery="+url.QueryEscape(q), nil, &res)
		if code != 200 {
			t.Fatalf("%s: %d %v", q, code, res.Message)
		}
		b, _ := json.Marshal(res.Value)
		for _, secret := range fabrikamOnly {
			if strings.Contains(string(b), secret) {
				t.Fatalf("%s returned %s of p-fabrikam: %s", q, secret, b)
			}
		}
	}
	for _, q := range []string{
		`SELECT partner_id FROM ISVOrder`,
		`SELECT OfferName FROM partner_visible_orders`,
		`SELECT OfferName FROM ISVOrder; DELETE FROM api_tokens`,
		`SELECT OfferName FROM ISVOrder WHERE publisher_id = 'p-fabrikam'`,
		`SELECT "OfferName" FROM ISVOrder`,
		`SELECT OfferName FROM ISVOrder WHERE OfferName = 'a' OR 1=1`,
	} {
		var res pcEnvelope[map[string]any]
		if code := c.call(t, "GET", "ScheduledQueries/testQueryResult?exportQuery="+url.QueryEscape(q), nil, &res); code != 400 ||
			res.Message == nil || !strings.HasPrefix(*res.Message, "invalid query: ") {
			t.Errorf("%s: %d %v", q, code, res.Message)
		}
	}
	var n int
	if err := e.store.QueryRow(context.Background(), `SELECT count(*) FROM api_tokens`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("tokens after the attempts: %d %v", n, err)
	}
}

// TestQualityOfServiceAndInsights: the two datasets read the Quality of
// service report's deployments and the Marketplace Insights counts, and the
// counts of an offer-day that click rows cover are not counted twice.
func TestQualityOfServiceAndInsights(t *testing.T) {
	e := newEnv(t, nil)
	c := pcClient{base: e.base, token: e.contoso}
	rows := func(q string) string {
		t.Helper()
		var res pcEnvelope[map[string]any]
		if code := c.call(t, "GET", "ScheduledQueries/testQueryResult?exportQuery="+url.QueryEscape(q), nil, &res); code != 200 {
			t.Fatalf("%s: %d %v", q, code, *res.Message)
		}
		b, _ := json.Marshal(res.Value)
		return string(b)
	}
	got := rows("SELECT DeploymentCorrelationId, DeploymentStatus, ErrorCodes, Resources, SucceededDeployments FROM ISVQualityOfService ORDER BY DeploymentCorrelationId ASC TIMESPAN LIFETIME")
	want := `[{"DeploymentCorrelationId":"Q-1","DeploymentStatus":"Succeeded","ErrorCodes":null,"Resources":2,"SucceededDeployments":1},` +
		`{"DeploymentCorrelationId":"Q-2","DeploymentStatus":"Failed","ErrorCodes":"DeploymentFailed: Conflict","Resources":1,"SucceededDeployments":0}]`
	if got != want {
		t.Fatalf("quality of service\n got %s\nwant %s", got, want)
	}
	got = rows("SELECT Date, OfferName, PageVisits, ContactMe, ConsentGiven FROM ISVMarketplaceInsights WHERE OfferId = 'contoso-backup' ORDER BY Date ASC TIMESPAN LIFETIME")
	// 2025-06-04 has click rows: its Insights counts (99 visits) are not added.
	if !strings.Contains(got, `{"ConsentGiven":1,"ContactMe":2,"Date":"2025-06-15","OfferName":"Backup Vault","PageVisits":7}`) ||
		strings.Contains(got, "99") || !strings.Contains(got, `"Date":"2025-06-04"`) {
		t.Fatalf("marketplace insights: %s", got)
	}
}
