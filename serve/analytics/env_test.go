package analytics_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/analytics"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/serve/download"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// fixtureAsOf is the as-of date of the shared report fixtures
// (reports/testdata/fixtures): the data ends there.
var fixtureAsOf = time.Date(2025, 7, 5, 0, 0, 0, 0, time.UTC)

// fixtureStore loads the report fixtures into the raw tables and runs the
// declared transform, as the reports tests do, so that the datasets read the
// same tables as in production.
func fixtureStore(t testing.TB) *duckstore.Store {
	t.Helper()
	s := testkit.Open(t)
	testkit.LoadCSVDir(t, s, filepath.Join("..", "..", "reports", "testdata", "fixtures"), "review_decisions")
	testkit.LoadSQL(t, s, filepath.Join("testdata", "qos_insights.sql"))
	p, err := transform.Default(tiers.Default())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := transform.NewRunner(s, nil, p).Run(context.Background(), fixtureAsOf); err != nil {
		t.Fatalf("transform: %v", err)
	}
	return s
}

// clock is a settable time source for the service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// env is a running API on the fixtures, with tokens for two partners and the
// rewards team.
type env struct {
	store    *duckstore.Store
	svc      *analytics.Service
	cfg      analytics.Config
	base     string // http://127.0.0.1:port
	contoso  string // token of p-contoso
	fabrikam string // token of p-fabrikam
	rewards  string
	tokens   *download.DBCatalog
	handler  *swapHandler
}

type swapHandler struct {
	mu sync.Mutex
	h  http.Handler
}

func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	h := s.h
	s.mu.Unlock()
	h.ServeHTTP(w, r)
}

// newEnv starts the API. now nil = the wall clock; with a clock of its own a
// test drives the schedule itself, so kicks do nothing.
func newEnv(t *testing.T, now func() time.Time) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{store: fixtureStore(t), handler: &swapHandler{}}
	e.tokens = download.NewDBCatalog(e.store)
	var err error
	for _, tk := range []struct {
		dst     *string
		role    auth.Role
		partner string
	}{{&e.contoso, auth.RolePartner, "p-contoso"}, {&e.fabrikam, auth.RolePartner, "p-fabrikam"}, {&e.rewards, auth.RoleRewards, ""}} {
		if *tk.dst, _, err = e.tokens.CreateToken(ctx, tk.role, tk.partner, "test"); err != nil {
			t.Fatal(err)
		}
	}
	ts := httptest.NewServer(e.handler)
	t.Cleanup(ts.Close)
	e.base = ts.URL
	e.cfg = analytics.Config{
		OutRoot: t.TempDir(), LinkSecret: []byte(strings.Repeat("s", 32)), PublicURL: ts.URL, Now: now,
		Callbacks: analytics.CallbackPolicy{AllowLoopback: true, Timeout: 5 * time.Second,
			Backoff: []time.Duration{time.Minute, 5 * time.Minute}},
	}
	if now != nil {
		e.cfg.Kick = func(context.Context) {}
	}
	e.restart(t)
	return e
}

// restart replaces the service with a new one on the same database and
// files, as a restarted process would be.
func (e *env) restart(t *testing.T) {
	t.Helper()
	if e.svc != nil {
		if err := e.svc.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	svc, err := analytics.New(e.cfg, e.store, e.tokens, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close(context.Background()) })
	e.svc = svc
	e.handler.mu.Lock()
	e.handler.h = svc.Handler()
	e.handler.mu.Unlock()
}
