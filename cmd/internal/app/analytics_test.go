package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/serve/download"
)

// TestServeMountsAnalytics: serve answers the analytics API beside the
// download API with the same tokens, and a report created with ExecuteNow
// runs at once as a manual run of the analytics-reports job.
func TestServeMountsAnalytics(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := &App{Cfg: DefaultConfig(), Out: io.Discard, ErrOut: io.Discard, Log: slog.New(slog.DiscardHandler)}
	a.Cfg.Store = StoreConfig{Path: filepath.Join(dir, "insights.duckdb"), Threads: 1, MemoryLimit: "256MB"}
	a.Cfg.Reports.Out = filepath.Join(dir, "out")
	a.Cfg.Schedules.CronTZ = "UTC"
	store, err := a.Store(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.closeStore() })
	token, _, err := download.NewDBCatalog(store).CreateToken(ctx, auth.RolePartner, "P1", "")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String() + "/insights/v1.1/cmp/"
	sigctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	job := scheduler.Job{Name: analyticsJobName, Run: a.analyticsJob().Run} // not scheduled: kicked only
	go func() { done <- a.serve(sigctx, store, ln, []scheduler.Job{job}) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})

	call := func(method, path, tok string, body any) (int, map[string]any) {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, base+path, rd)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		var res *http.Response
		for i := 0; ; i++ { // serve may still be starting
			if res, err = http.DefaultClient.Do(req); err == nil || i > 50 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatalf("%s %s: %d: %v", method, path, res.StatusCode, err)
		}
		return res.StatusCode, out
	}
	first := func(m map[string]any) map[string]any {
		v, _ := m["value"].([]any)
		if len(v) == 0 {
			return nil
		}
		r, _ := v[0].(map[string]any)
		return r
	}

	if code, _ := call("GET", "ScheduledDataset", "", nil); code != http.StatusUnauthorized {
		t.Fatalf("no token: %d", code)
	}
	code, q := call("POST", "ScheduledQueries", token, map[string]any{"name": "tier", "query": "SELECT PGAId, Tier FROM ISVTierStatus"})
	if code != 200 || first(q) == nil {
		t.Fatalf("create query: %d %v", code, q)
	}
	code, r := call("POST", "ScheduledReport", token, map[string]any{"reportName": "tier now", "queryId": first(q)["queryId"], "executeNow": true})
	if code != 200 || first(r) == nil {
		t.Fatalf("create report: %d %v", code, r)
	}
	id, _ := first(r)["reportId"].(string)
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, ex := call("GET", "ScheduledReport/execution/"+id, token, nil)
		if code == 200 && first(ex)["executionStatus"] == "Completed" {
			link, _ := first(ex)["reportAccessSecureLink"].(string)
			if !strings.HasPrefix(link, "http://"+ln.Addr().String()+"/insights/v1.1/cmp/ScheduledReport/download/") {
				t.Fatalf("link %q", link)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not completed: %d %v", code, ex)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The pass records its run after it completed the execution, so a loaded
	// machine may show "Completed" a moment before the run history has it.
	for {
		var manual int
		err := store.QueryRow(ctx, `SELECT count(*) FROM job_runs WHERE job = ? AND trigger_kind = 'manual' AND status = 'succeeded'`,
			analyticsJobName).Scan(&manual)
		if err == nil && manual > 0 {
			break
		}
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("ExecuteNow is not in the run history: %d %v", manual, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestAnalyticsConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "insights.toml")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("[analytics]\nfile_ttl = \"72h\"\ncallback_allow_private = true\n")
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	got := (&App{Cfg: cfg}).analyticsConfig([]byte("k"), "http://127.0.0.1:1")
	if got.FileTTL != 72*time.Hour || !got.Callbacks.AllowPrivate || !got.Callbacks.AllowLoopback || got.PublicURL != "http://127.0.0.1:1" {
		t.Fatalf("analytics config %+v", got)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	write("[analytics]\nfile_ttl = \"2400h\"\n")
	if cfg, err = LoadConfig(path); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "analytics.file_ttl") {
		t.Fatalf("a file TTL past the history: %v", err)
	}
	if d := DefaultConfig().Analytics; d.CallbackAllowPrivate || !d.CallbackAllowLoopback || d.FileTTL != 30*24*time.Hour {
		t.Fatalf("defaults %+v", d)
	}
}

// TestOnlyThePollerIsQuiet: the scheduler gets the analytics-reports job as
// quiet when idle (its idle passes stay out of `insights runs`), and every
// other job as recorded whatever it did.
func TestOnlyThePollerIsQuiet(t *testing.T) {
	a := &App{Cfg: DefaultConfig(), Out: io.Discard, ErrOut: io.Discard, Log: slog.New(slog.DiscardHandler)}
	jobs := a.scheduledJobs()
	if len(jobs) < 5 {
		t.Fatalf("%d jobs", len(jobs))
	}
	for _, j := range jobs {
		if want := j.Name == analyticsJobName; j.QuietWhenIdle != want {
			t.Errorf("%s: quiet when idle = %v, want %v", j.Name, j.QuietWhenIdle, want)
		}
	}
}
