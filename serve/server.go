// Package serve is the HTTP tier's house: one router (the standard
// net/http ServeMux) with the middleware every surface shares — access log,
// request metrics, panic recovery, request size limit, JSON answers for the
// mux's own 404 and 405 (an HTML page to a browser when a surface registers
// one: SetErrorPage) — and the adapters that let a handler return an error
// and have it written in its surface's shape (JSON, the analytics envelope,
// an HTML page). The surfaces live beside it and register their routes on it:
// serve/download (the report download API), serve/analytics (the Partner
// Center–compatible analytics API) and serve/web (the review desk and the
// partner portal); who a caller is and what they may see is serve/auth.
// cmd/internal/app puts them together.
package serve

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

// Config is the HTTP server's configuration.
type Config struct {
	MaxRequestBytes int64 // request body limit

	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration // bounds a whole download, so keep it generous
	IdleTimeout       time.Duration
	MaxHeaderBytes    int
	ShutdownTimeout   time.Duration // how long in-flight requests get at shutdown

	// Health answers GET /healthz: nil is healthy. nil = always healthy.
	Health func(ctx context.Context) error
}

// Registry is where metrics are registered and read from (a *prometheus.Registry).
type Registry interface {
	prometheus.Registerer
	prometheus.Gatherer
}

// Router is what a surface registers its routes on: a *Server, or a plain
// *http.ServeMux in a test of one surface alone.
type Router interface {
	Handle(pattern string, h http.Handler)
}

// Server is the HTTP server of `insights serve`.
type Server struct {
	cfg     Config
	reg     Registry
	log     *slog.Logger
	metrics *httpMetrics
	mux     *http.ServeMux
	// errorPage answers errors to browsers (SetErrorPage); nil = JSON to all.
	errorPage ErrorWriter

	once    sync.Once
	handler http.Handler
}

// New builds the server, registering its HTTP metrics on reg and serving
// everything in reg on /metrics, and GET /healthz.
func New(cfg Config, reg Registry, log *slog.Logger) (*Server, error) {
	if cfg.MaxRequestBytes <= 0 {
		return nil, errors.New("serve: the request size limit is required")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newHTTPMetrics(reg)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, reg: reg, log: log, metrics: m, mux: http.NewServeMux()}
	s.mux.Handle("GET /healthz", JSON(log, s.health))
	s.mux.Handle("GET /metrics", noStore(promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError),
	})))
	return s, nil
}

// Handle registers h on pattern (the ServeMux's patterns: "GET /v1/reports/{id}").
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// Handler is every registered route behind the shared middleware. Routes are
// registered before the first call.
func (s *Server) Handler() http.Handler {
	s.once.Do(func() { s.handler = s.observe(s.recover(s.htmlErrors(s.limit(collapseSlashes(jsonMuxErrors(s.mux)))))) })
	return s.handler
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Health != nil {
		if err := s.cfg.Health(r.Context()); err != nil {
			s.log.Error("health check failed", "err", err)
			return Errorf(http.StatusServiceUnavailable, "database unavailable")
		}
	}
	WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// Serve answers on ln until ctx ends, then stops accepting and gives
// in-flight requests ShutdownTimeout to finish before closing them.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
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
