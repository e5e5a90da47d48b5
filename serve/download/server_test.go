package download

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/marketplace-insights/insights/serve"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// Report ids as the report generator makes them: 24 hex digits.
const (
	idP1      = "aaaaaaaaaaaaaaaaaaaaaaa1"
	idP2      = "bbbbbbbbbbbbbbbbbbbbbbb2"
	idPack    = "ccccccccccccccccccccccc3"
	idEscape  = "ddddddddddddddddddddddd4" // manifest row pointing outside the out root
	idAbs     = "eeeeeeeeeeeeeeeeeeeeeee5" // manifest row with an absolute path
	idMissing = "fffffffffffffffffffffff6" // manifest row whose file is gone
	secretTxt = "TOP SECRET, NOT A REPORT"
)

type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeNow) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeNow) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

// env is a running server on a random loopback port with real data.
type env struct {
	base                     string
	now                      *fakeNow
	logs                     *testkit.LogBuffer
	tokP1, tokP2, tokRewards string
	tokRevoked, tokRevokedID string
	xlsx                     []byte
	stop                     func() error
	store                    *duckstore.Store
	db                       *DBCatalog
	cat                      *CachedCatalog // what the server reads
	out                      string
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func startEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := duckstore.Open(ctx, duckstore.Config{Path: filepath.Join(dir, "t.duckdb"), Threads: 1, MemoryLimit: "256MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })

	out := filepath.Join(dir, "out")
	e := &env{now: &fakeNow{t: time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC)}, logs: &testkit.LogBuffer{}, store: store, out: out}
	e.xlsx = []byte("PK\x03\x04 pretend workbook for P1")
	writeFile(t, filepath.Join(out, "2025-06-30/P1/orders_2025-06.xlsx"), e.xlsx)
	writeFile(t, filepath.Join(out, "2025-06-30/P2/orders_2025-06.csv"), []byte("a,b\n1,2\n"))
	writeFile(t, filepath.Join(out, "2025-06-30/rewards/review_pack.xlsx"), []byte("PK review pack"))
	writeFile(t, filepath.Join(dir, "secret.txt"), []byte(secretTxt))

	for _, r := range []struct{ id, partner, audience, name, format, path string }{
		{idP1, "P1", "partner", "orders_2025-06.xlsx", "xlsx", "2025-06-30/P1/orders_2025-06.xlsx"},
		{idP2, "P2", "partner", "orders_2025-06.csv", "csv", "2025-06-30/P2/orders_2025-06.csv"},
		{idPack, "", "rewards", "review_pack.xlsx", "xlsx", "2025-06-30/rewards/review_pack.xlsx"},
		{idEscape, "P1", "partner", "escape.csv", "csv", "../secret.txt"},
		{idAbs, "P1", "partner", "abs.csv", "csv", filepath.ToSlash(filepath.Join(dir, "secret.txt"))},
		{idMissing, "P1", "partner", "gone.csv", "csv", "2025-06-30/P1/gone.csv"},
	} {
		var partner any
		if r.partner != "" {
			partner = r.partner
		}
		testkit.Exec(t, store, `INSERT INTO report_files VALUES (?, ?, ?, DATE '2025-06-30', '2025-06', ?, ?, ?, 10, ?, TIMESTAMP '2025-07-01 02:00:00', NULL)`,
			r.id, partner, r.audience, r.name, r.format, r.path, strings.Repeat("ab", 32))
	}
	testkit.Exec(t, store, `INSERT INTO partners (partner_id, pga_id, _file_id) VALUES ('P1', 'PGA1', 0), ('P1b', 'PGA1', 0), ('P2', 'PGA2', 0)`)
	testkit.Exec(t, store, `INSERT INTO tier_status_data (pga_id, as_of, ttm_billed_sales_usd, tier, tier_rank, next_tier, gap_usd, run_rate_usd, projected_month)
		VALUES ('PGA1', DATE '2025-05-31', 900000.00, 'Tier 1', 1, 'Tier 2', 100000.00, 1.00, '2025-09'),
		       ('PGA1', DATE '2025-06-30', 1234567.89, 'Tier 2', 2, 'Tier 3', 765432.11, 1.00, 'not at current pace')`)

	cat := NewDBCatalog(store)
	cat.now = e.now.Now
	mk := func(role auth.Role, partner string) (string, string) {
		tok, info, err := cat.CreateToken(ctx, role, partner, "test")
		if err != nil {
			t.Fatal(err)
		}
		return tok, info.ID
	}
	e.tokP1, _ = mk(auth.RolePartner, "P1")
	e.tokP2, _ = mk(auth.RolePartner, "P2")
	e.tokRewards, _ = mk(auth.RoleRewards, "")
	e.tokRevoked, e.tokRevokedID = mk(auth.RolePartner, "P1")
	if err := cat.RevokeToken(ctx, e.tokRevokedID); err != nil {
		t.Fatal(err)
	}
	secret, err := cat.LinkSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}

	e.db = cat
	e.cat = NewCachedCatalog(cat, slog.New(slog.NewJSONHandler(e.logs, nil)), 50*time.Millisecond)
	reg := prometheus.NewRegistry()
	jobRuns := prometheus.NewCounter(prometheus.CounterOpts{Name: "insights_job_runs_total", Help: "stand-in for the scheduler's metrics"})
	reg.MustRegister(jobRuns)
	jobRuns.Inc()
	log := slog.New(slog.NewJSONHandler(e.logs, nil))
	api, err := New(Config{OutRoot: out, LinkSecret: secret, LinkTTL: 24 * time.Hour, Now: e.now.Now}, e.cat, log)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := serve.New(serve.Config{
		MaxRequestBytes:   1024,
		ReadHeaderTimeout: 200 * time.Millisecond, ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second,
		IdleTimeout: 5 * time.Second, MaxHeaderBytes: 8 << 10, ShutdownTimeout: 2 * time.Second, Health: api.Health,
	}, reg, log)
	if err != nil {
		t.Fatal(err)
	}
	api.Register(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.base = "http://" + ln.Addr().String()
	sctx, cancel := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	var once sync.Once
	var serveErr error
	e.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case serveErr = <-served:
			case <-time.After(10 * time.Second):
				serveErr = errors.New("Serve did not return after shutdown")
			}
		})
		return serveErr
	}
	t.Cleanup(func() { _ = e.stop() })
	return e
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (e *env) do(t *testing.T, method, path, token string, body io.Reader, length int64) response {
	t.Helper()
	req, err := http.NewRequest(method, e.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if length != 0 {
		req.ContentLength = length
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, b}
}

func (e *env) get(t *testing.T, path, token string) response {
	t.Helper()
	return e.do(t, http.MethodGet, path, token, nil, 0)
}

func TestAPI(t *testing.T) {
	e := startEnv(t)

	t.Run("list shows only the caller's reports", func(t *testing.T) {
		tests := []struct {
			name, token string
			want        []string
		}{
			{"partner P1", e.tokP1, []string{idP1, idEscape, idAbs, idMissing}},
			{"partner P2", e.tokP2, []string{idP2}},
			{"rewards", e.tokRewards, []string{idPack}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := e.get(t, "/v1/reports", tc.token)
				if res.status != http.StatusOK {
					t.Fatalf("status %d: %s", res.status, res.body)
				}
				var got struct{ Reports []reportView }
				if err := json.Unmarshal(res.body, &got); err != nil {
					t.Fatal(err)
				}
				ids := map[string]bool{}
				for _, r := range got.Reports {
					ids[r.ID] = true
					if strings.Contains(string(res.body), "2025-06-30/") {
						t.Fatal("listing exposes paths on disk")
					}
				}
				if len(ids) != len(tc.want) {
					t.Fatalf("got %v, want %v", ids, tc.want)
				}
				for _, id := range tc.want {
					if !ids[id] {
						t.Fatalf("got %v, want %v", ids, tc.want)
					}
				}
			})
		}
	})

	t.Run("download with safe headers", func(t *testing.T) {
		res := e.get(t, "/v1/reports/"+idP1, e.tokP1)
		if res.status != http.StatusOK || !bytes.Equal(res.body, e.xlsx) {
			t.Fatalf("status %d body %q", res.status, res.body)
		}
		want := map[string]string{
			"Content-Type":           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			"Content-Disposition":    "attachment; filename=orders_2025-06.xlsx",
			"X-Content-Type-Options": "nosniff",
			"Cache-Control":          "private, no-store",
			// The row's mtime was never recorded: the bytes served are hashed.
			"Etag": `"` + sha256Hex(e.xlsx) + `"`,
		}
		for k, v := range want {
			if got := res.header.Get(k); got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
	})

	t.Run("someone else's report is 404", func(t *testing.T) {
		tests := []struct{ name, token, id string }{
			{"P1 asks for P2's", e.tokP1, idP2},
			{"P2 asks for P1's", e.tokP2, idP1},
			{"partner asks for the review pack", e.tokP1, idPack},
			{"rewards asks for a partner report", e.tokRewards, idP1},
			{"unknown id", e.tokP1, "0123456789abcdef01234567"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if res := e.get(t, "/v1/reports/"+tc.id, tc.token); res.status != http.StatusNotFound {
					t.Fatalf("status %d, want 404: %s", res.status, res.body)
				}
				if res := e.do(t, http.MethodPost, "/v1/reports/"+tc.id+"/link", tc.token, nil, 0); res.status != http.StatusNotFound {
					t.Fatalf("link: status %d, want 404", res.status)
				}
			})
		}
		if res := e.get(t, "/v1/reports/"+idPack, e.tokRewards); res.status != http.StatusOK {
			t.Fatalf("rewards cannot fetch its review pack: %d", res.status)
		}
	})

	t.Run("bad and revoked tokens are 401", func(t *testing.T) {
		id := e.tokP1[3:19]
		tests := []struct{ name, header string }{
			{"none", ""},
			{"not bearer", "Basic " + e.tokP1},
			{"garbage", "Bearer let-me-in"},
			{"unknown id", "Bearer mi_0000000000000000_" + strings.Repeat("A", 43)},
			{"right id, wrong secret", "Bearer mi_" + id + "_" + strings.Repeat("A", 43)},
			{"revoked", "Bearer " + e.tokRevoked},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				for _, path := range []string{"/v1/reports", "/v1/reports/" + idP1, "/v1/tier"} {
					req, _ := http.NewRequest(http.MethodGet, e.base+path, nil)
					if tc.header != "" {
						req.Header.Set("Authorization", tc.header)
					}
					res, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					res.Body.Close()
					if res.StatusCode != http.StatusUnauthorized || res.Header.Get("WWW-Authenticate") == "" {
						t.Fatalf("%s: status %d, want 401 with a challenge", path, res.StatusCode)
					}
				}
			})
		}
	})

	t.Run("signed links", func(t *testing.T) {
		res := e.do(t, http.MethodPost, "/v1/reports/"+idP1+"/link", e.tokP1, nil, 0)
		if res.status != http.StatusCreated {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		var link struct {
			URL       string `json:"url"`
			ExpiresAt string `json:"expires_at"`
		}
		if err := json.Unmarshal(res.body, &link); err != nil {
			t.Fatal(err)
		}
		if want := e.now.Now().Add(24 * time.Hour).Format(time.RFC3339); link.ExpiresAt != want {
			t.Fatalf("expires_at %s, want the default 24h: %s", link.ExpiresAt, want)
		}
		u, err := url.Parse(link.URL)
		if err != nil || !strings.HasPrefix(link.URL, e.base+"/v1/links/"+idP1+"?") {
			t.Fatalf("link %q", link.URL)
		}
		q := u.Query()
		rel := func(id, exp, sig string) string {
			return "/v1/links/" + id + "?" + url.Values{"exp": {exp}, "sig": {sig}}.Encode()
		}
		good := rel(idP1, q.Get("exp"), q.Get("sig"))
		dl := e.get(t, good, "")
		if dl.status != http.StatusOK || !bytes.Equal(dl.body, e.xlsx) {
			t.Fatalf("link without token: %d", dl.status)
		}
		if dl.header.Get("Content-Disposition") != "attachment; filename=orders_2025-06.xlsx" || dl.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("link download headers: %v", dl.header)
		}
		sig := []byte(q.Get("sig"))
		sig[3] ^= 1
		tampered := []struct{ name, path string }{
			{"signature", rel(idP1, q.Get("exp"), string(sig))},
			{"expiry pushed out", rel(idP1, "9999999999", q.Get("sig"))},
			{"another report", rel(idP2, q.Get("exp"), q.Get("sig"))},
			{"no signature", "/v1/links/" + idP1 + "?exp=" + q.Get("exp")},
			{"not a number", rel(idP1, "1e10", q.Get("sig"))},
		}
		for _, tc := range tampered {
			t.Run("tampered "+tc.name, func(t *testing.T) {
				if res := e.get(t, tc.path, ""); res.status != http.StatusForbidden {
					t.Fatalf("status %d, want 403", res.status)
				}
			})
		}

		res = e.do(t, http.MethodPost, "/v1/reports/"+idP1+"/link", e.tokP1, strings.NewReader(`{"ttl":"1h"}`), 0)
		var short struct{ URL string }
		if res.status != http.StatusCreated || json.Unmarshal(res.body, &short) != nil {
			t.Fatalf("1h link: %d %s", res.status, res.body)
		}
		if res := e.do(t, http.MethodPost, "/v1/reports/"+idP1+"/link", e.tokP1, strings.NewReader(`{"ttl":"48h"}`), 0); res.status != http.StatusBadRequest {
			t.Fatalf("ttl over the maximum: %d, want 400", res.status)
		}
		shortPath := strings.TrimPrefix(short.URL, e.base)
		e.now.Advance(time.Hour)
		t.Run("expired", func(t *testing.T) {
			if res := e.get(t, shortPath, ""); res.status != http.StatusGone {
				t.Fatalf("1h link after 1h: %d, want 410", res.status)
			}
			if res := e.get(t, good, ""); res.status != http.StatusOK {
				t.Fatalf("24h link after 1h: %d, want 200", res.status)
			}
			e.now.Advance(23 * time.Hour)
			if res := e.get(t, good, ""); res.status != http.StatusGone {
				t.Fatalf("24h link after 24h: %d, want 410", res.status)
			}
		})
	})

	t.Run("path traversal in ids", func(t *testing.T) {
		paths := []string{
			"/v1/reports/..%2F..%2Fsecret.txt",
			"/v1/reports/..%2fsecret.txt",
			"/v1/reports/%2e%2e%2fsecret.txt",
			"/v1/reports/%2e%2e/%2e%2e/secret.txt",
			"/v1/reports/..%5C..%5Csecret.txt",
			"/v1/reports/%2Fetc%2Fpasswd",
			"/v1/reports//etc/passwd",
			"/v1/reports/../../secret.txt",
			"/v1/reports/" + strings.ToUpper(idP1),
			"/v1/reports/" + idEscape, // manifest row "../secret.txt"
			"/v1/reports/" + idAbs,    // manifest row with an absolute path
			"/v1/reports/" + idMissing,
			"/v1/links/..%2F..%2Fsecret.txt?exp=1&sig=x",
		}
		for _, p := range paths {
			t.Run(p, func(t *testing.T) {
				res := e.get(t, p, e.tokP1) // the client follows the mux's clean-path redirects
				if res.status != http.StatusNotFound && res.status != http.StatusBadRequest {
					t.Fatalf("status %d, want 404 or 400", res.status)
				}
				if bytes.Contains(res.body, []byte(secretTxt)) {
					t.Fatal("served a file outside the out root")
				}
			})
		}
		if !strings.Contains(e.logs.String(), "report file unavailable") {
			t.Error("an unsafe manifest row was not logged")
		}
	})

	t.Run("oversized requests are 413", func(t *testing.T) {
		big := `{"ttl":"1h","pad":"` + strings.Repeat("x", 2048) + `"}`
		if res := e.do(t, http.MethodPost, "/v1/reports/"+idP1+"/link", e.tokP1, strings.NewReader(big), 0); res.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("declared length: %d, want 413", res.status)
		}
		// No Content-Length (chunked): caught while reading.
		chunked := io.MultiReader(strings.NewReader(big))
		if res := e.do(t, http.MethodPost, "/v1/reports/"+idP1+"/link", e.tokP1, chunked, -1); res.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("chunked: %d, want 413", res.status)
		}
		if res := e.do(t, http.MethodGet, "/v1/reports", e.tokP1, strings.NewReader(big), 0); res.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("GET with a body: %d, want 413", res.status)
		}
	})

	t.Run("tier", func(t *testing.T) {
		res := e.get(t, "/v1/tier", e.tokP1)
		var ts TierStatus
		if res.status != http.StatusOK || json.Unmarshal(res.body, &ts) != nil {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		if ts.PGAID != "PGA1" || ts.AsOf != "2025-06-30" || ts.TTMBilledSalesUSD != "1234567.89" ||
			ts.Tier == nil || *ts.Tier != "Tier 2" || ts.GapUSD == nil || *ts.GapUSD != "765432.11" {
			t.Fatalf("tier = %s", res.body)
		}
		if res := e.get(t, "/v1/tier", e.tokP2); res.status != http.StatusNotFound {
			t.Fatalf("partner without tier status: %d, want 404", res.status)
		}
		res = e.get(t, "/v1/tier", e.tokRewards)
		var packs struct {
			ReviewPacks []reportView `json:"review_packs"`
		}
		if res.status != http.StatusOK || json.Unmarshal(res.body, &packs) != nil || len(packs.ReviewPacks) != 1 || packs.ReviewPacks[0].ID != idPack {
			t.Fatalf("rewards tier: %d %s", res.status, res.body)
		}
	})

	t.Run("health and metrics", func(t *testing.T) {
		if res := e.get(t, "/healthz", ""); res.status != http.StatusOK {
			t.Fatalf("healthz %d", res.status)
		}
		res := e.get(t, "/metrics", "")
		body := string(res.body)
		for _, want := range []string{
			`insights_http_requests_total{code="404",route="GET /v1/reports/{id}"}`,
			`insights_http_requests_total{code="401",route="GET /v1/reports"}`,
			`insights_http_requests_total{code="200",route="GET /v1/links/{id}"}`,
			"insights_job_runs_total 1",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
	})

	t.Run("header read timeout", func(t *testing.T) {
		conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n")); err != nil { // never finishes its headers
			t.Fatal(err)
		}
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		b, err := io.ReadAll(conn) // the server hangs up after ReadHeaderTimeout
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("server kept a slow-header connection open")
		}
		if bytes.Contains(b, []byte("200 OK")) {
			t.Fatalf("answered an unfinished request: %q", b)
		}
	})

	t.Run("access log has no secrets", func(t *testing.T) {
		logs := e.logs.String()
		for _, tok := range []string{e.tokP1, e.tokP2, e.tokRewards, e.tokRevoked} {
			if strings.Contains(logs, tok) || strings.Contains(logs, tok[20:]) {
				t.Fatal("a token is in the logs")
			}
		}
		if strings.Contains(logs, "sig=") || strings.Contains(logs, "exp=") {
			t.Fatal("a link signature is in the logs")
		}
		if !strings.Contains(logs, `"token_id":"`+e.tokP1[3:19]+`"`) || !strings.Contains(logs, `"route":"GET /v1/reports"`) {
			t.Fatalf("access log lacks token ids or routes:\n%s", logs)
		}
	})

	t.Run("graceful stop", func(t *testing.T) {
		if err := e.stop(); err != nil {
			t.Fatal(err)
		}
		if _, err := http.Get(e.base + "/healthz"); err == nil {
			t.Fatal("still accepting after shutdown")
		}
	})
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
