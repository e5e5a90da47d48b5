package web

import (
	"bytes"
	"fmt"
	"html/template"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/serve"
	"github.com/marketplace-insights/insights/serve/auth"
)

// pageNames are the templates under templates/, each rendered inside layout.html.
var pageNames = []string{"signin", "error", "queue", "unlock", "sla", "tiers", "packs",
	"portal_tier", "portal_reports", "portal_attribution", "signin_refused", "people"}

var funcs = template.FuncMap{
	"usd":      usd,
	"date":     func(t time.Time) string { return dateText(t) },
	"datetime": datetimeText,
	"size":     sizeText,
	"pathq":    url.PathEscape,
	"plural": func(n int64, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}

// mustParsePages parses every page in English.
func mustParsePages() map[string]*template.Template { return mustParseLangPages()[i18n.English] }

// mustParseLangPages parses every page once per language (pageLangs), each
// with the template functions bound to that language's Localizer.
func mustParseLangPages() map[i18n.Lang]map[string]*template.Template {
	out := map[i18n.Lang]map[string]*template.Template{}
	for _, lang := range pageLangs {
		f := funcsFor(i18n.For(lang))
		pages := map[string]*template.Template{}
		for _, name := range pageNames {
			pages[name] = template.Must(template.New("layout.html").Funcs(f).
				ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
		}
		out[lang] = pages
	}
	return out
}

// view is what every template gets: the page's data and who is looking.
type view struct {
	Title   string
	Section string // the page's template: the navigation entry shown as current
	Nav     []navItem
	Signed  bool
	Rewards bool
	Partner string // the partner id (for links)
	// PartnerName is the partner's name as the header shows it (its id when
	// it has none).
	PartnerName string
	CSRF        string
	Data        any
	// Lang is the page's language (<html lang>); Langs the switch's entries
	// (none on the desk's pages); Here the page the switch comes back to.
	Lang  string
	Langs []langOption
	Here  string
}

// render writes a page; the template runs into a buffer first so that a
// template error is a clean 500, never half a page.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, s *session, code int, name string, data any) {
	w.renderTitled(rw, r, s, code, name, pageTitle(name), data)
}

func (w *Web) renderTitled(rw http.ResponseWriter, r *http.Request, s *session, code int, name, title string, data any) {
	lang := w.pageLang(r, s, name)
	l := i18n.For(lang)
	v := view{Title: title, Section: name, Data: data, Nav: navFor(s, name), Lang: string(lang), Here: here(r)}
	if lang == i18n.Pseudo {
		v.Lang = "en"
	}
	if localizedPages[name] && (s == nil || !s.p.IsRewards()) {
		v.Langs = langOptions(lang)
		if key := "portal.title." + name; l.Has(key) && name != "error" {
			v.Title = l.T(key)
		}
		for i := range v.Nav {
			// A navigation label of its own where the title is long (portal.nav.<name>).
			for _, key := range []string{"portal.nav." + v.Nav[i].name, "portal.title." + v.Nav[i].name} {
				if l.Has(key) {
					v.Nav[i].Label = l.T(key)
					break
				}
			}
		}
	}
	if s != nil {
		v.Signed, v.Rewards, v.Partner, v.CSRF = true, s.p.Role == auth.RoleRewards, s.p.PartnerID, s.csrf
		w.countBadges(r.Context(), v.Nav)
		if !v.Rewards {
			// The header names the partner as the partner knows itself.
			p, ok, err := partnerByID(r.Context(), w.store, s.p.PartnerID)
			if err != nil {
				w.log.Error("read partner name failed", "partner_id", s.p.PartnerID, "err", err)
			}
			v.PartnerName = s.p.PartnerID
			if ok && p.Name != "" {
				v.PartnerName = p.Name
			}
		}
	}
	var buf bytes.Buffer
	if err := w.pages[lang][name].Execute(&buf, v); err != nil {
		w.log.Error("render page failed", "page", name, "path", r.URL.Path, "err", err)
		serve.WriteError(rw, http.StatusInternalServerError, "internal error")
		return
	}
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", v.Lang)
	h.Add("Vary", "Accept-Language, Cookie")
	rw.WriteHeader(code)
	_, _ = rw.Write(buf.Bytes())
}

// wantsHTML: a browser navigating asks for text/html; scripts and the API's
// clients do not, and get the API's JSON errors.
func wantsHTML(r *http.Request) bool { return serve.WantsHTML(r) }

// errorView is what the error page says: what happened, what to do about it
// and where to go.
type errorView struct {
	Code      int
	Status    string
	Message   string
	Kind      string // "link" (a shared download link), "form" (a form's address opened), "" otherwise
	Back      string // where to go: a page of this site
	BackLabel string // the catalog key of the link's text
}

// fail answers an error: an HTML page for a browser, {"error": msg} otherwise.
func (w *Web) fail(rw http.ResponseWriter, r *http.Request, s *session, code int, msg string) {
	if !wantsHTML(r) {
		serve.WriteError(rw, code, msg)
		return
	}
	v := errorView{Code: code, Status: http.StatusText(code), Message: msg, Back: "/", BackLabel: "portal.error.back.start"}
	switch {
	case strings.HasPrefix(r.URL.Path, "/v1/links/"):
		v.Kind = "link"
	case code == http.StatusMethodNotAllowed:
		v.Kind = "form"
		// The address of a form (an expiring link's, a decision's) opened
		// again: back to the page the form is on.
		if s != nil && !s.p.IsRewards() && strings.Contains(r.URL.Path, "/reports/") {
			v.Back, v.BackLabel = pagePath("GET /portal/{partner}/reports", s.p.PartnerID), "portal.error.back.reports"
		} else if s != nil && s.p.IsRewards() && strings.HasPrefix(r.URL.Path, "/desk/") {
			v.Back, v.BackLabel = "/desk/", "portal.error.back.queue"
		}
	}
	if s == nil {
		v.Back, v.BackLabel = "/sign-in", "portal.title.signin"
		if code != http.StatusUnauthorized && v.Kind != "link" && (strings.HasPrefix(r.URL.Path, "/desk/") || strings.HasPrefix(r.URL.Path, "/portal/")) {
			v.Back = "/sign-in?next=" + urlQueryEscape(r.URL.RequestURI())
		}
	}
	title := http.StatusText(code)
	if l := i18n.For(w.pageLang(r, s, "error")); l.Has("portal.error.status." + strconv.Itoa(code)) {
		title = l.T("portal.error.status." + strconv.Itoa(code))
	}
	v.Status = title
	w.renderTitled(rw, r, s, code, "error", title, v)
}

// errorPage answers the serve router's errors (a path no route matches, a
// method a route does not allow) and the APIs' errors (an expired or altered
// shared link) to a browser: the page says what happened and where to go.
// A known page asked with a trailing slash is sent to the page.
func (w *Web) errorPage(rw http.ResponseWriter, r *http.Request, code int, msg string) {
	if code == http.StatusNotFound && r.Method == http.MethodGet && w.routes != nil &&
		len(r.URL.Path) > 1 && strings.HasSuffix(r.URL.Path, "/") {
		u := *r.URL
		u.Path = strings.TrimRight(u.Path, "/")
		u.RawPath = ""
		if _, pattern := w.routes.Handler(&http.Request{Method: http.MethodGet, Host: r.Host, URL: &u}); pattern != "" {
			http.Redirect(rw, r, u.RequestURI(), http.StatusMovedPermanently)
			return
		}
	}
	// The router's and the API's messages are for programs; a person reads these.
	link := strings.HasPrefix(r.URL.Path, "/v1/links/")
	switch {
	case code == http.StatusNotFound:
		msg = "no such page"
	case code == http.StatusMethodNotAllowed:
		msg = "this address cannot be opened directly"
	case link && code == http.StatusGone:
		msg = "this download link has expired"
	case link && code == http.StatusForbidden:
		msg = "this download link is not valid"
	}
	s, err := w.current(r)
	if err != nil {
		w.log.Error("check session for the error page failed", "path", r.URL.Path, "err", err)
		s = nil
	}
	setSecurityHeaders(rw)
	w.fail(rw, r, s, code, msg)
}

func (w *Web) internal(rw http.ResponseWriter, r *http.Request, s *session, what string, err error) {
	w.log.Error(what+" failed", "path", r.URL.Path, "err", err)
	w.fail(rw, r, s, http.StatusInternalServerError, "internal error")
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// usd formats an exact decimal text ("1234567.8") as "USD 1,234,567.80". Text
// that is not a decimal is shown as it is; "" as a dash.
func usd(s string) string {
	if s == "" {
		return "–"
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return s
	}
	return "USD " + groupThousands(r.FloatString(2))
}

// groupThousands puts commas in the integer part of a decimal text.
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.Format("2006-01-02")
}

func datetimeText(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
