package analytics

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestCallbackPolicy(t *testing.T) {
	open := CallbackPolicy{AllowLoopback: true}
	strict := CallbackPolicy{}
	private := CallbackPolicy{AllowPrivate: true}
	tests := []struct {
		url    string
		policy CallbackPolicy
		ok     bool
	}{
		{"https://partner.example.com/hook", strict, true},
		{"https://203.0.113.7/hook", strict, true},
		{"http://partner.example.com/hook", strict, false},
		{"http://127.0.0.1:9999/hook", open, true},
		{"http://[::1]:9999/hook", open, true},
		{"http://localhost:9999/hook", open, true},
		{"http://127.0.0.1:9999/hook", strict, false},
		{"https://10.0.0.1/", strict, false},
		{"https://10.0.0.1/", private, true},
		{"https://172.16.5.4/", strict, false},
		{"https://192.168.1.1/", strict, false},
		{"https://100.64.0.1/", strict, false},
		{"https://169.254.169.254/latest/meta-data", strict, false},
		{"https://[fd00::1]/", strict, false},
		{"https://[fe80::1]/", strict, false},
		{"https://0.0.0.0/", open, false},
		{"https://224.0.0.1/", strict, false},
		{"https://user:pass@partner.example.com/", strict, false},
		{"ftp://partner.example.com/", strict, false},
		{"/relative", strict, false},
		{"https://", strict, false},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			err := tc.policy.withDefaults().checkURL(tc.url)
			if (err == nil) != tc.ok {
				t.Fatalf("checkURL = %v, want ok %v", err, tc.ok)
			}
		})
	}
	if strict.allowed(netip.MustParseAddr("::ffff:10.0.0.1")) {
		t.Error("an IPv4-mapped private address was allowed")
	}
}

// TestCallbackClientChecksAtConnect: a name that resolves to an address the
// policy refuses is refused when connecting, whatever the URL said.
func TestCallbackClientChecksAtConnect(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) }))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	strict := CallbackPolicy{Timeout: 2 * time.Second}.client()
	_, err := strict.Get("http://localhost" + port + "/")
	if !errors.Is(err, errCallbackAddress) {
		t.Fatalf("connecting to loopback by name: %v", err)
	}
	res, err := CallbackPolicy{AllowLoopback: true, Timeout: 2 * time.Second}.client().Get("http://localhost" + port + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
}

func TestSignWebhookKnownVector(t *testing.T) {
	// The example of the Standard Webhooks specification.
	sig, err := SignWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
		[]byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if sig != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Fatalf("signature %s", sig)
	}
	h := http.Header{}
	h.Set("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	h.Set("webhook-timestamp", "1614265330")
	h.Set("webhook-signature", "v1,bm9wZQ== "+sig)
	if err := VerifyWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", h, []byte(`{"test": 2432232314}`), time.Unix(1614265330, 0), time.Minute); err != nil {
		t.Fatal(err)
	}
	if VerifyWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", h, []byte(`{"test": 2432232314}`), time.Unix(1614265330+3600, 0), time.Minute) == nil {
		t.Fatal("an old timestamp verified")
	}
}
