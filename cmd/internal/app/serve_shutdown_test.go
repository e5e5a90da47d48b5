package app

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/serve/download"
)

// lockedBuffer is an io.Writer the serving goroutine and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeExitStatusAfterCuttingSlowClient: a download that outlasts
// shutdown_timeout is cut and logged as a warning, and `serve` still exits 0
// (issue 15 item 5). The exit code is Execute's, which main passes to os.Exit.
func TestServeExitStatusAfterCuttingSlowClient(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cfg := filepath.Join(dir, "insights.toml")
	if err := os.WriteFile(cfg, []byte(`[store]
path = "`+filepath.ToSlash(filepath.Join(dir, "insights.duckdb"))+`"
threads = 1
memory_limit = "256MB"

[reports]
out = "`+filepath.ToSlash(out)+`"

[serve]
shutdown_timeout = "300ms"
`), 0o644); err != nil {
		t.Fatal(err)
	}

	// A report far larger than the loopback socket buffers, so a client that
	// stops reading keeps the download in flight.
	rel := "2025-06-30/P1/big.csv"
	if err := os.MkdirAll(filepath.Join(out, "2025-06-30/P1"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, rel), bytes.Repeat([]byte("0123456789abcdef"), 4<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	store := svcStore(t, dir)
	if _, err := store.Exec(ctx, `INSERT INTO report_files VALUES ('aaaaaaaaaaaaaaaaaaaaaaa1', 'P1', 'partner', DATE '2025-06-30',
		'2025-06', 'big.csv', 'csv', ?, 67108864, '', TIMESTAMP '2025-07-01 00:00:00', NULL)`, rel); err != nil {
		t.Fatal(err)
	}
	token, _, err := download.NewDBCatalog(store).CreateToken(ctx, auth.RolePartner, "P1", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	stdoutR, stdoutW := io.Pipe()
	var stderr lockedBuffer
	sigctx, sigterm := context.WithCancel(ctx)
	defer sigterm()
	code := make(chan int, 1)
	go func() {
		code <- Execute(sigctx, []string{"--config", cfg, "--log-level", "warn", "serve", "--addr", "127.0.0.1:0"}, stdoutW, &stderr)
		stdoutW.Close()
	}()
	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no address: %v; stderr: %s", err, stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, stdoutR) }()
	addr := regexp.MustCompile(`http://(\S+)`).FindStringSubmatch(line)
	if addr == nil {
		t.Fatalf("no address in %q", line)
	}

	// Every job's series is on /metrics before any run (issue 10 item 4).
	res, err := http.Get("http://" + addr[1] + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, job := range []string{"ingest", "transform", "reports", "review-pack", "batch"} {
		for _, want := range []string{
			`insights_job_runs_total{job="` + job + `",status="failed"} 0`,
			`insights_job_failures_total{job="` + job + `"} 0`,
			`insights_job_running{job="` + job + `"} 0`,
		} {
			if !strings.Contains(string(metrics), want) {
				t.Errorf("/metrics before any run lacks %s", want)
			}
		}
	}

	conn, err := net.Dial("tcp", addr[1])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /v1/reports/aaaaaaaaaaaaaaaaaaaaaaa1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 64)
	if _, err := io.ReadFull(conn, head); err != nil || !strings.HasPrefix(string(head), "HTTP/1.1 200") {
		t.Fatalf("download did not start: %q %v", head, err)
	}
	// The client now stops reading: the download cannot finish.

	sigterm()
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit status %d after an orderly shutdown, want 0; stderr:\n%s", c, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(stderr.String(), "level=WARN") || !strings.Contains(stderr.String(), "shutdown bound reached") {
		t.Fatalf("cutting the slow client was not logged as a warning:\n%s", stderr.String())
	}
	// The slow client was cut, not served to the end.
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, _ := io.Copy(io.Discard, conn)
	if n >= 64<<20 {
		t.Fatalf("the slow client got the whole file (%d bytes)", n)
	}
}
