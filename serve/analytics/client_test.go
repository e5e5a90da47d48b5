package analytics_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/analytics"
)

// pcClient is written the way partners write Partner Center clients: plain
// HTTP, a bearer token, request bodies with the documented PascalCase keys,
// responses read from the documented envelope.
type pcClient struct {
	base, token string
}

type pcEnvelope[T any] struct {
	Value      []T     `json:"value"`
	NextLink   string  `json:"nextLink"`
	TotalCount int     `json:"totalCount"`
	Message    *string `json:"message"`
	StatusCode int     `json:"statusCode"`
}

type pcQuery struct {
	QueryID, Name, Description, Query, Type, User, CreatedTime string
}

type pcReport struct {
	ReportID, ReportName, QueryID, Query, ReportStatus, Format, StartTime string
	RecurrenceInterval                                                    int
	RecurrenceCount                                                       *int
	CallbackURL                                                           *string `json:"callbackUrl"`
	CallbackSecret                                                        *string `json:"callbackSecret"`
	NextExecutionTime                                                     *string
}

type pcExecution struct {
	ExecutionID, ReportID, ExecutionStatus, Format           string
	ReportAccessSecureLink, ReportExpiryTime                 *string
	ReportGeneratedTime, DataStartDate, DataEndDate, Message *string
	RowCount                                                 int64
	CallbackStatus                                           *string
	CallbackAttempts                                         int
}

// call sends a request and decodes the envelope into out; it returns the status.
func (c pcClient) call(t *testing.T, method, path string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+"/insights/v1.1/cmp/"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		t.Fatalf("%s %s: response starts with a byte order mark", method, path)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, path, res.StatusCode, raw, err)
		}
	}
	return res.StatusCode
}

// TestPartnerClientFlow is the documented flow end to end: create a query,
// create a report with ExecuteNow and a callback, poll its executions until
// Completed, download the file from the secure link, and receive the signed
// callback on a loopback server.
func TestPartnerClientFlow(t *testing.T) {
	e := newEnv(t, nil)
	c := pcClient{base: e.base, token: e.contoso}

	type received struct {
		header http.Header
		body   []byte
	}
	got := make(chan received, 4)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- received{r.Header.Clone(), b}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()

	var ds pcEnvelope[struct {
		DatasetName         string
		SelectableColumns   []string
		AvailableMetrics    []string
		AvailableDateRanges []string
	}]
	if code := c.call(t, "GET", "ScheduledDataset?datasetName=ISVUsage", nil, &ds); code != 200 || ds.TotalCount != 1 ||
		ds.Value[0].DatasetName != "ISVUsage" || !contains(ds.Value[0].AvailableMetrics, "NormalizedUsage") ||
		!contains(ds.Value[0].AvailableDateRanges, "LAST_6_MONTHS") {
		t.Fatalf("datasets: %d %+v", code, ds)
	}

	var q pcEnvelope[pcQuery]
	code := c.call(t, "POST", "ScheduledQueries", map[string]any{
		"Name":        "VM usage by country",
		"Description": "Normalized usage and charges of VM offers",
		"Query":       "SELECT OfferName, CustomerCountry, NormalizedUsage, EstimatedExtendedChargePC FROM ISVUsage WHERE OfferType = 'virtualmachine' ORDER BY NormalizedUsage TIMESPAN LAST_6_MONTHS",
	}, &q)
	if code != 200 || q.StatusCode != 200 || len(q.Value) != 1 || q.Value[0].QueryID == "" || q.Value[0].Type != "userDefined" {
		t.Fatalf("create query: %d %+v", code, q)
	}

	var rep pcEnvelope[pcReport]
	code = c.call(t, "POST", "ScheduledReport", map[string]any{
		"ReportName":  "VMUsageNow",
		"Description": "one-off",
		"QueryId":     q.Value[0].QueryID,
		"ExecuteNow":  true,
		"Format":      "CSV",
		"CallbackUrl": receiver.URL + "/hook",
	}, &rep)
	if code != 200 || len(rep.Value) != 1 || rep.Value[0].ReportID == "" || rep.Value[0].CallbackSecret == nil {
		t.Fatalf("create report: %d %+v", code, rep)
	}
	reportID, secret := rep.Value[0].ReportID, *rep.Value[0].CallbackSecret

	var ex pcEnvelope[pcExecution]
	deadline := time.Now().Add(60 * time.Second)
	for {
		ex = pcEnvelope[pcExecution]{}
		code = c.call(t, "GET", "ScheduledReport/execution/"+reportID, nil, &ex)
		if code == 200 && len(ex.Value) == 1 && ex.Value[0].ExecutionStatus == "Completed" {
			break
		}
		if code != 404 && code != 200 {
			t.Fatalf("poll executions: %d %+v", code, ex)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no completed execution after 60s: %d %+v", code, ex)
		}
		time.Sleep(100 * time.Millisecond)
	}
	x := ex.Value[0]
	if x.ReportAccessSecureLink == nil || x.ReportExpiryTime == nil || x.ReportGeneratedTime == nil || x.RowCount != 1 ||
		x.DataStartDate == nil || *x.DataStartDate != "2025-01-06" || *x.DataEndDate != "2025-07-05" {
		t.Fatalf("execution: %+v", x)
	}

	res, err := http.Get(*x.ReportAccessSecureLink) // no token: the link is the permission
	if err != nil {
		t.Fatal(err)
	}
	file, _ := io.ReadAll(res.Body)
	res.Body.Close()
	// p-contoso's VM usage in the six months to 2025-07-05: Globex (DE) only;
	// Umbrella and Soylent opted out of tracking and never appear.
	want := "OfferName,CustomerCountry,NormalizedUsage,EstimatedExtendedChargePC\r\nThreat Radar VM,DE,464.00,104.61\r\n"
	if res.StatusCode != 200 || string(file) != want || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("download: %d %q %q", res.StatusCode, file, res.Header.Get("Content-Type"))
	}

	select {
	case cb := <-got:
		if err := analytics.VerifyWebhook(secret, cb.header, cb.body, time.Now(), 5*time.Minute); err != nil {
			t.Fatalf("callback signature: %v (%v)", err, cb.header)
		}
		var body analytics.CallbackBody
		if err := json.Unmarshal(cb.body, &body); err != nil {
			t.Fatal(err)
		}
		if body.ReportID != reportID || body.ExecutionID != x.ExecutionID || body.ExecutionStatus != "Completed" ||
			body.ReportAccessSecureLink == nil || *body.ReportAccessSecureLink != *x.ReportAccessSecureLink || body.RowCount != 1 {
			t.Fatalf("callback body: %s", cb.body)
		}
		if !strings.HasPrefix(cb.header.Get("webhook-signature"), "v1,") || cb.header.Get("webhook-id") != "msg_"+x.ExecutionID {
			t.Fatalf("callback headers: %v", cb.header)
		}
		tampered := append([]byte{}, cb.body...)
		tampered[len(tampered)-2] ^= 1
		if analytics.VerifyWebhook(secret, cb.header, tampered, time.Now(), 5*time.Minute) == nil {
			t.Fatal("a tampered body verified")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no callback")
	}

	// The callback is recorded on the execution.
	deadline = time.Now().Add(10 * time.Second)
	for {
		ex = pcEnvelope[pcExecution]{}
		c.call(t, "GET", "ScheduledReport/execution/"+reportID+"?executionStatus=Completed", nil, &ex)
		if ex.Value[0].CallbackStatus != nil && *ex.Value[0].CallbackStatus == "Delivered" && ex.Value[0].CallbackAttempts == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("callback not recorded: %+v", ex.Value[0])
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Another partner sees none of it.
	other := pcClient{base: e.base, token: e.fabrikam}
	if code := other.call(t, "GET", "ScheduledReport/execution/"+reportID, nil, nil); code != 404 {
		t.Fatalf("another partner's executions: %d", code)
	}
	var theirs pcEnvelope[pcQuery]
	other.call(t, "GET", "ScheduledQueries?includeSystemQueries=false", nil, &theirs)
	if len(theirs.Value) != 0 {
		t.Fatalf("another partner sees queries: %+v", theirs.Value)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
