package analytics_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestStatusCodesAndShapes: the documented codes with a message, for every
// kind of bad request; keys in any case; pages of testQueryResult.
func TestStatusCodesAndShapes(t *testing.T) {
	e := newEnv(t, nil)
	c := pcClient{base: e.base, token: e.contoso}
	qid := createQuery(t, c, "SELECT OfferName FROM ISVOrder")
	tests := []struct {
		name, method, path string
		token              string
		body               any
		code               int
		message            string
	}{
		{"no token", "GET", "ScheduledDataset", "-", nil, 401, "invalid or missing bearer token"},
		{"bad token", "GET", "ScheduledDataset", "mi_0000000000000000_" + strings.Repeat("a", 43), nil, 401, "invalid or missing"},
		{"rewards token", "GET", "ScheduledQueries", e.rewards, nil, 403, "partner tokens only"},
		{"unknown dataset", "GET", "ScheduledDataset?datasetName=ISVPayouts", "", nil, 404, `no dataset "ISVPayouts"`},
		{"unknown path", "GET", "ScheduledSomething", "", nil, 404, "no such API"},
		{"bad query", "POST", "ScheduledQueries", "", map[string]any{"Name": "x", "Query": "SELECT Foo FROM ISVOrder"}, 400,
			"invalid query: position 8: unknown column 'Foo' in ISVOrder"},
		{"query without name", "POST", "ScheduledQueries", "", map[string]any{"Query": "SELECT OfferName FROM ISVOrder"}, 400, "Name and Query are required"},
		{"not JSON", "POST", "ScheduledQueries", "", "just text", 400, "not the expected JSON object"},
		{"delete a system query", "DELETE", "ScheduledQueries/fd0f299c-5a1c-4929-9f48-bfc6cc44355d", "", nil, 400, "system queries cannot be deleted"},
		{"delete an unknown query", "DELETE", "ScheduledQueries/nope", "", nil, 404, "no such query"},
		{"interval too short", "POST", "ScheduledReport", "", map[string]any{"ReportName": "r", "QueryId": qid, "StartTime": "2030-01-01T00:00:00Z", "RecurrenceInterval": 1}, 400,
			"RecurrenceInterval must be 4 to 8784 hours, not 1"},
		{"no start time", "POST", "ScheduledReport", "", map[string]any{"ReportName": "r", "QueryId": qid, "RecurrenceInterval": 24}, 400, "StartTime is required"},
		{"bad start time", "POST", "ScheduledReport", "", map[string]any{"ReportName": "r", "QueryId": qid, "StartTime": "tomorrow", "RecurrenceInterval": 24}, 400, `StartTime "tomorrow"`},
		{"bad format", "POST", "ScheduledReport", "", map[string]any{"ReportName": "r", "QueryId": qid, "ExecuteNow": true, "Format": "pdf"}, 400, `the Format "pdf" is not CSV, TSV, Parquet or xlsx`},
		{"unknown query id", "POST", "ScheduledReport", "", map[string]any{"ReportName": "r", "QueryId": "nope", "ExecuteNow": true}, 400, `QueryId "nope": no such query`},
		{"plain http callback", "POST", "ScheduledReport", "", map[string]any{"ReportName": "r", "QueryId": qid, "ExecuteNow": true, "CallbackUrl": "http://example.com/x"}, 400, "must be https"},
		{"private callback", "POST", "ScheduledReport", "", map[string]any{"ReportName": "r", "QueryId": qid, "ExecuteNow": true, "CallbackUrl": "https://10.1.2.3/x"}, 400, "not a public address"},
		{"metadata callback", "POST", "ScheduledReport", "", map[string]any{"ReportName": "r", "QueryId": qid, "ExecuteNow": true, "CallbackUrl": "https://169.254.169.254/latest"}, 400, "not a public address"},
		{"callback with credentials", "POST", "ScheduledReport", "", map[string]any{"ReportName": "r", "QueryId": qid, "ExecuteNow": true, "CallbackUrl": "https://u:p@example.com/"}, 400, "credentials"},
		{"unknown report", "GET", "ScheduledReport/execution/00000000-0000-4000-8000-000000000000", "", nil, 404, "no such report"},
		{"pause unknown report", "PUT", "ScheduledReport/pause/nope", "", nil, 404, "no such report"},
		{"bad execution status", "GET", "ScheduledReport?reportId=x", "", nil, 404, "no such report"},
		{"both query and id", "GET", "ScheduledQueries/testQueryResult?exportQuery=x&queryId=y", "", nil, 400, "not both"},
		{"bad page size", "GET", "ScheduledQueries/testQueryResult?queryId=" + qid + "&pageSize=0", "", nil, 400, "pageSize must be"},
		{"bad window", "GET", "ScheduledQueries/testQueryResult?queryId=" + qid + "&startTime=2025-02-01&endTime=2025-01-01", "", nil, 400, "endTime is before startTime"},
		{"bad timespan", "GET", "ScheduledQueries/testQueryResult?exportQuery=" + url.QueryEscape("SELECT OfferName FROM ISVOrder TIMESPAN LAST_7_DAYS"), "", nil, 400,
			"TIMESPAN LAST_7_DAYS is not available for ISVOrder"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cl := c
			switch tc.token {
			case "-":
				cl.token = ""
			case "":
			default:
				cl.token = tc.token
			}
			var env pcEnvelope[map[string]any]
			code := cl.call(t, tc.method, tc.path, tc.body, &env)
			if code != tc.code || env.StatusCode != tc.code || env.Message == nil || !strings.Contains(*env.Message, tc.message) {
				msg := "<nil>"
				if env.Message != nil {
					msg = *env.Message
				}
				t.Fatalf("%d (statusCode %d) %q; want %d with %q", code, env.StatusCode, msg, tc.code, tc.message)
			}
			if env.Value == nil || env.TotalCount != 0 {
				t.Fatalf("error envelope value %v totalCount %d", env.Value, env.TotalCount)
			}
		})
	}

	t.Run("request keys and parameters in any case", func(t *testing.T) {
		var r pcEnvelope[pcReport]
		if code := c.call(t, "POST", "ScheduledReport", map[string]any{"REPORTNAME": "Upper", "queryid": qid, "StartTime": "2030-01-01T00:00:00Z ",
			"recurrenceINTERVAL": 48, "Format": "Parquet"}, &r); code != 200 || r.Value[0].ReportName != "Upper" || r.Value[0].RecurrenceInterval != 48 ||
			r.Value[0].Format != "parquet" {
			t.Fatalf("%d %+v", code, r)
		}
		var got pcEnvelope[pcReport]
		if code := c.call(t, "GET", "ScheduledReport?REPORTNAME=upper", nil, &got); code != 200 || len(got.Value) != 1 {
			t.Fatalf("%d %+v", code, got)
		}
		var upd pcEnvelope[pcReport]
		if code := c.call(t, "PUT", "ScheduledReport/"+r.Value[0].ReportID, map[string]any{"recurrenceInterval": 24, "description": "daily"}, &upd); code != 200 ||
			upd.Value[0].RecurrenceInterval != 24 || upd.Value[0].ReportName != "Upper" {
			t.Fatalf("update %d %+v", code, upd)
		}
		var del pcEnvelope[pcReport]
		if code := c.call(t, "DELETE", "ScheduledReport/"+r.Value[0].ReportID, nil, &del); code != 200 {
			t.Fatalf("delete %d", code)
		}
		if code := c.call(t, "GET", "ScheduledReport?reportId="+r.Value[0].ReportID, nil, nil); code != 404 {
			t.Fatalf("deleted report: %d", code)
		}
	})

	t.Run("pages with nextLink", func(t *testing.T) {
		q := url.QueryEscape("SELECT MarketplaceSubscriptionId, MonthStartDate FROM ISVOrder TIMESPAN LIFETIME")
		var all pcEnvelope[map[string]any]
		if code := c.call(t, "GET", "ScheduledQueries/testQueryResult?exportQuery="+q, nil, &all); code != 200 || all.NextLink != "" || len(all.Value) < 5 {
			t.Fatalf("%d %d rows next %q", code, len(all.Value), all.NextLink)
		}
		var rows []map[string]any
		path := "ScheduledQueries/testQueryResult?exportQuery=" + q + "&PageSize=2"
		for i := 0; path != "" && i < 100; i++ {
			var page pcEnvelope[map[string]any]
			if code := c.call(t, "GET", path, nil, &page); code != 200 || len(page.Value) > 2 || page.TotalCount != len(page.Value) {
				t.Fatalf("page %d: %d %+v", i, code, page)
			}
			rows = append(rows, page.Value...)
			path = strings.TrimPrefix(page.NextLink, e.base+"/insights/v1.1/cmp/")
		}
		if len(rows) != len(all.Value) {
			t.Fatalf("pages gave %d rows, one call %d", len(rows), len(all.Value))
		}
		for i := range rows {
			if rows[i]["MarketplaceSubscriptionId"] != all.Value[i]["MarketplaceSubscriptionId"] || rows[i]["MonthStartDate"] != all.Value[i]["MonthStartDate"] {
				t.Fatalf("row %d differs: %v vs %v", i, rows[i], all.Value[i])
			}
		}
	})

	t.Run("exact decimals and dates in JSON", func(t *testing.T) {
		q := url.QueryEscape("SELECT CustomerCountry, EstimatedExtendedChargePC FROM ISVUsage WHERE CustomerCountry = 'de' TIMESPAN LIFETIME")
		req, _ := http.NewRequest("GET", e.base+"/insights/v1.1/cmp/ScheduledQueries/testQueryResult?exportQuery="+q, nil)
		req.Header.Set("Authorization", "Bearer "+e.contoso)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(b), `{"CustomerCountry":"DE","EstimatedExtendedChargePC":104.610000}`) {
			t.Fatalf("%s", b)
		}
	})
}
