package download

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/marketplace-insights/insights/serve"
)

// BenchmarkHandlers is the server's own cost per request of each kind in the
// load mix, without network or client: what bounds the rate that
// BenchmarkServeLoad (cmd/internal/app) can reach on a machine.
func BenchmarkHandlers(b *testing.B) {
	e := startEnv(b)
	// The access log formatted as in production, then dropped.
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	api, err := New(Config{OutRoot: e.out, LinkSecret: []byte(strings.Repeat("k", 32)), LinkTTL: 3600e9}, e.cat, log)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := serve.New(serve.Config{MaxRequestBytes: 1024, Health: api.Health}, prometheus.NewRegistry(), log)
	if err != nil {
		b.Fatal(err)
	}
	api.Register(srv)
	h := srv.Handler()
	cases := []struct{ name, path, token string }{
		{"listing", "/v1/reports", e.tokP1},
		{"download", "/v1/reports/" + idP1, e.tokP1},
		{"health", "/healthz", ""},
		{"unknown token", "/v1/tier", "mi_0000000000000000_" + strings.Repeat("A", 43)},
		{"no token", "/v1/reports", ""},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, tc.path, nil)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code >= 500 {
					b.Fatalf("%s: %d", tc.path, rec.Code)
				}
			}
		})
	}
}
