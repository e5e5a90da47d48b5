// Package web is the browser side of `insights serve`: the rewards team's review
// desk and the partner portal, as server-rendered html/template pages with
// embedded templates and static files (no JavaScript build chain; every core
// action is a link or a form and works without JavaScript).
//
// Sign-in exchanges an API token (checked by serve/auth) for a server-side
// session kept in the database (web_sessions) and in memory: the cookie holds
// only a random id, and the database only its SHA-256, so a restart of the
// service signs nobody out. Every request re-checks the session's token, so
// revoking the token ends the session at once, as signing out does. Every
// form is protected against cross-site request forgery twice: net/http's
// CrossOriginProtection (Sec-Fetch-Site / Origin) and a per-session token in a
// hidden field. A partner session sees only its partner (404 for anything
// else); the review desk needs a rewards session.
//
// The pages register on the serve router beside the APIs, so they share its
// access log, metrics, request size limit and 404/405, and answer errors as
// it does ({"error": "..."}) to clients that do not ask for HTML; to a
// browser, the router's errors and the APIs' are this package's error page. Reports
// are listed, downloaded and linked through the download API (serve/download),
// so one rule decides what a partner may download.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/serve"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/serve/download"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// API is what the pages use of the download API (implemented by
// *download.API): its token store, to sign in with a token, and its reports.
type API interface {
	Tokens() auth.TokenStore
	Reports(ctx context.Context, p auth.Principal) ([]download.Report, error)
	VisibleReport(ctx context.Context, p auth.Principal, id string) (download.Report, error)
	Tier(ctx context.Context, partnerID string) (download.TierStatus, error)
	ServeReport(w http.ResponseWriter, r *http.Request, rep download.Report) error
	SignLink(r *http.Request, rep download.Report) (string, time.Time)
}

// Config is the pages' configuration.
type Config struct {
	// SecureCookies marks the session cookie Secure even on plain HTTP requests
	// (the service behind an https proxy: public_url https://...). Requests
	// that arrive over TLS always get a Secure cookie.
	SecureCookies bool
	SessionIdle   time.Duration    // a session unused this long ends (default 2h)
	SessionMax    time.Duration    // a session ends this long after sign-in whatever (default 12h)
	Now           func() time.Time // nil = time.Now
	// MailConfigured: an [smtp] section is set, so the outbox is being sent
	// (the desk's outbox page says when it is only kept).
	MailConfigured bool
	// OIDC signs people in with the identity provider (nil = no provider:
	// token sign-in only). TokenSignIn keeps token sign-in with a provider.
	OIDC        *auth.OIDC
	TokenSignIn bool
	// PseudoLanguage lets the language cookie name i18n.Pseudo (tests: every
	// catalog text shows wrapped, so a text left in a template shows bare).
	PseudoLanguage bool
}

// Web is the pages' handler.
type Web struct {
	cfg      Config
	store    *duckstore.Store
	api      API
	log      *slog.Logger
	sessions *sessions
	people   *auth.DBPeople
	cache    runCache
	pages    map[i18n.Lang]map[string]*template.Template // by language, by template
	routes   *http.ServeMux                              // the page routes, to tell a known path from an unknown one (errorPage)
}

// New builds the pages on the store (read for the desk and the portal; the
// review decisions are written through package rewards) and the API.
func New(cfg Config, store *duckstore.Store, api API, log *slog.Logger) *Web {
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 2 * time.Hour
	}
	if cfg.SessionMax <= 0 {
		cfg.SessionMax = 12 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Web{cfg: cfg, store: store, api: api, log: log, pages: mustParseLangPages(), people: auth.NewDBPeople(store),
		sessions: newSessions(store, cfg.SessionIdle, cfg.SessionMax, cfg.Now)}
	w.sessions.principal = w.tokenPrincipal
	return w
}

// Register adds every page route to mux (the API's, in `insights serve`),
// each behind the cross-origin protection and the security headers. Paths
// that no route matches are the mux's (the API answers them in JSON).
func (w *Web) Register(mux serve.Router) {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.log.Warn("cross-origin form post refused", "path", r.URL.Path, "origin", r.Header.Get("Origin"),
			"sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		w.fail(rw, r, nil, http.StatusForbidden, "cross-origin request refused")
	}))
	w.routes = http.NewServeMux()
	for _, p := range pages {
		mux.Handle(p.route, securityHeaders(cop.Handler(w.handler(p))))
		w.routes.Handle(p.route, http.NotFoundHandler())
	}
	// The router's own errors (an unknown path, a wrong method) and the
	// APIs' (an expired shared link) are this site's error page to a browser.
	if em, ok := mux.(interface{ SetErrorPage(serve.ErrorWriter) }); ok {
		em.SetErrorPage(w.errorPage)
	}
}

// Handler is the pages alone, on their own mux (404 for anything else).
func (w *Web) Handler() http.Handler {
	mux := http.NewServeMux()
	w.Register(mux)
	mux.Handle("/", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.errorPage(rw, r, http.StatusNotFound, "no such page")
	}))
	return mux
}

// securityHeaders: no framing, no inline script or style, no sniffing, no
// caching of pages that show a partner's data.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(rw)
		next.ServeHTTP(rw, r)
	})
}

func setSecurityHeaders(rw http.ResponseWriter) {
	h := rw.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
}

// home sends a visitor to their start page.
func (w *Web) home(rw http.ResponseWriter, r *http.Request) {
	s, why, err := w.currentWhy(r)
	if err != nil {
		w.internal(rw, r, nil, "check session", err)
		return
	}
	switch {
	case s == nil && why != "":
		w.setCookie(rw, r, "", -1)
		http.Redirect(rw, r, "/sign-in?ended="+string(why), http.StatusSeeOther)
	case s == nil:
		http.Redirect(rw, r, "/sign-in", http.StatusSeeOther)
	case s.p.Role == auth.RoleRewards:
		http.Redirect(rw, r, "/desk/", http.StatusSeeOther)
	case s.p.PartnerID == "": // a company with no publisher profile yet (people.go)
		http.Redirect(rw, r, "/portal/", http.StatusSeeOther)
	default:
		http.Redirect(rw, r, "/portal/"+url.PathEscape(s.p.PartnerID)+"/", http.StatusSeeOther)
	}
}

// errNoPage is answered as 404 whatever the reason (unknown, someone else's).
var errNoPage = errors.New("no such page")
