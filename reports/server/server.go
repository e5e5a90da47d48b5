// Package server is the partner download service: an HTTP API over the report
// manifest (report_files) and the out root. Partners authenticate with bearer
// tokens (only their SHA-256 is stored) and see only their own reports; the
// rewards team sees the review packs; signed links let anyone holding one
// download a report until it expires. It reads through a Catalog and never
// imports the scheduler: job metrics reach /metrics through the registry the
// caller passes in.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Config is the service's configuration.
type Config struct {
	OutRoot         string        // reports are served from here only
	LinkSecret      []byte        // HMAC key for download links (at least 32 bytes)
	LinkTTL         time.Duration // lifetime of a link, and the most a caller may ask for
	PublicURL       string        // base of the links handed out; "" = http://<Host header>
	MaxRequestBytes int64         // request body limit

	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration // bounds a whole download, so keep it generous
	IdleTimeout       time.Duration
	MaxHeaderBytes    int
	ShutdownTimeout   time.Duration // how long in-flight requests get at shutdown

	Now func() time.Time // nil = time.Now (tests pass a fake)

	// Mounts are further APIs served beside this one (pattern → handler,
	// e.g. "/insights/" → the analytics API), behind the same logging,
	// metrics and size limits.
	Mounts map[string]http.Handler

	// Pages, when set, registers the browser pages' routes (reports/web) on
	// the API's mux, so they share its log, metrics, limits and JSON 404/405;
	// it is given the API to sign in, download and link reports by its rules.
	Pages func(api *Server, mux *http.ServeMux)
}

// Registry is where metrics are registered and read from (a *prometheus.Registry).
type Registry interface {
	prometheus.Registerer
	prometheus.Gatherer
}

// Server is the HTTP API.
type Server struct {
	cfg     Config
	cat     Catalog
	reg     Registry
	log     *slog.Logger
	metrics *httpMetrics
	handler http.Handler
	etags   sync.Map // etagKey → SHA-256 of a file that differs from its manifest row
}

// New builds the API on cat, registering its HTTP metrics on reg and serving
// everything in reg on /metrics.
func New(cfg Config, cat Catalog, reg Registry, log *slog.Logger) (*Server, error) {
	if len(cfg.LinkSecret) < 32 {
		return nil, errors.New("server: link secret must be at least 32 bytes")
	}
	if cfg.LinkTTL <= 0 || cfg.MaxRequestBytes <= 0 || cfg.OutRoot == "" {
		return nil, errors.New("server: link TTL, request size limit and out root are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newHTTPMetrics(reg)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, cat: cat, reg: reg, log: log, metrics: m}
	s.handler = s.routes()
	return s, nil
}

// Handler is the whole API, with logging, metrics and size limits.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.health)
	mux.Handle("GET /metrics", noStore(promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelError),
	})))
	mux.Handle("GET /v1/reports", s.auth(s.listReports))
	mux.Handle("GET /v1/reports/{id}", s.auth(s.download))
	mux.Handle("POST /v1/reports/{id}/link", s.auth(s.createLink))
	mux.HandleFunc("GET /v1/links/{id}", s.linkDownload)
	mux.Handle("GET /v1/tier", s.auth(s.tier))
	for pattern, h := range s.cfg.Mounts {
		mux.Handle(pattern, h)
	}
	if s.cfg.Pages != nil {
		s.cfg.Pages(s, mux)
	}
	return s.observe(s.recover(s.limit(jsonMuxErrors(mux))))
}

// Serve answers on ln until ctx ends, then stops accepting and gives
// in-flight requests ShutdownTimeout to finish before closing them.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    s.cfg.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	var err error
	if serr := srv.Shutdown(sctx); serr != nil {
		// Cutting a client that outlasts the bound is what the bound is for:
		// the shutdown is still orderly, so it is a warning, not a failure.
		// Only an error closing the listeners and connections is one.
		s.log.Warn("http shutdown bound reached; closing the remaining connections",
			"bound", s.cfg.ShutdownTimeout.String(), "err", serr)
		if cerr := srv.Close(); cerr != nil {
			err = fmt.Errorf("http close: %w", cerr)
		}
	}
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, fmt.Errorf("http server: %w", serr))
	}
	return err
}
