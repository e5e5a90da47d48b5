// Package download is the partner download API (/v1/…): the report manifest
// (report_files) and the out root, served to partners (their own reports),
// the rewards team (the review packs) and holders of a signed link (until it
// expires). Tokens and links are checked by serve/auth; the routes sit on the
// serve router behind its middleware. It reads through a Catalog, answered
// from memory (CachedCatalog), and never imports the scheduler.
package download

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/marketplace-insights/insights/serve"
	"github.com/marketplace-insights/insights/serve/auth"
)

// Config is the download API's configuration.
type Config struct {
	OutRoot    string        // reports are served from here only
	LinkSecret []byte        // HMAC key for download links (at least 32 bytes)
	LinkTTL    time.Duration // lifetime of a link, and the most a caller may ask for
	PublicURL  string        // base of the links handed out; "" = http://<Host header>

	Now func() time.Time // nil = time.Now (tests pass a fake)
}

// API is the download API.
type API struct {
	cfg   Config
	cat   Catalog
	log   *slog.Logger
	etags sync.Map // etagKey → SHA-256 of a file that differs from its manifest row
}

// New builds the API on cat.
func New(cfg Config, cat Catalog, log *slog.Logger) (*API, error) {
	if len(cfg.LinkSecret) < 32 {
		return nil, errors.New("download: link secret must be at least 32 bytes")
	}
	if cfg.LinkTTL <= 0 || cfg.OutRoot == "" {
		return nil, errors.New("download: link TTL and out root are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &API{cfg: cfg, cat: cat, log: log}, nil
}

// Register adds the API's routes to r.
func (a *API) Register(r serve.Router) {
	r.Handle("GET /v1/reports", a.authed(a.listReports))
	r.Handle("GET /v1/reports/{id}", a.authed(a.download))
	r.Handle("POST /v1/reports/{id}/link", a.authed(a.createLink))
	r.Handle("GET /v1/links/{id}", serve.JSON(a.log, a.linkDownload))
	r.Handle("GET /v1/tier", a.authed(a.tier))
}

// Health checks that the catalog can answer (GET /healthz).
func (a *API) Health(ctx context.Context) error { return a.cat.Ping(ctx) }

// authed is a handler for an authenticated caller.
type authed func(w http.ResponseWriter, r *http.Request, p auth.Principal) error

// authed turns h into a handler that answers 401 unless the request's token
// is valid.
func (a *API) authed(h authed) http.Handler {
	return serve.JSON(a.log, func(w http.ResponseWriter, r *http.Request) error {
		p, err := auth.Authenticate(r.Context(), a.cat, r)
		if errors.Is(err, auth.ErrUnauthenticated) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="insights"`)
			return &serve.Error{Status: http.StatusUnauthorized, Msg: err.Error()}
		}
		if err != nil {
			return err
		}
		serve.NoteToken(r, p.TokenID)
		return h(w, r, p)
	})
}
