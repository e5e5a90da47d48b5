package serve

import (
	"net/http"
	"strings"
)

// The API answers JSON whatever happens: the handlers write {"error": …}
// themselves, and the wrappers below turn the ServeMux's own plain-text
// 404 and 405 answers and a handler's panic into the same shape.

// jsonMuxErrors serves mux, rewriting the answers the mux writes itself for
// a path no route matches (404) or a method the route does not allow (405,
// whose Allow header the mux has set) as JSON errors.
func jsonMuxErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		// No route: the mux answers 404, 405 or a redirect to the clean path.
		mux.ServeHTTP(&muxErrorWriter{ResponseWriter: w}, r)
	})
}

// muxErrorWriter replaces a plain-text 404/405 body with a JSON error.
type muxErrorWriter struct {
	http.ResponseWriter
	swallow bool // the mux's text body is being dropped
}

func (w *muxErrorWriter) WriteHeader(code int) {
	if (code == http.StatusNotFound || code == http.StatusMethodNotAllowed) &&
		strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		w.swallow = true
		msg := "no such path"
		if code == http.StatusMethodNotAllowed {
			msg = "method not allowed; allowed: " + w.Header().Get("Allow")
		}
		WriteError(w.ResponseWriter, code, msg)
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *muxErrorWriter) Write(b []byte) (int, error) {
	if w.swallow {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *muxErrorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recover turns a handler's panic into a logged 500 with a JSON body (when
// nothing was sent yet) instead of net/http's dropped connection.
func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw, _ := w.(*statusWriter)
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler { //nolint:errorlint // net/http's sentinel, compared as it does
				panic(p)
			}
			s.log.Error("handler panicked", "path", r.URL.Path, "panic", p)
			if sw == nil || sw.status == 0 {
				WriteError(w, http.StatusInternalServerError, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// noStore marks next's answers as not to be cached (for /metrics).
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// collapseSlashes serves a path with repeated slashes as the path with single
// ones, where the ServeMux would answer a redirect: Microsoft's Java sample
// joins a base URL ending in "/" with paths starting with "/", and its POSTs
// do not follow redirects.
func collapseSlashes(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "//") {
			r2 := r.Clone(r.Context())
			p := r.URL.Path
			for strings.Contains(p, "//") {
				p = strings.ReplaceAll(p, "//", "/")
			}
			r2.URL.Path, r2.URL.RawPath = p, ""
			h.ServeHTTP(w, r2)
			return
		}
		h.ServeHTTP(w, r)
	})
}
