package serve

import (
	"net/http"
	"strings"
)

// A person who opens a URL in a browser should not read {"error": …}: a
// surface with pages (serve/web) registers an error page, and every error
// answer written through WriteError — the mux's own 404 and 405, the APIs'
// errors (an expired shared link opened from an email) — is that page for a
// request that asks for text/html. Every other client (scripts, the APIs'
// clients, which do not ask for text/html) keeps the JSON.

// SetErrorPage makes page answer the errors of requests that ask for HTML
// (Accept: text/html). Call it before the first call of Handler.
func (s *Server) SetErrorPage(page ErrorWriter) { s.errorPage = page }

// WantsHTML: a browser navigating to a page asks for text/html; scripts and
// the APIs' clients do not.
func WantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// htmlErrors puts the error page within reach of WriteError for the requests
// that ask for HTML.
func (s *Server) htmlErrors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.errorPage == nil || !WantsHTML(r) {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&errorPageWriter{ResponseWriter: w, r: r, page: s.errorPage}, r)
	})
}

// errorPageWriter carries the error page down to WriteError, which finds it
// by unwrapping the response writer it is given.
type errorPageWriter struct {
	http.ResponseWriter
	r    *http.Request
	page ErrorWriter
	used bool // one error page per request: a page that fails falls back to JSON
}

func (w *errorPageWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeErrorPage answers the error as the page; false when it cannot (a page
// already tried, and failing, on this request).
func (w *errorPageWriter) writeErrorPage(code int, msg string) bool {
	if w.used {
		return false
	}
	w.used = true
	w.page(w.ResponseWriter, w.r, code, msg)
	return true
}

// errorPageOf finds the error page in w's chain of wrappers; nil if none.
func errorPageOf(w http.ResponseWriter) *errorPageWriter {
	for w != nil {
		if e, ok := w.(*errorPageWriter); ok {
			return e
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
	return nil
}
