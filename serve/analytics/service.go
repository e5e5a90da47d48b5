// Package analytics is the Partner Center–compatible analytics API
// (/insights/v1.1/cmp/…): the dataset catalog, partners' own queries in the
// report query language (package pcql), scheduled reports with their
// executions and delivered files, and signed callbacks. Partners' existing
// clients work against it by changing the base URL and the token.
//
// Reports run through RunDue, which the service's scheduler fires as a job:
// every state lives in the database (analytics_* tables), so schedules
// survive restarts and a missed occurrence is caught up once.
package analytics

import (
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/marketplace-insights/insights/serve/analytics/pcql"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Config configures the API and its scheduled reports.
type Config struct {
	OutRoot    string        // delivered files live under <OutRoot>/analytics/
	LinkSecret []byte        // the download API's link key (at least 32 bytes)
	PublicURL  string        // base of the links handed out, e.g. https://insights.example.com
	FileTTL    time.Duration // how long a delivered file and its link live; default 30 days
	History    time.Duration // executions kept; default 90 days, as Partner Center
	PageSize   int           // testQueryResult rows per page by default; default 1000
	MaxPage    int           // the most a caller may ask per page; default 100,000

	Callbacks CallbackPolicy

	// Kick starts RunDue at once (a report with ExecuteNow); the app runs it
	// through the scheduler's runner so the run is in the history. nil runs
	// RunDue directly.
	Kick func(ctx context.Context)

	Now func() time.Time // nil = time.Now
}

// Service is the API on a store.
type Service struct {
	cfg    Config
	store  *duckstore.Store
	tokens auth.TokenStore
	cat    pcql.Catalog
	log    *slog.Logger
	client *http.Client // callbacks

	bg     context.Context // kicked runs; cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New builds the service. tokens authenticates bearer tokens (the download
// API's catalog).
func New(cfg Config, store *duckstore.Store, tokens auth.TokenStore, log *slog.Logger) (*Service, error) {
	if len(cfg.LinkSecret) < 32 {
		return nil, errors.New("analytics: link secret must be at least 32 bytes")
	}
	if cfg.OutRoot == "" || cfg.PublicURL == "" {
		return nil, errors.New("analytics: out root and public URL are required")
	}
	if cfg.FileTTL <= 0 {
		cfg.FileTTL = 30 * 24 * time.Hour
	}
	if cfg.History <= 0 {
		cfg.History = 90 * 24 * time.Hour
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 1000
	}
	if cfg.MaxPage <= 0 {
		cfg.MaxPage = 100_000
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Callbacks = cfg.Callbacks.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cat, err := Datasets()
	if err != nil {
		return nil, err
	}
	s := &Service{cfg: cfg, store: store, tokens: tokens, cat: cat, log: log, client: cfg.Callbacks.client()}
	s.bg, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// Close stops kicked runs (cancelling them when ctx ends first) and waits for them.
func (s *Service) Close(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
	}
	s.cancel()
	<-done
	return fmt.Errorf("analytics: kicked runs cancelled at shutdown: %w", context.Cause(ctx))
}

// Kick runs due work now, in the background.
func (s *Service) Kick() {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if s.cfg.Kick != nil {
			s.cfg.Kick(s.bg)
			return
		}
		if _, err := s.RunDue(s.bg); err != nil {
			s.log.Error("analytics run failed", "err", err)
		}
	}()
}

// Every Service of a process shares one database: they run due work one at a
// time, and an execution left Running by another process (one that stopped
// mid-run) is run again.
var (
	instance = newID()
	runMu    sync.Mutex // one RunDue at a time
	again    sync.Mutex // guards rerun
	rerun    bool       // a kick arrived while RunDue was busy
)

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// occurrenceID is the execution id of a report's occurrence at t: a name-based
// (version 5 style, SHA-1) UUID, so that the Pending execution listed for an
// occurrence before it starts keeps its id when the scheduler creates it.
func occurrenceID(reportID string, t time.Time) string {
	sum := sha1.Sum([]byte("analytics-occurrence:" + reportID + "@" + t.UTC().Format(time.RFC3339)))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// newID is a random (version 4) UUID.
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // cannot happen on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
