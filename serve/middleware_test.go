package serve

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

func TestRecoverAnswersJSON(t *testing.T) {
	logs := &testkit.LogBuffer{}
	s := &Server{log: slogJSON(logs)}
	h := s.recover(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(&statusWriter{ResponseWriter: rec}, httptest.NewRequest(http.MethodGet, "/v1/reports", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `"error": "internal error"`) {
		t.Fatalf("panic answered %d %q", rec.Code, rec.Body.String())
	}
	if !strings.Contains(logs.String(), "handler panicked") {
		t.Fatal("panic not logged")
	}
}

func slogJSON(w io.Writer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }
