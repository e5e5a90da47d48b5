package serve

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics count requests by route pattern (bounded, unlike paths) and status.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) (*httpMetrics, error) {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "insights_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "insights_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register http metrics: %w", err)
		}
	}
	return m, nil
}

// NoteToken puts the public id of the caller's token in the access log line.
func NoteToken(r *http.Request, tokenID string) {
	if info := requestInfoFrom(r.Context()); info != nil {
		info.tokenID = tokenID
	}
}

// NotePerson puts the signed-in person's id and role (reviewer, admin,
// partner_admin, viewer) in the access log line.
func NotePerson(r *http.Request, personID, role string) {
	if info := requestInfoFrom(r.Context()); info != nil {
		info.personID, info.role = personID, role
	}
}

// requestInfo collects what the access log needs from inside the handlers.
type requestInfo struct {
	tokenID  string // public id of the caller's token, never the token
	personID string // the signed-in person (a session of the pages)
	role     string // the person's role
}

type requestInfoKey struct{}

func requestInfoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return info
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// ReadFrom keeps downloads on sendfile: http.ServeContent copies the file
// with io.Copy, which hands an *os.File to the connection's ReadFrom only if
// every writer on the way has one.
func (w *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := io.Copy(w.ResponseWriter, r)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs and counts every request. The log line has the path but not
// the query (signed links carry their signature there) and never a header:
// no tokens, no signatures; who asked is the token's public id or the
// signed-in person's id and role, as the handlers noted them.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{}
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := r.Pattern // set by the ServeMux on this request
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		s.metrics.requests.WithLabelValues(route, fmt.Sprint(sw.status)).Inc()
		s.metrics.duration.WithLabelValues(route).Observe(elapsed.Seconds())
		attrs := []any{"method", r.Method, "route", route, "path", r.URL.Path, "status", sw.status,
			"bytes", sw.bytes, "duration_ms", elapsed.Milliseconds(), "remote", r.RemoteAddr}
		if info.tokenID != "" {
			attrs = append(attrs, "token_id", info.tokenID)
		}
		if info.personID != "" {
			attrs = append(attrs, "person_id", info.personID, "role", info.role)
		}
		s.log.Info("http request", attrs...)
	})
}

// limit refuses bodies over the configured size: at once when the length is
// declared, and while reading otherwise (http.MaxBytesReader).
func (s *Server) limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.cfg.MaxRequestBytes {
			WriteError(w, http.StatusRequestEntityTooLarge, "request body too large")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxRequestBytes)
		next.ServeHTTP(w, r)
	})
}
