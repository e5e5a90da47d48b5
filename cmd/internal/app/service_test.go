package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/cmd/internal/admin"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// TestHelperProcess is not a test: the service tests re-execute the test
// binary to run `insights serve` (or just hold the database) in a process of
// its own, as an operator would, so that it can be killed.
func TestHelperProcess(t *testing.T) {
	switch os.Getenv("INSIGHTS_HELPER") {
	case "serve":
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
		defer stop()
		args := strings.Split(os.Getenv("INSIGHTS_HELPER_ARGS"), "\x1f")
		os.Exit(Execute(ctx, args, os.Stdout, os.Stderr))
	case "hold":
		s, err := duckstore.Open(context.Background(), duckstore.Config{Path: os.Getenv("INSIGHTS_HELPER_ARGS"), Threads: 1, MemoryLimit: "256MB"}, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer s.Close()
		fmt.Println("holding")
		time.Sleep(time.Minute)
		os.Exit(0)
	default:
		t.Skip("helper process for the service tests")
	}
}

// helper is a helper process and what it wrote to stderr.
type helper struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	ready  chan struct{} // closed at its first line on stdout
	done   chan error
}

// startHelper starts the test binary as a helper process in dir.
func startHelper(t *testing.T, dir, kind string, args ...string) *helper {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "INSIGHTS_HELPER="+kind, "INSIGHTS_HELPER_ARGS="+strings.Join(args, "\x1f"))
	cmd.Dir = dir
	h := &helper{cmd: cmd, stderr: &bytes.Buffer{}, ready: make(chan struct{}), done: make(chan error, 1)}
	cmd.Stderr = h.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		first := bufio.NewReader(out)
		_, _ = first.ReadString('\n')
		close(h.ready)
		_, _ = io.Copy(io.Discard, first)
		h.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-h.done
	})
	return h
}

// startServe starts `insights serve` on cfg in a process of its own, in a
// working directory of its own, and waits for its admin socket.
func startServe(t *testing.T, cfg, db string) *helper {
	t.Helper()
	// Its own working directory: the commands' relative paths must be resolved
	// against theirs, not the service's.
	h := startHelper(t, t.TempDir(), "serve", "--config", cfg, "--db", db, "--log-level", "info", "serve", "--addr", "127.0.0.1:0")
	sock := admin.SocketPath(db)
	deadline := time.Now().Add(60 * time.Second)
	for !admin.Alive(sock) {
		select {
		case err := <-h.done:
			t.Fatalf("serve ended before answering: %v\n%s", err, h.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not open %s in time\n%s", sock, h.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return h
}

// stop sends SIGTERM and waits for a clean exit.
func (h *helper) stop(t *testing.T) {
	t.Helper()
	if err := h.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-h.done:
		h.done <- err // for the cleanup
		if err != nil {
			t.Fatalf("serve exited with %v\n%s", err, h.stderr)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not stop\n%s", h.stderr)
	}
}

// serviceFixture is a folder with a database, a landing folder and a
// configuration whose paths are all relative to the folder.
func serviceFixture(t *testing.T, db string) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "insights.duckdb"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "landing"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"fx.csv":        "Currency,Month,RateToUsd\nEUR,2026-02-01,1.08\nXYZ,2026-02-01,1\n",
		"usage.parquet": "PAR1 not really parquet",
	} {
		if err := os.WriteFile(filepath.Join(dir, "landing", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := `[store]
path = "insights.duckdb"
threads = 1
memory_limit = "512MB"
[ingest]
landing = "landing"
quarantine = "quarantine"
[reports]
out = "out"
[schedules]
retries = 0
`
	if err := os.WriteFile(filepath.Join(dir, "insights.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// volatile matches what differs between two runs of the same command:
// clock times, durations, tokens and their ids.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?( UTC)?`), "<time>"},
	{regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s)\b`), "<duration>"},
	{regexp.MustCompile(`mi_[0-9a-f]{16}_[A-Za-z0-9_-]+`), "<token>"},
	{regexp.MustCompile(`\b[0-9a-f]{16}\b`), "<token-id>"},
	{regexp.MustCompile(`"seconds": [0-9.]+`), `"seconds": <n>`},
	// A workbook's size varies with the time written into its properties.
	{regexp.MustCompile(`(\.xlsx\t)\d+ bytes`), "${1}<n> bytes"},
}

func normalize(s string) string {
	for _, v := range volatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// TestCommandsInsideTheService runs every command twice on two copies of the
// same data: once opening the database itself, once while `insights serve`
// holds it (the command goes over the admin socket). Output, errors and exit
// status must be the same.
func TestCommandsInsideTheService(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a service process")
	}
	seed := tiersDB(t)
	direct, served := serviceFixture(t, seed), serviceFixture(t, seed)
	srv := startServe(t, filepath.Join(served, "insights.toml"), filepath.Join(served, "insights.duckdb"))
	sock := admin.SocketPath(filepath.Join(served, "insights.duckdb"))
	if fi, err := os.Stat(sock); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("admin socket %s: %v, mode %v; want 0600", sock, err, fi.Mode())
	}

	// Relative paths in the configuration and on the command line are the
	// client's: each side runs in its own folder.
	exec := func(dir string, args ...string) (string, string, int) {
		t.Chdir(dir)
		var out, errOut bytes.Buffer
		code := Execute(context.Background(), append([]string{"--config", "insights.toml", "--log-level", "warn"}, args...), &out, &errOut)
		return out.String(), errOut.String(), code
	}
	tokenID := func(dir string) string {
		out, _, _ := exec(dir, "tokens", "list", "--format", "csv")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		return strings.SplitN(lines[len(lines)-1], ",", 2)[0]
	}
	steps := []struct {
		name string
		args func(dir string) []string
	}{
		{"ingest with an unreadable file", fixed("ingest", "landing")},
		{"ingest again", fixed("ingest", "--quarantine", "quarantine", "landing/fx.csv")},
		{"transform", fixed("transform", "--as-of", "2026-03-05")},
		{"sql table", fixed("sql", "SELECT partner_id, pga_id FROM partners ORDER BY partner_id")},
		{"sql csv", fixed("sql", "--format", "csv", "SELECT currency, month, rate_to_usd FROM fx_rates ORDER BY ALL")},
		{"sql error", fixed("sql", "SELECT * FROM no_such_table")},
		{"run transform", fixed("run", "transform", "--as-of", "2026-03-05")},
		{"run unknown job", fixed("run", "nope")},
		{"backfill", fixed("backfill", "--from", "2026-02", "--to", "2026-03", "--job", "transform")},
		{"backfill dry run", fixed("backfill", "--from", "2026-01", "--to", "2026-02", "--dry-run")},
		{"runs", fixed("runs", "--format", "json")},
		{"run reports", fixed("run", "reports", "--as-of", "2026-03-31")},
		{"runs json", fixed("runs", "--format", "json", "--limit", "2")},
		{"report one partner", fixed("report", "--partner", "P1", "--period", "2026-02", "--trend", "3m", "--format", "csv,xlsx")},
		{"report all", fixed("report", "--all", "--out", "out2", "--format", "csv")},
		{"report bad format", fixed("report", "--all", "--format", "pdf")},
		{"review-pack", fixed("review-pack")},
		{"tokens create", fixed("tokens", "create", "--partner", "P1", "--note", "finance")},
		{"tokens create rewards", fixed("tokens", "create", "--rewards")},
		{"tokens list", fixed("tokens", "list")},
		{"tokens revoke", func(dir string) []string { return []string{"tokens", "revoke", tokenID(dir)} }},
		{"tokens list after revoke", fixed("tokens", "list", "--format", "json")},
		{"tiers", fixed("tiers", "--as-of", "2026-02-28")},
		{"tiers one PGA", fixed("tiers", "--as-of", "2026-02-28", "--pga", "G", "--format", "json")},
		{"tiers unknown PGA", fixed("tiers", "--pga", "UNKNOWN")},
		{"unlocks", fixed("unlocks", "--format", "csv")},
		{"review list", fixed("review", "list")},
		{"review decide", fixed("review", "decide", "G:tier-1", "approve", "--by", "ann", "--note", "ok", "--at", "2026-03-03T10:00")},
		{"review decide again", fixed("review", "decide", "G:tier-1", "approve", "--by", "bob")},
		{"review decide not ready", fixed("review", "decide", "H:tier-2", "approve", "--by", "bob")},
		{"review history", fixed("review", "history", "--format", "csv")},
		{"benefits list", fixed("benefits", "list", "G", "--as-of", "2026-03-04")},
		{"contacts assign", fixed("contacts", "assign", "G", "--name", "Léa", "--email", "lea@g.example", "--phone", "+33 1 23 45 67 89", "--language", "fr", "--by", "ops", "--at", "2026-03-04T09:00")},
		{"contacts assign account email", fixed("contacts", "assign", "G", "--name", "X", "--email", "owner@g.example", "--phone", "+33 1 23 45 67 89", "--language", "fr", "--by", "ops")},
		{"contacts history", fixed("contacts", "history", "G")},
		{"benefits activate", fixed("benefits", "activate", "G", "G:tier-1:1:Transact:Go-to-market consultation", "--by", "ops", "--at", "2026-03-04T10:00")},
		{"benefits activate again", fixed("benefits", "activate", "G", "G:tier-1:1:Transact:Go-to-market consultation", "--by", "ops")},
		{"contacted list", fixed("contacted", "--list", "--as-of", "2026-03-12")},
		{"contacted", fixed("contacted", "1", "--by", "rita", "--at", "2026-03-05", "--note", "call")},
		{"contacted sla", fixed("contacted", "--sla", "--as-of", "2026-03-20")},
		{"assist list", fixed("assist", "list")},
		{"assist update unknown", fixed("assist", "update", "1", "done", "--by", "rita")},
		{"outbox", fixed("outbox", "--format", "csv")},
		{"attribution summary", fixed("attribution", "summary")},
		{"attribution issues", fixed("attribution", "issues", "--format", "json")},
		{"bad format", fixed("unlocks", "--format", "xml")},
		{"version", fixed("version")},
		{"people add admin", fixed("people", "add", "rita@rewards.example", "--name", "Rita Diaz", "--role", "admin")},
		{"people add partner admin", fixed("people", "add", "mia@g.example", "--name", "Mia", "--company", "G", "--role", "partner-admin")},
		{"people add unknown company", fixed("people", "add", "x@nowhere.example", "--company", "NOPE", "--role", "viewer")},
		{"people role", fixed("people", "role", "mia@g.example", "viewer")},
		{"people remove", fixed("people", "remove", "rita@rewards.example")},
		{"people list", fixed("people", "list", "--removed", "--format", "csv")},
		{"people history", fixed("people", "list", "--history", "--format", "json")},
		{"people tenant add", fixed("people", "tenant", "add", "G", "tid-g")},
		{"people check clean", fixed("people", "check")},
		{"people tenant in two companies", fixed("people", "tenant", "add", "H", "tid-g")},
		{"people check", fixed("people", "check")},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			wantOut, wantErr, wantCode := exec(direct, st.args(direct)...)
			gotOut, gotErr, gotCode := exec(served, st.args(served)...)
			if gotCode != wantCode {
				t.Errorf("exit %d in the service, %d directly\nservice stderr: %s\ndirect stderr: %s", gotCode, wantCode, gotErr, wantErr)
			}
			// Inside the service, relative paths are resolved against the
			// command's folder: the ledger and the log lines show them absolute.
			gotOut = strings.ReplaceAll(gotOut, served, "<dir>")
			wantOut = strings.ReplaceAll(wantOut, direct, "<dir>")
			gotErr, wantErr = withoutLogLines(gotErr), withoutLogLines(wantErr)
			if normalize(gotOut) != normalize(wantOut) {
				t.Errorf("stdout in the service:\n%s\ndirectly:\n%s", gotOut, wantOut)
			}
			if normalize(gotErr) != normalize(wantErr) {
				t.Errorf("stderr in the service:\n%s\ndirectly:\n%s", gotErr, wantErr)
			}
		})
	}
	srv.stop(t)
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Errorf("admin socket left after a clean stop: %v", err)
	}
	log := srv.stderr.String()
	for _, want := range []string{`msg="admin command" args="[--config insights.toml --log-level warn run transform --as-of 2026-03-05]" exit=0`, `msg="job succeeded" job=transform trigger=manual`} {
		if !strings.Contains(log, want) {
			t.Errorf("service log lacks %q:\n%s", want, log)
		}
	}
}

// withoutLogLines drops structured log lines (time=…), keeping messages.
func withoutLogLines(s string) string {
	var keep []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(l, "time=") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "")
}

func fixed(args ...string) func(string) []string { return func(string) []string { return args } }

// TestStaleSocketAfterAKilledService: a service killed with SIGKILL leaves its
// socket; commands then open the database themselves, and the next service
// replaces the socket.
func TestStaleSocketAfterAKilledService(t *testing.T) {
	if testing.Short() {
		t.Skip("starts service processes")
	}
	dir := serviceFixture(t, tiersDB(t))
	cfg, db := filepath.Join(dir, "insights.toml"), filepath.Join(dir, "insights.duckdb")
	t.Chdir(dir) // the configuration's paths are relative
	sock := admin.SocketPath(db)
	first := startServe(t, cfg, db)
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-first.done
	first.done <- nil
	if _, err := os.Stat(sock); err != nil {
		t.Fatalf("a killed service should leave its socket behind: %v", err)
	}
	out, errOut, code := svcExec(t, cfg, "runs")
	if code != 0 || !strings.HasPrefix(out, "run_id") {
		t.Fatalf("runs with a stale socket: exit %d\n%s%s", code, out, errOut)
	}
	second := startServe(t, cfg, db)
	if fi, err := os.Stat(sock); err != nil || fi.Mode().Perm() != admin.SocketMode {
		t.Fatalf("replaced socket: %v %v", err, fi)
	}
	out, errOut, code = svcExec(t, cfg, "run", "transform", "--as-of", "2026-03-05")
	if code != 0 || !strings.Contains(out, "transform as of 2026-03-05 succeeded") {
		t.Fatalf("run through the new service: exit %d\n%s%s", code, out, errOut)
	}
	second.stop(t)
	if !strings.Contains(second.stderr.String(), "replaced a stale admin socket") {
		t.Errorf("the second service did not say it replaced the stale socket:\n%s", second.stderr)
	}
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Errorf("socket left after a clean stop: %v", err)
	}
}

// TestDatabaseHeldByAnotherProgram: no service socket, so the command keeps
// today's one-line error naming the holder.
func TestDatabaseHeldByAnotherProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a helper process")
	}
	dir := serviceFixture(t, tiersDB(t))
	cfg, db := filepath.Join(dir, "insights.toml"), filepath.Join(dir, "insights.duckdb")
	t.Chdir(dir) // the configuration's paths are relative
	h := startHelper(t, dir, "hold", db)
	select {
	case <-h.ready:
	case <-time.After(30 * time.Second):
		t.Fatalf("the helper did not open the database\n%s", h.stderr)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, errOut, code := svcExec(t, cfg, "runs")
		if code != 0 && strings.Contains(errOut, "database is in use by another process") {
			if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, fmt.Sprintf("PID %d", h.cmd.Process.Pid)) {
				t.Errorf("want one line naming PID %d, got %q", h.cmd.Process.Pid, errOut)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("never saw the lock error; last: exit %d %s\nhelper: %s", code, errOut, h.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
