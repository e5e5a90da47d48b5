package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/serve/download"
)

// BenchmarkServeLoad drives `serve` at a fixed rate on loopback with vegeta:
// a mix of report listings (40 %), 1 MB downloads (20 %), health checks
// (20 %) and unauthorised requests (20 %), first alone, then while a whole
// batch runs in the same process. Targets (issue 15): ≥ 990 completed per
// second, no errors, p99 < 250 ms; p99 < 1 s during the batch.
//
// INSIGHTS_BENCH_LOAD_SECONDS (default 60) and INSIGHTS_BENCH_LOAD_RATE
// (default 1000) change the duration and rate of each phase.
func BenchmarkServeLoad(b *testing.B) {
	seconds := envInt(b, "INSIGHTS_BENCH_LOAD_SECONDS", 60)
	rate := envInt(b, "INSIGHTS_BENCH_LOAD_RATE", 1000)
	ctx := context.Background()
	dir := b.TempDir()
	asOf := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)

	// The demo's data, loaded and reported once, as a running service has it.
	landing := filepath.Join(dir, "landing")
	a := &App{Cfg: DefaultConfig(), Out: io.Discard, ErrOut: io.Discard,
		// The access log is formatted as in production, then dropped.
		Log: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	a.Cfg.Store = StoreConfig{Path: filepath.Join(dir, "insights.duckdb"), Threads: 2, MemoryLimit: "1GB"}
	a.Cfg.Reports.Out = filepath.Join(dir, "out")
	a.Cfg.Ingest.Landing = landing
	a.Cfg.Ingest.Quarantine = filepath.Join(dir, "quarantine")
	if code := Execute(ctx, []string{"--log-level", "error", "gen", "--out", landing, "--scale", "1", "--seed", "1"}, io.Discard, os.Stderr); code != 0 {
		b.Fatalf("gen: exit %d", code)
	}
	batch, err := a.job("batch")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := batch.Run(ctx, asOf); err != nil {
		b.Fatalf("batch: %v", err)
	}
	store, err := a.Store(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = a.closeStore() })

	// A token and a 1 MB download for every partner.
	partners, err := reports.Partners(ctx, store)
	if err != nil || len(partners) == 0 {
		b.Fatalf("partners: %v", err)
	}
	db := download.NewDBCatalog(store)
	big := bytes.Repeat([]byte("2026-10,offer,plan,US,123.45\n"), 1<<20/29+1)[:1<<20]
	var tokens, bigIDs []string
	for i, p := range partners {
		tok, _, err := db.CreateToken(ctx, auth.RolePartner, p.ID, "bench")
		if err != nil {
			b.Fatal(err)
		}
		tokens = append(tokens, tok)
		rel := "bench/" + p.ID + "/big_1mb.csv"
		full := filepath.Join(a.Cfg.Reports.Out, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(full, big, 0o644); err != nil {
			b.Fatal(err)
		}
		id := fmt.Sprintf("%024x", 0xbe0000+i)
		if _, err := store.Exec(ctx, `INSERT INTO report_files (report_id, partner_id, audience, as_of, period, name, format, path, size_bytes, created_at)
			VALUES (?, ?, 'partner', DATE '2026-10-31', '2026-10', 'big_1mb.csv', 'csv', ?, ?, now())`, id, p.ID, rel, len(big)); err != nil {
			b.Fatal(err)
		}
		bigIDs = append(bigIDs, id)
	}
	if _, err := reports.RepairManifest(ctx, store, a.Cfg.Reports.Out); err != nil { // hashes the new files
		b.Fatal(err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	var jobs []scheduler.Job // nothing on a schedule: the batch is started below
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- a.serve(sctx, store, ln, jobs) }()
	b.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			b.Errorf("serve: %v", err)
		}
	})
	waitHealthy(b, base)

	// The mix, in a fixed round-robin order: of every ten requests four
	// listings, two downloads, two health checks, two unauthorised.
	var targets []vegeta.Target
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
	for i := range 10 * len(partners) {
		p := i % len(partners)
		switch i % 10 {
		case 0, 3, 5, 8:
			targets = append(targets, vegeta.Target{Method: "GET", URL: base + "/v1/reports", Header: bearer(tokens[p])})
		case 1, 6:
			targets = append(targets, vegeta.Target{Method: "GET", URL: base + "/v1/reports/" + bigIDs[p], Header: bearer(tokens[p])})
		case 2, 7:
			targets = append(targets, vegeta.Target{Method: "GET", URL: base + "/healthz"})
		default: // a well-formed token nobody has: must cost no database read
			fake := fmt.Sprintf("mi_%016x_%s", 0xdead0000+i, strings.Repeat("A", 43))
			targets = append(targets, vegeta.Target{Method: "GET", URL: base + "/v1/tier", Header: bearer(fake)})
		}
	}

	phase := func(name string) loadResult {
		return attack(b, targets, rate, time.Duration(seconds)*time.Second, name)
	}
	rssBefore := rssMB(b)
	b.ResetTimer()
	cpu0 := cpuTime(b)
	alone := phase("alone")
	// CPU of server and client per request: what the rate costs whatever
	// share of the machine the process gets (it is shared with other work).
	cpuPerReq := (cpuTime(b) - cpu0) / time.Duration(max(alone.total, 1))
	rssAlone := rssMB(b)

	// The same load while the whole batch runs (again and again, for the phase).
	batchCtx, stopBatch := context.WithCancel(ctx)
	var batches atomic.Int64
	batchDone := make(chan error, 1)
	go func() {
		for batchCtx.Err() == nil {
			if _, err := batch.Run(batchCtx, asOf); err != nil && batchCtx.Err() == nil {
				batchDone <- err
				return
			}
			batches.Add(1)
		}
		batchDone <- nil
	}()
	during := phase("during a batch")
	stopBatch()
	if err := <-batchDone; err != nil {
		b.Errorf("batch during the load: %v", err)
	}
	b.StopTimer()
	rssAfter := rssMB(b)

	for _, r := range []loadResult{alone, during} {
		b.Logf("%-15s sent %.0f/s, completed %.0f/s, errors %d of %d, p50 %s, p99 %s, max %s",
			r.name, r.sent, r.completed, r.errors, r.total, r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond), r.max.Round(time.Millisecond))
		for msg, n := range r.errorKinds {
			b.Logf("%-15s   %d × %s", r.name, n, msg)
		}
	}
	b.Logf("RSS %.0f MB before, %.0f MB after the load alone, %.0f MB after the load with batches (%d whole batches ran)",
		rssBefore, rssAlone, rssAfter, batches.Load())
	b.Logf("CPU (server and client) per request, load alone: %s", cpuPerReq.Round(time.Microsecond))
	b.ReportMetric(alone.completed, "completed/s")
	b.ReportMetric(float64(alone.errors), "errors")
	b.ReportMetric(float64(alone.p50.Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(alone.p99.Microseconds())/1000, "p99_ms")
	b.ReportMetric(during.completed, "batch_completed/s")
	b.ReportMetric(float64(during.errors), "batch_errors")
	b.ReportMetric(float64(during.p99.Microseconds())/1000, "batch_p99_ms")
	b.ReportMetric(float64(cpuPerReq.Microseconds()), "cpu_us/req")
	b.ReportMetric(rssBefore, "rss_before_MB")
	b.ReportMetric(rssAlone, "rss_alone_MB")
	b.ReportMetric(rssAfter, "rss_after_MB")
}

type loadResult struct {
	name            string
	sent, completed float64 // per second
	total, errors   int
	errorKinds      map[string]int
	p50, p99, max   time.Duration
}

// attack sends targets at rate for d and measures what came back. A request
// is an error if it failed or got another status than its kind should:
// 401 for the unauthorised ones (on /v1/tier), 200 for the rest.
func attack(b *testing.B, targets []vegeta.Target, rate int, d time.Duration, name string) loadResult {
	client := &http.Client{Timeout: 30 * time.Second, Transport: bigReads{&http.Transport{
		MaxIdleConnsPerHost: 10000, IdleConnTimeout: time.Minute, DisableCompression: true}}}
	atk := vegeta.NewAttacker(vegeta.Client(client), vegeta.Workers(32), vegeta.MaxWorkers(2000), vegeta.MaxBody(0))
	var m vegeta.Metrics
	res := loadResult{name: name, errorKinds: map[string]int{}}
	start := time.Now()
	for r := range atk.Attack(vegeta.NewStaticTargeter(targets...), vegeta.Rate{Freq: rate, Per: time.Second}, d, name) {
		m.Add(r)
		want := http.StatusOK
		if strings.HasSuffix(r.URL, "/v1/tier") {
			want = http.StatusUnauthorized
		}
		res.total++
		// vegeta puts the status text of a 4xx in Error too; a failed
		// request has code 0, so the code alone decides.
		if int(r.Code) != want {
			res.errors++
			res.errorKinds[fmt.Sprintf("%d %s", r.Code, r.Error)]++
		}
	}
	elapsed := time.Since(start)
	m.Close()
	res.sent = m.Rate
	res.completed = float64(res.total-res.errors) / elapsed.Seconds()
	res.p50, res.p99, res.max = m.Latencies.P50, m.Latencies.P99, m.Latencies.Max
	return res
}

// bigReads gives response bodies a WriterTo with a 256 KB buffer: vegeta
// drains a body with io.Copy into io.Discard, which otherwise reads 8 KB at a
// time (128 system calls per megabyte), so the client, not the server, would
// set the pace on a small machine. curl and browsers read in large blocks too.
type bigReads struct{ rt http.RoundTripper }

func (b bigReads) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := b.rt.RoundTrip(r)
	if err == nil {
		res.Body = bigReadBody{res.Body}
	}
	return res, err
}

type bigReadBody struct{ io.ReadCloser }

var readBuffers = sync.Pool{New: func() any { return new([256 << 10]byte) }}

func (b bigReadBody) WriteTo(w io.Writer) (int64, error) {
	buf := readBuffers.Get().(*[256 << 10]byte)
	defer readBuffers.Put(buf)
	return io.CopyBuffer(struct{ io.Writer }{w}, b.ReadCloser, buf[:])
}

func waitHealthy(b *testing.B, base string) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Fatal("serve did not become healthy")
}

// cpuTime is the user and system CPU this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rssMB is this process's resident set (server and client together).
func rssMB(b *testing.B) float64 {
	text, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Logf("no RSS: %v", err)
		return 0
	}
	for _, line := range strings.Split(string(text), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}
