package analytics_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/marketplace-insights/insights/serve/analytics"
)

var t0 = time.Date(2025, 7, 6, 0, 0, 0, 0, time.UTC)

func (e *env) runDue(t *testing.T) int64 {
	t.Helper()
	n, err := e.svc.RunDue(context.Background())
	if err != nil {
		t.Fatalf("RunDue: %v", err)
	}
	return n
}

// executions lists every execution of a report (all statuses), newest first.
func executions(t *testing.T, c pcClient, reportID string) []pcExecution {
	t.Helper()
	var ex pcEnvelope[pcExecution]
	code := c.call(t, "GET", "ScheduledReport/execution/"+reportID+"?getLatestExecution=false&executionStatus=Pending;Running;Paused;Completed;Failed", nil, &ex)
	if code == 404 {
		return nil
	}
	if code != 200 {
		t.Fatalf("executions: %d %+v", code, ex)
	}
	return ex.Value
}

func createQuery(t *testing.T, c pcClient, query string) string {
	t.Helper()
	var q pcEnvelope[pcQuery]
	if code := c.call(t, "POST", "ScheduledQueries", map[string]any{"Name": "q", "Query": query}, &q); code != 200 {
		t.Fatalf("create query: %d %v", code, q.Message)
	}
	return q.Value[0].QueryID
}

func getReport(t *testing.T, c pcClient, id string) pcReport {
	t.Helper()
	var r pcEnvelope[pcReport]
	if code := c.call(t, "GET", "ScheduledReport?reportId="+id, nil, &r); code != 200 || len(r.Value) != 1 {
		t.Fatalf("get report: %d %+v", code, r)
	}
	return r.Value[0]
}

// TestScheduleLifecycle: occurrences run when due, not before; pause stops
// them; resume continues at the next occurrence; a restarted service takes
// up an execution a stopped one left running; occurrences missed while down
// are caught up once; the recurrence count ends the report.
func TestScheduleLifecycle(t *testing.T) {
	clk := &clock{t: t0}
	e := newEnv(t, clk.Now)
	c := pcClient{base: e.base, token: e.contoso}
	qid := createQuery(t, c, "SELECT OfferName, OrderQuantity FROM ISVOrder TIMESPAN LAST_MONTH")
	var rep pcEnvelope[pcReport]
	if code := c.call(t, "POST", "ScheduledReport", map[string]any{"ReportName": "Every4h", "QueryId": qid,
		"StartTime": "2025-07-06T01:00:00Z", "RecurrenceInterval": 4, "RecurrenceCount": 3, "Format": "tsv"}, &rep); code != 200 {
		t.Fatalf("create: %d %v", code, rep.Message)
	}
	id := rep.Value[0].ReportID
	if got := rep.Value[0]; got.ReportStatus != "Active" || *got.NextExecutionTime != "2025-07-06T01:00:00Z" || got.Format != "tsv" {
		t.Fatalf("created %+v", got)
	}

	e.runDue(t)
	// Before its start the report's first occurrence is listed as Pending
	// (Partner Center's first-call page shows exactly that), with the id it
	// will run under; only executionStatus=Completed answers 404.
	upcoming := executions(t, c, id)
	if len(upcoming) != 1 || upcoming[0].ExecutionStatus != "Pending" || upcoming[0].ReportAccessSecureLink != nil {
		t.Fatalf("before its start: %+v", upcoming)
	}
	var def pcEnvelope[pcExecution]
	if code := c.call(t, "GET", "ScheduledReport/execution/"+id, nil, &def); code != 200 || def.TotalCount != 1 ||
		def.Value[0].ExecutionStatus != "Pending" || def.Value[0].ExecutionID != upcoming[0].ExecutionID {
		t.Fatalf("default call before the first run: %d %+v", code, def)
	}
	if code := c.call(t, "GET", "ScheduledReport/execution/"+id+"?executionStatus=Completed", nil, nil); code != 404 {
		t.Fatalf("completed executions before the first completed one: %d, want 404", code)
	}

	clk.Set(t0.Add(time.Hour))
	if n := e.runDue(t); n != 1 {
		t.Fatalf("due occurrence: %d executions", n)
	}
	ex := executions(t, c, id)
	// The list now also holds the next occurrence, Pending.
	if len(ex) != 2 || ex[1].ExecutionStatus != "Completed" || *ex[1].DataStartDate != "2025-06-01" || *ex[1].DataEndDate != "2025-07-05" ||
		ex[1].ExecutionID != upcoming[0].ExecutionID || ex[0].ExecutionStatus != "Pending" {
		t.Fatalf("first occurrence: %+v", ex)
	}
	if r := getReport(t, c, id); *r.NextExecutionTime != "2025-07-06T05:00:00Z" {
		t.Fatalf("next = %v", *r.NextExecutionTime)
	}

	var paused pcEnvelope[pcReport]
	if code := c.call(t, "PUT", "ScheduledReport/pause/"+id, nil, &paused); code != 200 || paused.Value[0].ReportStatus != "Paused" {
		t.Fatalf("pause: %d %+v", code, paused)
	}
	clk.Set(t0.Add(9 * time.Hour))
	e.runDue(t)
	if ex := executions(t, c, id); len(ex) != 1 {
		t.Fatalf("a paused report ran: %+v", ex)
	}
	var resumed pcEnvelope[pcReport]
	if code := c.call(t, "PUT", "ScheduledReport/resume/"+id, nil, &resumed); code != 200 || resumed.Value[0].ReportStatus != "Active" ||
		*resumed.Value[0].NextExecutionTime != "2025-07-06T09:00:00Z" {
		t.Fatalf("resume: %d %+v", code, resumed)
	}
	e.runDue(t)
	if ex := executions(t, c, id); len(ex) != 3 || ex[1].ExecutionStatus != "Completed" || ex[0].ExecutionStatus != "Pending" {
		t.Fatalf("after resume: %+v", ex)
	}

	// A process stopped in the middle of an execution: its row says Running.
	if _, err := e.store.Exec(context.Background(), `INSERT INTO analytics_executions
		(execution_id, report_id, partner_id, scheduled_at, status, claimed_by, format, created_at, started_at)
		VALUES ('00000000-0000-4000-8000-000000000001', ?, 'p-contoso', ?, 'Running', 'a-stopped-process', 'tsv', ?, ?)`,
		id, t0.Add(10*time.Hour), t0.Add(10*time.Hour), t0.Add(10*time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.restart(t)
	// Down from 9h to 30h: the occurrences at 13, 17, 21, 25 and 29h were missed.
	clk.Set(t0.Add(30 * time.Hour))
	if n := e.runDue(t); n != 2 {
		t.Fatalf("after the restart: %d executions, want the interrupted one and one catch-up", n)
	}
	ex = executions(t, c, id)
	if len(ex) != 4 {
		t.Fatalf("executions: %+v", ex)
	}
	var scheduled []string
	for _, x := range ex {
		if x.ExecutionStatus != "Completed" {
			t.Fatalf("not completed: %+v", x)
		}
		var v pcEnvelope[map[string]any]
		c.call(t, "GET", "ScheduledReport/execution/"+id+"?executionId="+x.ExecutionID, nil, &v)
		scheduled = append(scheduled, v.Value[0]["scheduledTime"].(string))
	}
	if strings.Join(scheduled, ",") != "2025-07-07T05:00:00Z,2025-07-06T10:00:00Z,2025-07-06T09:00:00Z,2025-07-06T01:00:00Z" {
		t.Fatalf("scheduled times %v", scheduled)
	}
	if r := getReport(t, c, id); r.ReportStatus != "Inactive" || r.NextExecutionTime != nil {
		t.Fatalf("after its last occurrence: %+v", r)
	}
	clk.Set(t0.Add(100 * time.Hour))
	e.runDue(t)
	if ex := executions(t, c, id); len(ex) != 4 {
		t.Fatalf("an inactive report ran: %d", len(ex))
	}
}

// TestLinkExpiry: a delivered file stays downloadable, unchanged, until its
// link expires (410 after); the execution is kept 90 days, then forgotten.
func TestLinkExpiry(t *testing.T) {
	clk := &clock{t: t0}
	e := newEnv(t, clk.Now)
	c := pcClient{base: e.base, token: e.contoso}
	qid := createQuery(t, c, "SELECT OfferName, MonthStartDate, OrderQuantity FROM ISVOrder TIMESPAN LAST_6_MONTHS")
	run := func(format string) pcExecution {
		var rep pcEnvelope[pcReport]
		if code := c.call(t, "POST", "ScheduledReport", map[string]any{"reportname": "Now", "queryid": qid, "executenow": true, "format": format}, &rep); code != 200 {
			t.Fatalf("create: %d %v", code, rep.Message)
		}
		e.runDue(t)
		var ex pcEnvelope[pcExecution]
		if code := c.call(t, "GET", "ScheduledReport/execution/"+rep.Value[0].ReportID, nil, &ex); code != 200 {
			t.Fatalf("execution: %d", code)
		}
		return ex.Value[0]
	}
	get := func(link string) (int, []byte, http.Header) {
		// identity: the plain file, with the sha256 as its ETag (gzip is
		// tested with the clients that read it).
		req, err := http.NewRequest(http.MethodGet, link, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", "identity")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b, res.Header
	}
	first := run("csv")
	code, body, h := get(*first.ReportAccessSecureLink)
	sum := sha256.Sum256(body)
	if code != 200 || h.Get("ETag") != `"`+hex.EncodeToString(sum[:])+`"` || !strings.Contains(string(body), "Backup Vault") {
		t.Fatalf("download: %d %s %v", code, body, h)
	}
	if *first.ReportExpiryTime != "2025-08-05T00:00:00Z" {
		t.Fatalf("expiry %s", *first.ReportExpiryTime)
	}
	for _, f := range []string{"tsv", "parquet", "xlsx"} {
		x := run(f)
		code, b, h := get(*x.ReportAccessSecureLink)
		if code != 200 || len(b) == 0 || !strings.Contains(h.Get("Content-Disposition"), "."+f) {
			t.Fatalf("%s: %d %d bytes %v", f, code, len(b), h)
		}
		if f == "xlsx" {
			wb, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := wb.GetRows(wb.GetSheetList()[0])
			if err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != "OfferName,MonthStartDate,OrderQuantity" {
				t.Fatalf("workbook rows %v %v", rows, err)
			}
			_ = wb.Close()
		}
	}
	// New data and later executions do not change what was delivered.
	if _, err := e.store.Exec(context.Background(), `UPDATE current_orders SET order_quantity = order_quantity + 1000`); err != nil {
		t.Fatal(err)
	}
	clk.Set(t0.Add(10 * 24 * time.Hour))
	if later := run("csv"); later.ExecutionID == first.ExecutionID {
		t.Fatal("no new execution")
	}
	if code, again, _ := get(*first.ReportAccessSecureLink); code != 200 || string(again) != string(body) {
		t.Fatalf("the first file changed or went: %d", code)
	}
	tampered := strings.Replace(*first.ReportAccessSecureLink, "exp=", "exp=1", 1)
	if code, _, _ := get(tampered); code != http.StatusForbidden {
		t.Fatalf("tampered link: %d", code)
	}

	clk.Set(t0.Add(30*24*time.Hour + time.Second))
	if code, _, _ := get(*first.ReportAccessSecureLink); code != http.StatusGone {
		t.Fatalf("expired link: %d, want 410", code)
	}
	e.runDue(t) // deletes the expired file; the execution stays listed
	var ex pcEnvelope[pcExecution]
	if code := c.call(t, "GET", "ScheduledReport/execution/"+first.ReportID+"?executionId="+first.ExecutionID, nil, &ex); code != 200 {
		t.Fatalf("expired execution not listed: %d", code)
	}
	var files int
	if err := e.store.QueryRow(context.Background(), `SELECT count(path) FROM analytics_executions WHERE execution_id = ?`, first.ExecutionID).Scan(&files); err != nil || files != 0 {
		t.Fatalf("expired file still recorded: %d %v", files, err)
	}
	clk.Set(t0.Add(91 * 24 * time.Hour))
	e.runDue(t)
	if code := c.call(t, "GET", "ScheduledReport/execution/"+first.ReportID, nil, nil); code != 404 {
		t.Fatalf("an execution older than 90 days: %d, want 404", code)
	}
}

// TestCallbackRetries: a failing receiver is retried after the back-off, with
// the same webhook-id and a fresh, valid signature; every attempt is recorded.
func TestCallbackRetries(t *testing.T) {
	clk := &clock{t: t0}
	e := newEnv(t, clk.Now)
	c := pcClient{base: e.base, token: e.contoso}
	var mu sync.Mutex
	var got []http.Header
	var bodies [][]byte
	fail := 2
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		got, bodies = append(got, r.Header.Clone()), append(bodies, b)
		if fail > 0 {
			fail--
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer receiver.Close()
	qid := createQuery(t, c, "SELECT PGAId, Tier FROM ISVTierStatus")
	var rep pcEnvelope[pcReport]
	if code := c.call(t, "POST", "ScheduledReport", map[string]any{"ReportName": "cb", "QueryId": qid, "ExecuteNow": true,
		"CallbackUrl": receiver.URL + "/cb"}, &rep); code != 200 {
		t.Fatalf("create: %d %v", code, rep.Message)
	}
	secret := *rep.Value[0].CallbackSecret
	steps := []struct {
		at       time.Duration
		attempts int
		status   string
	}{
		{0, 1, "Pending"},                // 503
		{30 * time.Second, 1, "Pending"}, // not yet
		{time.Minute, 2, "Pending"},      // 503 again
		{5 * time.Minute, 2, "Pending"},  // the second wait is 5 minutes from the second attempt
		{6 * time.Minute, 3, "Delivered"},
		{time.Hour, 3, "Delivered"},
	}
	for _, st := range steps {
		clk.Set(t0.Add(st.at))
		e.runDue(t)
		var ex pcEnvelope[pcExecution]
		c.call(t, "GET", "ScheduledReport/execution/"+rep.Value[0].ReportID, nil, &ex)
		x := ex.Value[0]
		if x.CallbackAttempts != st.attempts || *x.CallbackStatus != st.status {
			t.Fatalf("at +%v: %d attempts, %s; want %d, %s", st.at, x.CallbackAttempts, *x.CallbackStatus, st.attempts, st.status)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for i, h := range got {
		if h.Get("webhook-id") != got[0].Get("webhook-id") {
			t.Fatal("the webhook-id changed between attempts")
		}
		at := []time.Duration{0, time.Minute, 6 * time.Minute}[i]
		if err := analytics.VerifyWebhook(secret, h, bodies[i], t0.Add(at), time.Minute); err != nil {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	rows, err := e.store.Query(context.Background(), `SELECT attempt, status_code FROM analytics_callback_attempts ORDER BY attempt`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var codes []int
	for rows.Next() {
		var n, code int
		if err := rows.Scan(&n, &code); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, code)
	}
	if len(codes) != 3 || codes[0] != 503 || codes[1] != 503 || codes[2] != 200 {
		t.Fatalf("recorded attempts %v", codes)
	}
}

// TestCallbackGivesUp: after the last back-off the callback is Failed.
func TestCallbackGivesUp(t *testing.T) {
	clk := &clock{t: t0}
	e := newEnv(t, clk.Now)
	c := pcClient{base: e.base, token: e.contoso}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer receiver.Close()
	qid := createQuery(t, c, "SELECT PGAId FROM ISVTierStatus")
	var rep pcEnvelope[pcReport]
	c.call(t, "POST", "ScheduledReport", map[string]any{"ReportName": "cb", "QueryId": qid, "ExecuteNow": true, "CallbackUrl": receiver.URL}, &rep)
	for _, at := range []time.Duration{0, time.Minute, 6 * time.Minute, 24 * time.Hour} {
		clk.Set(t0.Add(at))
		e.runDue(t)
	}
	var ex pcEnvelope[pcExecution]
	c.call(t, "GET", "ScheduledReport/execution/"+rep.Value[0].ReportID, nil, &ex)
	if x := ex.Value[0]; x.ExecutionStatus != "Completed" || x.CallbackAttempts != 3 || *x.CallbackStatus != "Failed" {
		t.Fatalf("%+v", x)
	}
}
