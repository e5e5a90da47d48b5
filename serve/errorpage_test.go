package serve

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestErrorPage: with an error page registered, a browser (Accept: text/html)
// gets it for the mux's 404 and 405 and for an API's error; every other
// client keeps the JSON; without one, everyone gets JSON.
func TestErrorPage(t *testing.T) {
	newServer := func(page bool) http.Handler {
		s, err := New(Config{MaxRequestBytes: 1 << 10}, prometheus.NewRegistry(), nil)
		if err != nil {
			t.Fatal(err)
		}
		s.Handle("GET /v1/links/{id}", JSON(nil, func(http.ResponseWriter, *http.Request) error {
			return Errorf(http.StatusGone, "this link has expired")
		}))
		s.Handle("POST /form", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
		if page {
			s.SetErrorPage(func(w http.ResponseWriter, r *http.Request, code int, msg string) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.WriteHeader(code)
				fmt.Fprintf(w, "<h1>%d</h1><p>%s</p><p>%s</p>", code, msg, r.URL.Path)
			})
		}
		return s.Handler()
	}
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, tc := range []struct {
		name, method, path, accept string
		page                       bool
		code                       int
		want                       string
	}{
		{"unknown path, browser", "GET", "/desk/nope", browser, true, 404, "<h1>404</h1><p>no such path</p><p>/desk/nope</p>"},
		{"unknown path, API client", "GET", "/desk/nope", "application/json", true, 404, `"error": "no such path"`},
		{"unknown path, no Accept", "GET", "/desk/nope", "", true, 404, `"error": "no such path"`},
		{"wrong method, browser", "GET", "/form", browser, true, 405, "<h1>405</h1><p>method not allowed; allowed: POST</p>"},
		{"wrong method, API client", "GET", "/form", "*/*", true, 405, `"error": "method not allowed; allowed: POST"`},
		{"API error, browser", "GET", "/v1/links/x", browser, true, 410, "<h1>410</h1><p>this link has expired</p>"},
		{"API error, API client", "GET", "/v1/links/x", "application/json", true, 410, `"error": "this link has expired"`},
		{"no error page registered", "GET", "/v1/links/x", browser, false, 410, `"error": "this link has expired"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			rec := httptest.NewRecorder()
			newServer(tc.page).ServeHTTP(rec, req)
			if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.want) {
				t.Fatalf("%d %q, want %d with %q", rec.Code, rec.Body.String(), tc.code, tc.want)
			}
			ct := rec.Header().Get("Content-Type")
			if wantHTML := strings.HasPrefix(tc.want, "<"); wantHTML != strings.HasPrefix(ct, "text/html") {
				t.Fatalf("Content-Type %q", ct)
			}
			if strings.Count(rec.Body.String(), "<h1>")+strings.Count(rec.Body.String(), `"error"`) != 1 {
				t.Fatalf("not exactly one answer: %q", rec.Body.String())
			}
		})
	}
}
