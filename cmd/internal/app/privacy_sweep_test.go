package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/serve/download"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// The privacy fixture (testdata/privacy): two partners and four customers.
//
//	cust-buyerzq  bought Alpha App (Billed through Azure), pay-as-you-go: p-alpha sees everything
//	cust-trialzq  only trialled Alpha App: p-alpha sees the rows, personal fields "***", no Azure subscription
//	cust-elsezq   bought Beta App; with Alpha only Bring Your Own License: masked for p-alpha, shown to p-beta
//	cust-outzq    bought Alpha App but opted out of tracking: no partner sees any row of it
//
// forbidden is what must appear on no surface a partner reads (compared
// without case), by partner; shown is what must appear on each kind of surface,
// so that the sweep is known to have read the partner's data.
var (
	optedOut     = []string{"cust-outzq", "MS-OUTZQ", "Outzq", "otto@outzq.example", "az-sub-outzq", "tenant-outzq", "BA-OUTZQ"}
	trialMasked  = []string{"Tessa", "Quenthrop", "tessa@quenthrop.example", "az-sub-trialzq"}
	elseMasked   = []string{"Elias", "Vardimore", "elias@vardimore.example", "az-sub-elsezq"}
	buyerMasked  = []string{"Bella", "Brightwater", "bella@brightwater.example", "az-sub-buyerzq"}
	privacyRules = map[string][]string{
		"p-alpha": slices.Concat(optedOut, trialMasked, elseMasked),
		"p-beta":  slices.Concat(optedOut, trialMasked, buyerMasked, []string{"az-sub-elsezq"}),
	}
	privacyShown = map[string]map[string][]string{
		"p-alpha": {
			"report files":       {"Bella Brightwater", "bella@brightwater.example", "az-sub-buyerzq", "cust-trialzq", "cust-elsezq", "***"},
			"analytics test":     {"Bella Brightwater", "bella@brightwater.example", "cust-trialzq", "cust-elsezq", "***", "pid-aaaaaaaa", "Q-BUY", "D-BUY"},
			"analytics download": {"Bella Brightwater", "bella@brightwater.example", "cust-trialzq", "***"},
			"portal":             {"pid-1234-zz", "Bella Brightwater", "cust-trialzq", "***"},
			"download API":       {"Bella Brightwater", "cust-trialzq", "***"},
		},
		"p-beta": {
			"report files":       {"Elias Vardimore", "elias@vardimore.example", "cust-elsezq"},
			"analytics test":     {"Elias Vardimore", "elias@vardimore.example"},
			"analytics download": {"Elias Vardimore"},
			"portal":             {"Elias Vardimore"},
			"download API":       {"Elias Vardimore"},
		},
	}
)

// sweeper collects what each partner was shown and fails on any forbidden value.
type sweeper struct {
	t     *testing.T
	store *duckstore.Store // reads Parquet files back
	seen  map[string]map[string]*strings.Builder
}

func (s *sweeper) text(partner, surface, where, text string) {
	s.t.Helper()
	low := strings.ToLower(text)
	for _, f := range privacyRules[partner] {
		if i := strings.Index(low, strings.ToLower(f)); i >= 0 {
			s.t.Errorf("%s: %s %s shows %q: …%s…", partner, surface, where, f, excerpt(text, i))
		}
	}
	if s.seen[partner] == nil {
		s.seen[partner] = map[string]*strings.Builder{}
	}
	if s.seen[partner][surface] == nil {
		s.seen[partner][surface] = &strings.Builder{}
	}
	s.seen[partner][surface].WriteString(text + "\n")
}

func excerpt(s string, i int) string {
	return s[max(0, i-60):min(len(s), i+60)]
}

// file sweeps a file's content, read back as its format: workbook cells,
// Parquet values, text.
func (s *sweeper) file(partner, surface, where string, b []byte) {
	s.t.Helper()
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			s.t.Fatalf("%s: %v", where, err)
		}
		defer f.Close()
		var all strings.Builder
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet)
			if err != nil {
				s.t.Fatalf("%s %s: %v", where, sheet, err)
			}
			for _, r := range rows {
				all.WriteString(sheet + ": " + strings.Join(r, "\t") + "\n")
			}
		}
		s.text(partner, surface, where, all.String())
	case bytes.HasPrefix(b, []byte("PAR1")):
		path := filepath.Join(s.t.TempDir(), "f.parquet")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			s.t.Fatal(err)
		}
		rows, err := s.store.Query(context.Background(), "SELECT * FROM read_parquet(?)", path)
		if err != nil {
			s.t.Fatalf("%s: %v", where, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var all strings.Builder
		all.WriteString(strings.Join(cols, "\t") + "\n")
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				s.t.Fatalf("%s: %v", where, err)
			}
			for _, v := range vals {
				fmt.Fprintf(&all, "%v\t", v)
			}
			all.WriteString("\n")
		}
		if err := rows.Err(); err != nil {
			s.t.Fatalf("%s: %v", where, err)
		}
		s.text(partner, surface, where, all.String())
	default:
		s.text(partner, surface, where, string(b))
	}
}

// TestPrivacySweep builds the privacy fixture, runs the transform and every
// partner report, starts a real service and reads every partner-facing
// surface as each partner: the report files (xlsx, csv, parquet), every
// analytics dataset with every column (test query and the download of a
// finished scheduled-report execution), every portal page reachable from the
// partner's start page (and the files it serves), and the download API. No
// personal field of a customer the partner may not see, and nothing of an
// opted-out customer, may appear anywhere.
func TestPrivacySweep(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end sweep in -short mode")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "insights.duckdb")
	out := filepath.Join(dir, "out")
	fixture, err := duckstore.Open(ctx, duckstore.Config{Path: db, Threads: 1, MemoryLimit: "512MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	testkit.LoadCSVDir(t, fixture, filepath.Join("testdata", "privacy"))
	if err := fixture.Close(); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--db", db, "transform", "--as-of", "2025-07-05")
	mustRun(t, "--db", db, "report", "--all", "--period", "2025-06", "--trend", "3m", "--out", out, "--allow-empty")

	a := &App{Cfg: DefaultConfig(), Out: io.Discard, ErrOut: io.Discard, Log: slog.New(slog.DiscardHandler)}
	a.Cfg.Store = StoreConfig{Path: db, Threads: 1, MemoryLimit: "512MB"}
	a.Cfg.Reports.Out = out
	a.Cfg.Schedules.CronTZ = "UTC"
	store, err := a.Store(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.closeStore() })
	sw := &sweeper{t: t, store: store, seen: map[string]map[string]*strings.Builder{}}
	partners := []string{"p-alpha", "p-beta"}
	tokens := map[string]string{}
	for _, p := range partners {
		if tokens[p], _, err = download.NewDBCatalog(store).CreateToken(ctx, auth.RolePartner, p, ""); err != nil {
			t.Fatal(err)
		}
	}

	// The report files, as written.
	for _, p := range partners {
		n := 0
		err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Base(filepath.Dir(path)) != p {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			n++
			sw.file(p, "report files", filepath.Base(path), b)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n < 3 {
			t.Fatalf("%s: %d report files", p, n)
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := "http://" + ln.Addr().String()
	sigctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	job := scheduler.Job{Name: analyticsJobName, Run: a.analyticsJob().Run}
	go func() { done <- a.serve(sigctx, store, ln, []scheduler.Job{job}) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	client := &http.Client{Timeout: 30 * time.Second}
	get := func(c *http.Client, method, u, tok string, body any) (int, []byte) {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		if !strings.HasPrefix(u, "http") {
			u = host + u
		}
		req, err := http.NewRequest(method, u, rd)
		if err != nil {
			t.Fatal(err)
		}
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		var res *http.Response
		for i := 0; ; i++ { // serve may still be starting
			if res, err = c.Do(req); err == nil || i > 50 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, b
	}
	value := func(b []byte) []map[string]any {
		t.Helper()
		var env struct {
			Value []map[string]any `json:"value"`
		}
		if err := json.Unmarshal(b, &env); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		return env.Value
	}

	// The analytics API: every dataset, every column, as a test query and as
	// the file of a finished execution of a scheduled report.
	const api = "/insights/v1.1/cmp/"
	type pending struct{ partner, dataset, reportID string }
	finish := func(r pending) {
		t.Helper()
		deadline, nudged := time.Now().Add(time.Minute), time.Now()
		for {
			code, b := get(client, "GET", api+"ScheduledReport/execution/"+r.reportID+"?executionStatus=Completed%3BFailed", tokens[r.partner], nil)
			ex := value(b)
			if code == http.StatusOK && len(ex) > 0 && ex[0]["executionStatus"] == "Failed" {
				t.Logf("%s: the execution of %s failed: %v", r.partner, r.dataset, ex[0])
				return
			}
			if code == http.StatusOK && len(ex) > 0 && ex[0]["executionStatus"] == "Completed" {
				link, _ := ex[0]["reportAccessSecureLink"].(string)
				code, file := get(client, "GET", link, "", nil)
				if code != http.StatusOK {
					t.Fatalf("%s: download %s: %d %s", r.partner, r.dataset, code, file)
				}
				sw.file(r.partner, "analytics download", r.dataset, file)
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %s not completed: %d %s", r.partner, r.dataset, code, b)
			}
			if time.Since(nudged) > 3*time.Second { // a kick may have come while the job ran
				run(t, "--db", db, "run", analyticsJobName) // through the service's admin socket
				nudged = time.Now()
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	for _, p := range partners {
		code, b := get(client, "GET", api+"ScheduledDataset", tokens[p], nil)
		if code != http.StatusOK {
			t.Fatalf("datasets: %d %s", code, b)
		}
		datasets := value(b)
		if len(datasets) < 5 {
			t.Fatalf("%d datasets", len(datasets))
		}
		for _, ds := range datasets {
			name, _ := ds["datasetName"].(string)
			var cols []string
			for _, k := range []string{"selectableColumns", "availableMetrics"} {
				l, _ := ds[k].([]any)
				for _, c := range l {
					if s, _ := c.(string); !slices.Contains(cols, s) {
						cols = append(cols, s)
					}
				}
			}
			ranges, _ := ds["availableDateRanges"].([]any)
			span := "LIFETIME"
			if !slices.Contains(ranges, any("LIFETIME")) {
				span, _ = ranges[len(ranges)-1].(string)
			}
			q := "SELECT " + strings.Join(cols, ", ") + " FROM " + name + " TIMESPAN " + span
			code, b := get(client, "GET", api+"ScheduledQueries/testQueryResult?pageSize=10000&exportQuery="+url.QueryEscape(q), tokens[p], nil)
			if code != http.StatusOK {
				t.Fatalf("%s: %s: %d %s", p, q, code, b)
			}
			sw.text(p, "analytics test", name, string(b))
			code, b = get(client, "POST", api+"ScheduledQueries", tokens[p], map[string]any{"name": "sweep " + name, "query": q})
			if code != http.StatusOK || len(value(b)) == 0 {
				t.Fatalf("%s: create query %s: %d %s", p, name, code, b)
			}
			code, b = get(client, "POST", api+"ScheduledReport", tokens[p], map[string]any{
				"reportName": "sweep " + name, "queryId": value(b)[0]["queryId"], "executeNow": true})
			if code != http.StatusOK || len(value(b)) == 0 {
				t.Fatalf("%s: create report %s: %d %s", p, name, code, b)
			}
			// One at a time: a kick while the job runs is refused, and the
			// report would wait for the job's next scheduled pass.
			id, _ := value(b)[0]["reportId"].(string)
			finish(pending{p, name, id})
		}
	}
	// The download API: the list, every file and the tier.
	for _, p := range partners {
		code, b := get(client, "GET", "/v1/reports", tokens[p], nil)
		if code != http.StatusOK {
			t.Fatalf("%s: /v1/reports: %d %s", p, code, b)
		}
		sw.text(p, "download API", "/v1/reports", string(b))
		links := regexp.MustCompile(`"download":\s*"([^"]+)"`).FindAllStringSubmatch(string(b), -1)
		if len(links) < 3 {
			t.Fatalf("%s: %d files listed: %s", p, len(links), b)
		}
		for _, l := range links {
			code, file := get(client, "GET", l[1], tokens[p], nil)
			if code != http.StatusOK {
				t.Fatalf("%s: %s: %d", p, l[1], code)
			}
			sw.file(p, "download API", l[1], file)
		}
		_, b = get(client, "GET", "/v1/tier", tokens[p], nil)
		sw.text(p, "download API", "/v1/tier", string(b))
	}

	// The portal: every page and file reachable from the partner's start page
	// by a link (forms post: their actions are not pages to read).
	href := regexp.MustCompile(`href="(/portal/[^"#]*)"`)
	for _, p := range partners {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
		res, err := c.PostForm(host+"/sign-in", url.Values{"token": {tokens[p]}})
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		start := "/portal/" + p + "/"
		queue, visited := []string{start}, map[string]bool{start: true}
		for len(queue) > 0 {
			page := queue[0]
			queue = queue[1:]
			code, b := get(c, "GET", page, "", nil)
			if code != http.StatusOK {
				t.Fatalf("%s: %s: %d %s", p, page, code, b)
			}
			sw.file(p, "portal", page, b)
			for _, m := range href.FindAllStringSubmatch(string(b), -1) {
				u := html.UnescapeString(m[1])
				if !visited[u] && strings.HasPrefix(u, start) && !strings.HasSuffix(u, "/link") {
					visited[u] = true
					queue = append(queue, u)
				}
			}
		}
		if len(visited) < 4 {
			t.Errorf("%s: the portal crawl reached only %v", p, visited)
		}
		t.Logf("%s: %d portal pages and files read", p, len(visited))
	}

	for p, surfaces := range privacyShown {
		for surface, want := range surfaces {
			got := ""
			if b := sw.seen[p][surface]; b != nil {
				got = strings.ToLower(b.String())
			}
			for _, w := range want {
				if !strings.Contains(got, strings.ToLower(w)) {
					t.Errorf("%s: %s never shows %q: the sweep did not read the data it should", p, surface, w)
				}
			}
		}
	}
}
