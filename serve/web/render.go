package web

import (
	"bytes"
	"fmt"
	"html/template"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

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

func mustParsePages() map[string]*template.Template {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		pages[name] = template.Must(template.New("layout.html").Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return pages
}

// view is what every template gets: the page's data and who is looking.
type view struct {
	Title   string
	Section string // the page's template: the navigation entry shown as current
	Nav     []navItem
	Signed  bool
	Rewards bool
	Partner string
	CSRF    string
	Data    any
}

// render writes a page; the template runs into a buffer first so that a
// template error is a clean 500, never half a page.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, s *session, code int, name string, data any) {
	w.renderTitled(rw, r, s, code, name, pageTitle(name), data)
}

func (w *Web) renderTitled(rw http.ResponseWriter, r *http.Request, s *session, code int, name, title string, data any) {
	v := view{Title: title, Section: name, Data: data, Nav: navFor(s, name)}
	if s != nil {
		v.Signed, v.Rewards, v.Partner, v.CSRF = true, s.p.Role == auth.RoleRewards, s.p.PartnerID, s.csrf
	}
	var buf bytes.Buffer
	if err := w.pages[name].Execute(&buf, v); err != nil {
		w.log.Error("render page failed", "page", name, "path", r.URL.Path, "err", err)
		serve.WriteError(rw, http.StatusInternalServerError, "internal error")
		return
	}
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	rw.WriteHeader(code)
	_, _ = rw.Write(buf.Bytes())
}

// wantsHTML: a browser navigating asks for text/html; scripts and the API's
// clients do not, and get the API's JSON errors.
func wantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

type errorView struct {
	Code    int
	Status  string
	Message string
}

// fail answers an error: an HTML page for a browser, {"error": msg} otherwise.
func (w *Web) fail(rw http.ResponseWriter, r *http.Request, s *session, code int, msg string) {
	if !wantsHTML(r) {
		serve.WriteError(rw, code, msg)
		return
	}
	w.renderTitled(rw, r, s, code, "error", http.StatusText(code), errorView{Code: code, Status: http.StatusText(code), Message: msg})
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
