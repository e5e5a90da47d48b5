package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// svcConfig writes a configuration file for the service commands.
func svcConfig(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "insights.toml")
	text := `[store]
path = "` + filepath.ToSlash(filepath.Join(dir, "insights.duckdb")) + `"
threads = 1
memory_limit = "256MB"

[reports]
out = "` + filepath.ToSlash(filepath.Join(dir, "out")) + `"

[schedules]
cron_tz = "UTC"
retries = 1
backoff = "1s"

[schedules.jobs]
ingest = "*/15 * * * *"
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func svcExec(t *testing.T, cfg string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Execute(context.Background(), append([]string{"--config", cfg, "--log-level", "warn"}, args...), &out, &errOut)
	return out.String(), errOut.String(), code
}

func svcStore(t *testing.T, dir string) *duckstore.Store {
	t.Helper()
	s, err := duckstore.Open(context.Background(), duckstore.Config{Path: filepath.Join(dir, "insights.duckdb"), Threads: 1, MemoryLimit: "256MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestServiceConfig(t *testing.T) {
	dir := t.TempDir()
	cfg, err := LoadConfig(svcConfig(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Schedules.Backoff != time.Second || cfg.Schedules.Retries != 1 || !cfg.Schedules.CatchUp {
		t.Fatalf("schedules = %+v", cfg.Schedules)
	}
	// A [schedules.jobs] table adds to the default batch schedule.
	if cfg.Schedules.Jobs["ingest"] != "*/15 * * * *" || cfg.Schedules.Jobs["batch"] != "0 3 * * *" {
		t.Fatalf("jobs = %v", cfg.Schedules.Jobs)
	}
	if cfg.Serve.Addr != "127.0.0.1:8080" || cfg.Serve.LinkTTL != 24*time.Hour {
		t.Fatalf("serve defaults = %+v", cfg.Serve)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}

	t.Run("every schedules problem listed", func(t *testing.T) {
		c := defaultSchedulesConfig()
		c.Retries = -1
		c.MaxBackoff = time.Second
		c.CronTZ = "Nowhere/Atlantis"
		c.Jobs = map[string]string{"batch": "0 3 * *", "ingest": "0 61 * * *", "reprots": "0 3 * * *", "transform": "@daily"}
		errs := c.validate()
		all := errors.Join(errs...).Error()
		for _, want := range []string{"retries", "max_backoff", "Nowhere/Atlantis", "job batch", "job ingest", "schedules.jobs.reprots: no such job"} {
			if !strings.Contains(all, want) {
				t.Errorf("errors do not mention %q:\n%s", want, all)
			}
		}
		if len(errs) != 6 {
			t.Fatalf("%d errors, want 6:\n%s", len(errs), all)
		}
	})
	t.Run("every serve problem listed", func(t *testing.T) {
		c := defaultServeConfig()
		c.Addr = "localhost"
		c.Secret = "short"
		c.ReadHeaderTimeout = 0
		c.MaxRequestBytes = 0
		c.PublicURL = "ftp://x"
		errs := c.validate()
		if len(errs) != 5 {
			t.Fatalf("%d errors, want 5: %v", len(errs), errs)
		}
	})
}

func TestRunsCommand(t *testing.T) {
	dir := t.TempDir()
	cfg := svcConfig(t, dir)
	ctx := context.Background()
	s := svcStore(t, dir)
	h := scheduler.NewDBHistory(s)
	at := func(d, hour int) time.Time { return time.Date(2025, 7, d, hour, 0, 0, 0, time.UTC) }
	for _, r := range []scheduler.Run{
		{Job: "batch", Trigger: scheduler.TriggerSchedule, ScheduledAt: at(1, 3), AsOf: at(1, 0), StartedAt: at(1, 3), EndedAt: at(1, 3).Add(90 * time.Second),
			Status: scheduler.StatusSucceeded, Rows: 1200, Attempts: 1},
		{Job: "ingest", Trigger: scheduler.TriggerManual, AsOf: at(2, 0), StartedAt: at(2, 9), EndedAt: at(2, 9).Add(time.Second),
			Status: scheduler.StatusSucceeded, Rows: 5, Attempts: 1},
		{Job: "batch", Trigger: scheduler.TriggerSchedule, ScheduledAt: at(2, 3), AsOf: at(2, 0), StartedAt: at(2, 3), EndedAt: at(2, 3).Add(time.Minute),
			Status: scheduler.StatusFailed, Attempts: 3, Error: "batch: transform: fx rate missing\nfor EUR 2025-06 " + strings.Repeat("x", 300)},
	} {
		if err := h.Record(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		args     []string
		wantJobs []string // newest first
	}{
		{"all", []string{"runs"}, []string{"batch", "ingest", "batch"}},
		{"one job", []string{"runs", "--job", "batch"}, []string{"batch", "batch"}},
		{"limit", []string{"runs", "--limit", "1"}, []string{"batch"}},
		{"no match", []string{"runs", "--job", "reports"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := svcExec(t, cfg, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			header := strings.Fields(lines[0])
			if strings.Join(header, " ") != "run_id job trigger scheduled_utc as_of started_utc seconds status rows attempts error recomputed" {
				t.Fatalf("header %q", lines[0])
			}
			if len(lines)-1 != len(tc.wantJobs) {
				t.Fatalf("%d rows, want %d:\n%s", len(lines)-1, len(tc.wantJobs), out)
			}
			for i, job := range tc.wantJobs {
				if f := strings.Fields(lines[i+1]); f[1] != job {
					t.Fatalf("row %d is %q, want job %s:\n%s", i, lines[i+1], job, out)
				}
			}
		})
	}

	out, _, code := svcExec(t, cfg, "runs", "--format", "json", "--limit", "1")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 {
		t.Fatalf("json: exit %d\n%s", code, out)
	}
	r := rows[0]
	if r["status"] != "failed" || r["attempts"] != float64(3) || r["scheduled_utc"] != "2025-07-02 03:00:00" || r["seconds"] != float64(60) {
		t.Fatalf("latest run = %v", r)
	}
	if e := r["error"].(string); strings.Contains(e, "\n") || !strings.HasSuffix(e, "…") || !strings.Contains(e, "fx rate missing for EUR") {
		t.Fatalf("error column %q: want one line, cut short", e)
	}
}

func TestBackfillDryRun(t *testing.T) {
	dir := t.TempDir()
	cfg := svcConfig(t, dir)
	out, errOut, code := svcExec(t, cfg, "backfill", "--from", "2024-12", "--to", "2025-02", "--dry-run")
	want := "would run batch as of 2024-12-31\nwould run batch as of 2025-01-31\nwould run batch as of 2025-02-28\n"
	if code != 0 || out != want {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "insights.duckdb")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("a dry run opened the database")
	}
	for _, tc := range []struct{ name, from, to, want string }{
		{"reversed", "2025-06", "2025-01", "before"},
		{"not a month", "2025-13", "2025-14", "YYYY-MM"},
		{"too long", "2000-01", "2025-01", "more than 120 months"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := svcExec(t, cfg, "backfill", "--from", tc.from, "--to", tc.to, "--dry-run")
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d: %s", code, errOut)
			}
		})
	}
	if _, errOut, code := svcExec(t, cfg, "backfill", "--from", "2025-01", "--to", "2025-01", "--job", "nope", "--dry-run"); code == 0 || !strings.Contains(errOut, "unknown job") {
		t.Fatalf("unknown job: exit %d %s", code, errOut)
	}
}

func TestTokensCommands(t *testing.T) {
	dir := t.TempDir()
	cfg := svcConfig(t, dir)
	out, errOut, code := svcExec(t, cfg, "tokens", "create", "--partner", "P1", "--note", "finance")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	token := strings.TrimSpace(out)
	if !strings.HasPrefix(token, "mi_") || strings.Contains(token, "\n") || !strings.Contains(errOut, "shown only now") {
		t.Fatalf("stdout %q stderr %q", out, errOut)
	}
	tokenID := token[3:19]

	// Only the hash is stored: no column of the row holds the token or its secret part.
	s := svcStore(t, dir)
	rows, err := s.Query(context.Background(), `SELECT * FROM api_tokens`)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	n := 0
	for rows.Next() {
		n++
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := map[string]any{}
		for i, c := range cols {
			row[c] = vals[i]
			if s, ok := vals[i].(string); ok && (strings.Contains(s, token) || strings.Contains(s, token[20:])) {
				t.Fatalf("column %s stores the token", c)
			}
		}
		sum := sha256.Sum256([]byte(token))
		if row["token_sha256"] != hex.EncodeToString(sum[:]) || row["token_id"] != tokenID || row["partner_id"] != "P1" {
			t.Fatalf("row = %v", row)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	s.Close()
	if n != 1 {
		t.Fatalf("%d token rows", n)
	}

	out, _, code = svcExec(t, cfg, "tokens", "list")
	if code != 0 || !strings.Contains(out, tokenID) || strings.Contains(out, token) || !strings.Contains(out, "finance") {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
	if out, errOut, code := svcExec(t, cfg, "tokens", "revoke", tokenID); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke: exit %d %s", code, errOut)
	}
	if _, errOut, code := svcExec(t, cfg, "tokens", "revoke", tokenID); code == 0 || !strings.Contains(errOut, "not found") {
		t.Fatalf("second revoke: exit %d %s", code, errOut)
	}
	out, _, _ = svcExec(t, cfg, "tokens", "list", "--format", "json")
	var listed []map[string]any
	if err := json.Unmarshal([]byte(out), &listed); err != nil || len(listed) != 1 || listed[0]["revoked_utc"] == "" {
		t.Fatalf("after revoke: %s", out)
	}
	for _, args := range [][]string{{"tokens", "create"}, {"tokens", "create", "--partner", "P1", "--rewards"}} {
		if _, _, code := svcExec(t, cfg, args...); code == 0 {
			t.Fatalf("%v accepted", args)
		}
	}
}

// TestServeGracefulShutdownMidJob starts the service, which catches up a
// missed run at start; SIGINT arrives while that job is writing its output.
func TestServeGracefulShutdownMidJob(t *testing.T) {
	tests := []struct {
		name   string
		bound  time.Duration
		finish bool // the job completes by itself once shutdown has begun
		want   scheduler.Status
	}{
		{"job cancelled at the bound", 100 * time.Millisecond, false, scheduler.StatusFailed},
		{"job finishes within the bound", 20 * time.Second, true, scheduler.StatusSucceeded},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			var logs bytes.Buffer
			a := &App{Cfg: DefaultConfig(), Out: io.Discard, ErrOut: io.Discard, Log: slog.New(slog.NewTextHandler(&logs, nil))}
			a.Cfg.Store = StoreConfig{Path: filepath.Join(dir, "insights.duckdb"), Threads: 1, MemoryLimit: "256MB"}
			a.Cfg.Reports.Out = filepath.Join(dir, "out")
			a.Cfg.Serve.ShutdownTimeout = tc.bound
			a.Cfg.Schedules.CronTZ = "UTC"
			store, err := a.Store(ctx)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = a.closeStore() })
			// The service last ran "reports" for an activation three days ago.
			last := time.Now().UTC().Add(-72 * time.Hour).Truncate(time.Hour)
			if err := scheduler.NewDBHistory(store).Record(ctx, &scheduler.Run{Job: "reports", Trigger: scheduler.TriggerSchedule,
				ScheduledAt: last, AsOf: last, StartedAt: last, EndedAt: last, Status: scheduler.StatusSucceeded, Attempts: 1}); err != nil {
				t.Fatal(err)
			}

			final := filepath.Join(a.Cfg.Reports.Out, "P1", "orders.xlsx")
			started, release, cancelled := make(chan struct{}), make(chan struct{}), make(chan struct{})
			job := scheduler.Job{Name: "reports", Spec: "0 * * * *", Run: func(ctx context.Context, _ time.Time) (int64, error) {
				// Write the way the report writer does: a temp file, renamed when complete.
				tmp := final + ".tmp"
				if err := os.MkdirAll(filepath.Dir(tmp), 0o755); err != nil {
					return 0, err
				}
				if err := os.WriteFile(tmp, []byte("half a workbook"), 0o644); err != nil {
					return 0, err
				}
				close(started)
				select {
				case <-release:
					return 1, os.Rename(tmp, final)
				case <-ctx.Done():
					close(cancelled)
					return 0, errors.Join(ctx.Err(), os.Remove(tmp))
				}
			}}

			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			health := "http://" + ln.Addr().String() + "/healthz"
			sigctx, sigint := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- a.serve(sigctx, store, ln, []scheduler.Job{job}) }()
			select {
			case <-started:
			case <-time.After(10 * time.Second):
				t.Fatal("the missed run was not caught up")
			}
			res, err := http.Get(health)
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("healthz while running: %v %v", res, err)
			}
			res.Body.Close()

			begin := time.Now()
			sigint()
			if tc.finish {
				close(release)
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("serve: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("serve did not stop")
			}
			if took := time.Since(begin); took > tc.bound+5*time.Second {
				t.Fatalf("shutdown took %v, bound %v", took, tc.bound)
			}
			if !tc.finish {
				select {
				case <-cancelled:
				default:
					t.Fatal("the running job was not cancelled")
				}
			}
			if _, err := http.Get(health); err == nil {
				t.Fatal("still accepting after shutdown")
			}

			// No partial output: either the whole file or nothing, never the temp file.
			_, statErr := os.Stat(final)
			if tc.finish != (statErr == nil) {
				t.Fatalf("final output present = %v, want %v", statErr == nil, tc.finish)
			}
			_ = filepath.WalkDir(a.Cfg.Reports.Out, func(p string, d fs.DirEntry, err error) error {
				if err == nil && strings.HasSuffix(p, ".tmp") {
					t.Errorf("partial output left: %s", p)
				}
				return nil
			})

			// The run is in the history (written before the database closes).
			var status, trig, errText string
			if err := store.QueryRow(ctx, `SELECT status, trigger_kind, coalesce(error_message, '') FROM job_runs WHERE job = 'reports' ORDER BY run_id DESC LIMIT 1`).
				Scan(&status, &trig, &errText); err != nil {
				t.Fatal(err)
			}
			if status != string(tc.want) || trig != string(scheduler.TriggerCatchUp) {
				t.Fatalf("recorded %s/%s (%s), want %s/catch-up", status, trig, errText, tc.want)
			}
			if !tc.finish && !strings.Contains(errText, "context canceled") {
				t.Fatalf("cancelled run error %q", errText)
			}
			if !strings.Contains(logs.String(), "shutting down") {
				t.Fatal("shutdown not logged")
			}
		})
	}
}
