package analytics_test

// The public clients of Partner Center's analytics API, ported request for
// request (method, path, query-string encoding, headers, JSON key casing and
// nulls, how the answer is read) and run against a real `serve` (the shared
// server and middleware, not the API's handler alone). Each test asserts what
// its client asserts. Sources, read in their repositories:
//
//   - C#: partneranalytics/ProgrammaticExportSampleAppISV (Controllers/
//     ProgrammaticExportSampleAppController.cs, Helpers/ExportDownloader.cs)
//   - Java: partneranalytics/ProgrammaticExportSampleAppISV_Java
//     (helpers/ExportDownloader.java, helpers/ResponseMapper.java,
//     application.properties)
//   - Python: guygregory/partner-center-insights-api-python (pcapi.py)
//   - TypeScript: beaglabs/www.beaglabs.com (workers/license/src/marketplace-reports.ts)
//   - PowerShell: LucFrijters/hso-mpc-integrations-multitenant
//     (src/function-app/modules/InsightsClient.psm1)

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/marketplace-insights/insights/serve"
)

// realServe puts the API behind the shared server and middleware, as
// `insights serve` runs it, and returns that server's base URL.
func realServe(t *testing.T, e *env) string {
	t.Helper()
	srv, err := serve.New(serve.Config{MaxRequestBytes: 1 << 20}, prometheus.NewRegistry(), nil)
	if err != nil {
		t.Fatal(err)
	}
	e.svc.Register(srv)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

// rawCall sends one request exactly as given and returns status, headers
// and body.
func rawCall(t *testing.T, client *http.Client, method, u string, header http.Header, body []byte) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

// noRedirect is an HTTP stack that, like HttpURLConnection for a POST, does
// not follow redirects and does not ask for compression.
var noRedirect = &http.Client{
	Transport:     &http.Transport{DisableCompression: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// decompressing is an HTTP stack that asks for gzip and undoes it, as .NET's
// AutomaticDecompression, Python requests, fetch and PowerShell do.
var decompressing = http.DefaultClient

// csharpOutput is APIOutput<T> of the C# sample, read by Newtonsoft
// (property names matched in any case).
type csharpOutput[T any] struct {
	Value      []T
	NextLink   string
	TotalCount int64
	Message    string
	StatusCode int
}

type csharpExecution struct {
	ExecutionID, ReportID, CallbackURL, Format, ExecutionStatus string
	ReportLocation, ReportAccessSecureLink                      string
	ReportExpiryTime, ReportGeneratedTime                       string
	RecurrenceInterval                                          int
	RecurrenceCount                                             *int
}

// TestCSharpSampleFlow is Microsoft's C# sample: datasets, create a query,
// try it (the query pasted into the URL unencoded), schedule a report with
// its default start (now + 90 min as "yyyy-MM-dd HH:mm:ssZ") and the
// callback its receiver route expects ("reportready/{reportId}"), then its
// ExportDownloader: the latest execution must have TotalCount == 1 and a
// ReportLocation, and the secure link downloads.
func TestCSharpSampleFlow(t *testing.T) {
	clk := &clock{t: t0}
	e := newEnv(t, clk.Now)
	api := realServe(t, e) + "/insights/v1.1/cmp"
	hdr := http.Header{"Authorization": {"Bearer " + e.contoso}, "Accept": {"application/json"}}

	code, _, b := rawCall(t, decompressing, "GET", api+"/ScheduledDataset", hdr, nil)
	var ds csharpOutput[struct{ DatasetName string }]
	if code != 200 || json.Unmarshal(b, &ds) != nil || ds.TotalCount == 0 {
		t.Fatalf("datasets: %d %s", code, b)
	}

	// ScheduledQueriesInputObject, serialized by JsonConvert: nulls included.
	body := []byte(`{"Name":"CSharpOrders","Description":null,"Query":"SELECT OrderId FROM ISVOrder TIMESPAN LIFETIME"}`)
	jsonHdr := hdr.Clone()
	jsonHdr.Set("Content-Type", "application/json; charset=utf-8")
	code, _, b = rawCall(t, decompressing, "POST", api+"/ScheduledQueries", jsonHdr, body)
	var q csharpOutput[struct{ QueryID string }]
	if code != 200 || json.Unmarshal(b, &q) != nil || q.TotalCount != 1 {
		t.Fatalf("create query (the sample needs TotalCount == 1): %d %s", code, b)
	}
	queryID := q.Value[0].QueryID

	// TryQuery: "…/testQueryResult?exportQuery={export_query}"; .NET's Uri
	// escapes the spaces and leaves the quotes and '%' as they are.
	try := "SELECT OfferName FROM ISVOrder WHERE OfferName LIKE '%Vault%' TIMESPAN LIFETIME"
	code, _, b = rawCall(t, decompressing, "GET", api+"/ScheduledQueries/testQueryResult?exportQuery="+strings.ReplaceAll(try, " ", "%20"),
		http.Header{"Authorization": hdr["Authorization"]}, nil)
	if code != 200 || !strings.Contains(string(b), `"OfferName":"Backup Vault"`) {
		t.Fatalf("try query: %d %s", code, b)
	}

	var got = make(chan string, 2)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// [HttpPost] [Route("reportready/{reportId}")]
		if id, ok := strings.CutPrefix(r.URL.Path, "/reportready/"); ok && r.Method == http.MethodPost {
			got <- id
			_, _ = io.WriteString(w, "Download of report has been queued")
			return
		}
		http.NotFound(w, r)
	}))
	defer receiver.Close()

	start := clk.Now().Add(90 * time.Minute).Format("2006'-'01'-'02 15':'04':'05'Z'")
	start = strings.NewReplacer("'", "").Replace(start)
	body = []byte(`{"ReportName":"CSharpReport","Description":null,"QueryId":"` + queryID + `","StartTime":"` + start +
		`","RecurrenceInterval":24,"RecurrenceCount":100,"Format":null,"CallbackUrl":"` + receiver.URL + `/reportready/"}`)
	code, _, b = rawCall(t, decompressing, "POST", api+"/ScheduledReport", jsonHdr, body)
	var rep csharpOutput[struct{ ReportID, StartTime string }]
	if code != 200 || json.Unmarshal(b, &rep) != nil || rep.TotalCount != 1 || rep.Value[0].StartTime != "2025-07-06T01:30:00Z" {
		t.Fatalf("create report with StartTime %q: %d %s", start, code, b)
	}

	clk.Add(2 * time.Hour)
	e.runDue(t)
	var reportID string
	select {
	case reportID = <-got:
	default:
		t.Fatal("no callback on reportready/{reportId}")
	}
	if reportID != rep.Value[0].ReportID {
		t.Fatalf("callback for %q, created %q", reportID, rep.Value[0].ReportID)
	}

	// ExportDownloader: ReportExecutionPath formatted with the report id.
	code, _, b = rawCall(t, decompressing, "GET", api+"/ScheduledReport/execution/"+reportID, hdr, nil)
	var ex csharpOutput[csharpExecution]
	if code != 200 || json.Unmarshal(b, &ex) != nil {
		t.Fatalf("executions: %d %s", code, b)
	}
	if ex.TotalCount != 1 || ex.Value[0].ReportLocation == "" {
		t.Fatalf("Invalid record obtained (the sample's check): %s", b)
	}
	code, h, file := rawCall(t, decompressing, "GET", ex.Value[0].ReportAccessSecureLink, nil, nil)
	if code != 200 || firstLine(file) != "OrderId" || h.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("download: %d %v %.200s", code, h, file)
	}
	// Each order once: the result is distinct in the selected columns.
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(file), "\r\n", "\n")), "\n")[1:]
	seen := map[string]bool{}
	for _, l := range lines {
		if seen[l] {
			t.Fatalf("order %s twice", l)
		}
		seen[l] = true
	}
	if len(lines) == 0 {
		t.Fatal("no orders")
	}
}

// TestJavaSampleFlow is Microsoft's Java sample: application.properties joins
// "https://…/" with "/insights/v1/cmp/…" (a double slash), RestTemplate
// sends the token and nothing else, gson reads value[0] fields, and the
// downloader reads the secure link's body through a GZIPInputStream with an
// HttpURLConnection that asks for no encoding.
func TestJavaSampleFlow(t *testing.T) {
	clk := &clock{t: t0}
	e := newEnv(t, clk.Now)
	base := realServe(t, e) + "/" // ProgrammaticExport.ApiEndpointUrl
	auth := http.Header{"Authorization": {"Bearer " + e.contoso}}
	jsonHdr := auth.Clone()
	jsonHdr.Set("Content-Type", "application/json")

	// gson: field names as declared, nulls left out.
	code, _, b := rawCall(t, noRedirect, "POST", base+"/insights/v1/cmp/ScheduledQueries", jsonHdr,
		[]byte(`{"Name":"JavaUsage","Query":"SELECT OfferName, NormalizedUsage FROM ISVUsage TIMESPAN LIFETIME"}`))
	queryID := firstField(t, code, b, "queryId")

	// report_start_name default: SimpleDateFormat("yyyy'-'MM'-'dd HH':'mm':'ss'Z'").
	start := clk.Now().Add(5400 * time.Second).Format("2006-01-02 15:04:05Z")
	code, _, b = rawCall(t, noRedirect, "POST", base+"/insights/v1/cmp/ScheduledReport", jsonHdr,
		[]byte(`{"ReportName":"JavaReport","QueryId":"`+queryID+`","StartTime":"`+start+`","RecurrenceInterval":24,"RecurrenceCount":100}`))
	reportID := firstField(t, code, b, "reportId")

	clk.Add(2 * time.Hour)
	e.runDue(t)
	code, _, b = rawCall(t, noRedirect, "GET", base+"/insights/v1/cmp/ScheduledReport/execution/"+reportID, auth, nil)
	link := firstField(t, code, b, "reportAccessSecureLink")

	code, h, body := rawCall(t, noRedirect, "GET", link, http.Header{
		"User-Agent": {"Java/17"}, "Accept": {"text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"}}, nil)
	if code != http.StatusOK {
		t.Fatalf("No file to download. Server replied HTTP code: %d", code)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body)) // new GZIPInputStream(inputStream)
	if err != nil {
		t.Fatalf("GZIPInputStream: %v (headers %v)", err, h)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || firstLine(plain) != "OfferName,NormalizedUsage" || h.Get("Content-Encoding") != "gzip" {
		t.Fatalf("read through GZIPInputStream: %v %v %.200s", err, h, plain)
	}
}

// firstLine is a file's header line, without its line end.
func firstLine(b []byte) string {
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSuffix(line, "\r")
}

// firstField is ResponseMapper.mapFirstResponseField(response, "value", key):
// value[0][key] as a string; a non-2xx answer is RestTemplate's exception.
func firstField(t *testing.T, code int, body []byte, key string) string {
	t.Helper()
	var env struct{ Value []map[string]any }
	if code < 200 || code > 299 || json.Unmarshal(body, &env) != nil || len(env.Value) == 0 {
		t.Fatalf("%d %s", code, body)
	}
	s, ok := env.Value[0][key].(string)
	if !ok || s == "" {
		t.Fatalf("value[0].%s: %s", key, body)
	}
	return s
}

// TestPythonClientFlow is pcapi.py: create a query (Bearer), create an
// ExecuteNow report with the token in X-AadUserTicket (no "Bearer"), print
// "\n" + message (a null message would raise), then poll
// ScheduledReport/execution/{id} without parameters, reading
// value[0].executionStatus and value[0].reportAccessSecureLink, sleeping while
// Pending, until Completed; then save the link with requests (which undoes
// the gzip encoding). The client's own path is /insights/v1/mpn (Partner
// Center's partner-network datasets); pointed at this service the path is
// /insights/v1/cmp and the query one of its datasets.
func TestPythonClientFlow(t *testing.T) {
	clk := &clock{t: t0}
	e := newEnv(t, clk.Now)
	api := realServe(t, e) + "/insights/v1/cmp"
	py := http.Header{"User-Agent": {"python-requests/2.31.0"}, "Accept-Encoding": {"gzip, deflate"}, "Accept": {"*/*"}}
	with := func(kv ...string) http.Header {
		h := py.Clone()
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}

	payload := "{\r\n  \"Name\": \"All Orders\",\r\n  \"Description\": \"List of all order ids\",\r\n  \"Query\": \"SELECT OrderId, OfferName from ISVOrder TIMESPAN LAST_6_MONTHS\"\r\n}"
	code, _, b := rawCall(t, decompressing, "POST", api+"/ScheduledQueries", with("Authorization", "Bearer "+e.contoso, "Content-Type", "application/json"), []byte(payload))
	queryID := firstField(t, code, b, "queryId")

	ticket := with("Accept", "application/json", "User-Agent", "Thunder Client (https://www.thunderclient.io)",
		"X-AadUserTicket", e.contoso, "Content-Type", "application/json")
	payload = "{\n  \"ReportName\": \"All Orders Report\",\n  \"Description\": \"Report listing all the orders\",\n  \"QueryId\": \"" + queryID + "\",\n  \"ExecuteNow\": true\n}"
	code, _, b = rawCall(t, decompressing, "POST", api+"/ScheduledReport", ticket, []byte(payload))
	reportID := firstField(t, code, b, "reportId")
	var created struct{ Message *string }
	if json.Unmarshal(b, &created) != nil || created.Message == nil {
		t.Fatalf(`print("\n" + message) needs a message: %s`, b)
	}

	poll := with("X-AadUserTicket", e.contoso, "Accept", "application/json")
	var statuses []string
	link := ""
	for range 5 {
		code, _, b = rawCall(t, decompressing, "GET", api+"/ScheduledReport/execution/"+reportID, poll, []byte{})
		var r struct {
			Value []struct {
				ExecutionStatus        string  `json:"executionStatus"`
				ReportAccessSecureLink *string `json:"reportAccessSecureLink"`
			} `json:"value"`
		}
		if code != 200 || json.Unmarshal(b, &r) != nil || len(r.Value) == 0 {
			t.Fatalf("json.loads(response.text)['value'][0] after %v: %d %s", statuses, code, b)
		}
		st := r.Value[0].ExecutionStatus
		statuses = append(statuses, st)
		if st == "Completed" {
			link = *r.Value[0].ReportAccessSecureLink
			break
		}
		if st == "Pending" {
			e.runDue(t) // time.sleep(60): the scheduler's pass
		}
	}
	if strings.Join(statuses, ",") != "Pending,Completed" {
		t.Fatalf("the poll loop saw %v", statuses)
	}
	code, _, file := rawCall(t, decompressing, "GET", link, nil, nil)
	if code != 200 || firstLine(file) != "OrderId,OfferName" {
		t.Fatalf("saveLink: %d %.200s", code, file)
	}
}

// TestTypeScriptClientFlow is beaglabs' worker: find its report by the name
// prefix it gave (reportName through URLSearchParams, spaces as '+'),
// create it on the VM usage system query when there is none (StartTime as
// toISOString without milliseconds, Format "csv"), find it again by prefix,
// ask for the latest Completed, then Running, then Pending execution (404 is
// "none"), and once Completed download it with fetch and parse the CSV.
func TestTypeScriptClientFlow(t *testing.T) {
	clk := &clock{t: t0}
	e := newEnv(t, clk.Now)
	api := realServe(t, e) + "/insights/v1.1/cmp"
	hdr := http.Header{"Authorization": {"Bearer " + e.contoso}, "Content-Type": {"application/json"}}
	const prefix = "Beag Labs Papyrus VM Usage"

	discover := func() map[string]any {
		u, _ := url.Parse(api + "/ScheduledReport")
		u.RawQuery = url.Values{"reportName": {prefix}}.Encode()
		code, _, b := rawCall(t, decompressing, "GET", u.String(), hdr, nil)
		if code == 404 {
			return nil
		}
		var r struct{ Value []map[string]any }
		if code != 200 || json.Unmarshal(b, &r) != nil {
			t.Fatalf("Find Partner Center report failed (%d): %s", code, b)
		}
		for _, row := range r.Value {
			if strings.EqualFold(row["reportStatus"].(string), "active") {
				return row
			}
		}
		return nil
	}
	if discover() != nil {
		t.Fatal("a report before any was created")
	}
	start := clk.Now().Add(5 * time.Hour)
	payload, _ := json.Marshal(map[string]any{
		"ReportName": prefix + " " + start.Format("20060102"), "Description": "Papyrus VM normalized usage",
		"QueryId": "2c6f384b-ad52-4aed-965f-32bfa09b3778", "StartTime": start.Format("2006-01-02T15:04:05Z"),
		"RecurrenceInterval": 24, "RecurrenceCount": 180, "Format": "csv"})
	code, _, b := rawCall(t, decompressing, "POST", api+"/ScheduledReport", hdr, payload)
	reportID := firstField(t, code, b, "reportId")
	found := discover()
	if found == nil || found["reportId"] != reportID {
		t.Fatalf("the report is not found again by its name prefix: %v", found)
	}

	execution := func(status string) map[string]any {
		u, _ := url.Parse(api + "/ScheduledReport/execution/" + url.PathEscape(reportID))
		u.RawQuery = url.Values{"getLatestExecution": {"true"}, "executionStatus": {status}}.Encode()
		code, _, b := rawCall(t, decompressing, "GET", u.String(), hdr, nil)
		if code == 404 {
			return nil
		}
		var r struct{ Value []map[string]any }
		if code != 200 || json.Unmarshal(b, &r) != nil || len(r.Value) == 0 {
			t.Fatalf("Get Partner Center report execution failed (%d): %s", code, b)
		}
		return r.Value[0]
	}
	if execution("Completed") != nil || execution("Running") != nil {
		t.Fatal("an execution before the start")
	}
	pending := execution("Pending")
	if pending == nil || pending["executionStatus"] != "Pending" || pending["executionId"] == "" {
		t.Fatalf("no Pending execution for the new report: %v", pending)
	}

	clk.Add(6 * time.Hour)
	e.runDue(t)
	done := execution("Completed")
	if done == nil || done["executionId"] != pending["executionId"] {
		t.Fatalf("completed %v, pending was %v", done, pending)
	}
	code, _, file := rawCall(t, decompressing, "GET", done["reportAccessSecureLink"].(string), nil, nil)
	if code != 200 {
		t.Fatalf("Download Partner Center report failed (%d)", code)
	}
	rows, err := csv.NewReader(bytes.NewReader(file)).ReadAll()
	if err != nil || len(rows) == 0 || !strings.Contains(strings.Join(rows[0], ","), "MarketplaceSubscriptionId") ||
		!strings.Contains(strings.Join(rows[0], ","), "UsageDate") {
		t.Fatalf("parseCsv: %v %.300s", err, file)
	}
}

// TestPowerShellClientFlow is the HSO function app: page the datasets and
// queries (nextLink), for every dataset use its system query when all the
// query's SELECT columns are selectable, else generate "SELECT <every
// selectable column joined by ','> FROM <dataset> TIMESPAN <range>", create
// the query and a report (StartTime "yyyy-MM-ddTHH:mm:ssZ", nulls for
// QueryStartTime, QueryEndTime, CallbackUrl and CallbackMethod, Format
// "CSV"), reuse Active reports by name, then get the latest Completed
// execution (404 is "not ready") and convert the download with
// ConvertFrom-Csv. A body whose statusCode is 400 or more is an error.
func TestPowerShellClientFlow(t *testing.T) {
	clk := &clock{t: t0}
	e := newEnv(t, clk.Now)
	api := realServe(t, e) + "/insights/v1.1/cmp"
	hdr := func() http.Header {
		return http.Header{"Authorization": {"Bearer " + e.contoso}, "Accept": {"application/json"},
			"ms-correlationid": {"0f8fad5b-d9cb-469f-a165-70867728950e"}, "ms-requestid": {"7c9e6679-7425-40de-944c-e07fc1f90ae7"},
			"Content-Type": {"application/json"}, "User-Agent": {"Mozilla/5.0 (Linux) PowerShell/7.4.1"}}
	}
	request := func(method, path string, body any) (int, map[string]any) {
		t.Helper()
		u := path
		if !strings.HasPrefix(u, "http") {
			u = api + path
		}
		var raw []byte
		if body != nil {
			raw, _ = json.Marshal(body)
		}
		code, _, b := rawCall(t, decompressing, method, u, hdr(), raw)
		if code == 404 {
			return code, nil
		}
		var out map[string]any
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s %s: ConvertFrom-Json: %v %s", method, path, err, b)
		}
		if sc, _ := out["statusCode"].(float64); sc >= 400 || code >= 400 {
			t.Fatalf("Partner Insights API returned statusCode=%v for %s %s: %v", out["statusCode"], method, path, out["message"])
		}
		return code, out
	}
	collection := func(path string) []map[string]any {
		var all []map[string]any
		for next := path; next != ""; {
			_, body := request("GET", next, nil)
			if body == nil {
				break
			}
			for _, v := range body["value"].([]any) {
				all = append(all, v.(map[string]any))
			}
			next, _ = body["nextLink"].(string)
		}
		return all
	}
	strs := func(v any) []string {
		var out []string
		for _, x := range v.([]any) {
			out = append(out, x.(string))
		}
		return out
	}

	datasets := collection("/ScheduledDataset")
	queries := collection("/ScheduledQueries")
	projection := regexp.MustCompile(`(?is)^\s*SELECT\s+(.*?)\s+FROM\s+`)
	reports := map[string]string{} // dataset -> report id
	for _, ds := range datasets {
		name := ds["datasetName"].(string)
		cols := strs(ds["selectableColumns"])
		selectable := map[string]bool{}
		for _, c := range cols {
			selectable[c] = true
		}
		ranges := strs(ds["availableDateRanges"])
		timespan := ranges[0]
		for _, pref := range []string{"LAST_6_MONTHS", "LAST_12_MONTHS", "LAST_3_MONTHS", "LAST_MONTH"} {
			if strings.Contains(","+strings.Join(ranges, ",")+",", ","+pref+",") {
				timespan = pref
				break
			}
		}
		queryID := ""
		for _, q := range queries {
			if q["type"] != "system" || !strings.EqualFold(q["name"].(string), name) {
				continue
			}
			m := projection.FindStringSubmatch(q["query"].(string))
			ok := m != nil
			for _, c := range strings.Split(m[1], ",") {
				ok = ok && selectable[strings.TrimSpace(c)]
			}
			if ok {
				queryID = q["queryId"].(string)
				break
			}
		}
		if queryID == "" {
			_, body := request("POST", "/ScheduledQueries", map[string]any{"Name": "HSO " + name + " query 20250706000000",
				"Description": "Auto-created by HSO Insights integration",
				"Query":       "SELECT " + strings.Join(cols, ",") + " FROM " + name + " TIMESPAN " + timespan})
			queryID = body["value"].([]any)[0].(map[string]any)["queryId"].(string)
		}
		_, body := request("POST", "/ScheduledReport", map[string]any{"ReportName": "HSO" + name,
			"Description": "Auto-created by HSO Insights integration", "QueryId": queryID,
			"StartTime": clk.Now().Add(4*time.Hour + 5*time.Minute).Format("2006-01-02T15:04:05Z"), "ExecuteNow": false,
			"QueryStartTime": nil, "QueryEndTime": nil, "RecurrenceInterval": 24, "RecurrenceCount": 12, "Format": "CSV",
			"CallbackUrl": nil, "CallbackMethod": nil})
		reports[name] = body["value"].([]any)[0].(map[string]any)["reportId"].(string)
	}
	if len(reports) < 8 {
		t.Fatalf("reports for %d datasets", len(reports))
	}
	// Register-InsightsReport on the next cycle: every report is found Active by name.
	existing := collection("/ScheduledReport")
	for name, id := range reports {
		found := false
		for _, r := range existing {
			found = found || (r["reportName"] == "HSO"+name && r["reportId"] == id && r["reportStatus"] == "Active")
		}
		if !found {
			t.Fatalf("report HSO%s not reusable: %v", name, existing)
		}
	}
	latest := func(id string) map[string]any {
		code, body := request("GET", "/ScheduledReport/execution/"+id+"?executionStatus=Completed&getLatestExecution=true", nil)
		if code == 404 {
			return nil
		}
		return body["value"].([]any)[0].(map[string]any)
	}
	for _, id := range reports {
		if latest(id) != nil {
			t.Fatal("a completed execution before the start")
		}
	}
	clk.Add(5 * time.Hour)
	e.runDue(t)
	for name, id := range reports {
		x := latest(id)
		if x == nil || x["reportAccessSecureLink"] == nil || strings.ToUpper(x["format"].(string)) != "CSV" {
			t.Fatalf("%s: latest completed %v", name, x)
		}
		code, _, content := rawCall(t, decompressing, "GET", x["reportAccessSecureLink"].(string),
			http.Header{"Accept": {"*/*"}, "Content-Type": {"application/octet-stream"}}, nil)
		sc := bufio.NewScanner(bytes.NewReader(content))
		if code != 200 || !sc.Scan() || !strings.Contains(sc.Text(), ",") && len(sc.Text()) == 0 {
			t.Fatalf("%s: download %d %.200s", name, code, content)
		}
		if _, err := csv.NewReader(bytes.NewReader(content)).ReadAll(); err != nil {
			t.Fatalf("%s: ConvertFrom-Csv: %v", name, err)
		}
	}
}
