package download

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestJSONErrors: whatever goes wrong, the answer is a JSON {"error": …} that
// is not cached (issue 10 item 4, issue 15 item 8).
func TestJSONErrors(t *testing.T) {
	e := startEnv(t)
	big := strings.NewReader(`{"ttl":"1h","pad":"` + strings.Repeat("x", 2048) + `"}`)
	tests := []struct {
		name, method, path, token, body string
		bigBody                         bool
		want                            int
		allow                           string
	}{
		{name: "unknown path", method: http.MethodGet, path: "/nope", want: http.StatusNotFound},
		{name: "unknown api path", method: http.MethodGet, path: "/v1/reportz", token: e.tokP1, want: http.StatusNotFound},
		{name: "root", method: http.MethodGet, path: "/", want: http.StatusNotFound},
		{name: "wrong method on a listing", method: http.MethodPost, path: "/v1/reports", token: e.tokP1, want: http.StatusMethodNotAllowed, allow: "GET, HEAD"},
		{name: "wrong method on a link", method: http.MethodGet, path: "/v1/reports/" + idP1 + "/link", token: e.tokP1, want: http.StatusMethodNotAllowed, allow: "POST"},
		{name: "delete health", method: http.MethodDelete, path: "/healthz", want: http.StatusMethodNotAllowed, allow: "GET, HEAD"},
		{name: "body too large", method: http.MethodPost, path: "/v1/reports/" + idP1 + "/link", token: e.tokP1, bigBody: true, want: http.StatusRequestEntityTooLarge},
		{name: "trailing garbage", method: http.MethodPost, path: "/v1/reports/" + idP1 + "/link", token: e.tokP1, body: `{"ttl":"1h"} x`, want: http.StatusBadRequest},
		{name: "two objects", method: http.MethodPost, path: "/v1/reports/" + idP1 + "/link", token: e.tokP1, body: `{"ttl":"1h"}{"ttl":"2h"}`, want: http.StatusBadRequest},
		{name: "ttl of a nanosecond", method: http.MethodPost, path: "/v1/reports/" + idP1 + "/link", token: e.tokP1, body: `{"ttl":"1ns"}`, want: http.StatusBadRequest},
		{name: "ttl under a second", method: http.MethodPost, path: "/v1/reports/" + idP1 + "/link", token: e.tokP1, body: `{"ttl":"999ms"}`, want: http.StatusBadRequest},
		{name: "unauthorised", method: http.MethodGet, path: "/v1/reports", want: http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var res response
			switch {
			case tc.bigBody:
				res = e.do(t, tc.method, tc.path, tc.token, big, 0)
			case tc.body != "":
				res = e.do(t, tc.method, tc.path, tc.token, strings.NewReader(tc.body), 0)
			default:
				res = e.do(t, tc.method, tc.path, tc.token, nil, 0)
			}
			if res.status != tc.want {
				t.Fatalf("status %d, want %d: %s", res.status, tc.want, res.body)
			}
			var body map[string]string
			if err := json.Unmarshal(res.body, &body); err != nil || body["error"] == "" || len(body) != 1 {
				t.Fatalf("body %q is not {\"error\": …} (%v)", res.body, err)
			}
			if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if cc := res.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			if tc.allow != "" && res.header.Get("Allow") != tc.allow {
				t.Errorf("Allow %q, want %q", res.header.Get("Allow"), tc.allow)
			}
		})
	}

	t.Run("a second is the shortest link", func(t *testing.T) {
		res := e.do(t, http.MethodPost, "/v1/reports/"+idP1+"/link", e.tokP1, strings.NewReader(`{"ttl":"1s"}`), 0)
		if res.status != http.StatusCreated {
			t.Fatalf("1s link: %d %s", res.status, res.body)
		}
	})
	t.Run("metrics are not cached", func(t *testing.T) {
		res := e.get(t, "/metrics", "")
		if res.status != http.StatusOK || res.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("/metrics: %d, Cache-Control %q", res.status, res.header.Get("Cache-Control"))
		}
	})
}
