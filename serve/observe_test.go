package serve

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestStatusWriterKeepsReadFrom: the access-log wrapper passes a file copy
// on to the connection's ReadFrom (sendfile for an *os.File) and still counts
// the status and bytes.
func TestStatusWriterKeepsReadFrom(t *testing.T) {
	rec := httptest.NewRecorder()
	var w io.Writer = &statusWriter{ResponseWriter: rec}
	rf, ok := w.(io.ReaderFrom)
	if !ok {
		t.Fatal("statusWriter hides ReadFrom: downloads would not use sendfile")
	}
	n, err := rf.ReadFrom(strings.NewReader("report bytes"))
	if err != nil || n != 12 || rec.Body.String() != "report bytes" {
		t.Fatalf("ReadFrom = %d %v, body %q", n, err, rec.Body.String())
	}
	sw := w.(*statusWriter)
	if sw.status != 200 || sw.bytes != 12 {
		t.Fatalf("status %d bytes %d, want 200 and 12", sw.status, sw.bytes)
	}
}

// TestAccessLogNamesWhoAsked: the access log line names the caller as the
// handlers noted it: a token by its public id, a signed-in person by id and
// role; an anonymous request by neither.
func TestAccessLogNamesWhoAsked(t *testing.T) {
	for _, tc := range []struct {
		name  string
		note  func(r *http.Request)
		want  []string
		never []string
	}{
		{"token", func(r *http.Request) { NoteToken(r, "tok-1") }, []string{`"token_id":"tok-1"`}, []string{"person_id", `"role"`}},
		{"person", func(r *http.Request) { NotePerson(r, "p-1", "partner_admin") }, []string{`"person_id":"p-1"`, `"role":"partner_admin"`}, []string{"token_id"}},
		{"nobody", func(*http.Request) {}, []string{`"msg":"http request"`}, []string{"token_id", "person_id", `"role"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := &testkit.LogBuffer{}
			m, err := newHTTPMetrics(prometheus.NewRegistry())
			if err != nil {
				t.Fatal(err)
			}
			s := &Server{log: slogJSON(logs), metrics: m}
			h := s.observe(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { tc.note(r); w.WriteHeader(http.StatusNoContent) }))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/people", nil))
			line := logs.String()
			for _, w := range append(tc.want, `"status":204`, `"path":"/people"`) {
				if !strings.Contains(line, w) {
					t.Errorf("access log lacks %s:\n%s", w, line)
				}
			}
			for _, n := range tc.never {
				if strings.Contains(line, n) {
					t.Errorf("access log has %s:\n%s", n, line)
				}
			}
		})
	}
}
