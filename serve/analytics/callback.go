package analytics

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CallbackPolicy says where callbacks may go and how they are retried.
type CallbackPolicy struct {
	// AllowLoopback lets callbacks reach 127.0.0.0/8 and ::1 (over http or
	// https): a partner's test receiver on the same machine.
	AllowLoopback bool
	// AllowPrivate lets callbacks reach private, link-local and shared
	// address ranges (an operator's own network). Off by default, so that a
	// partner cannot make the service call into the operator's network.
	AllowPrivate bool
	Timeout      time.Duration   // per attempt; default 10s
	Backoff      []time.Duration // waits before the 2nd, 3rd… attempt; default 1m, 5m, 30m, 2h, 5h, 10h
}

func (p CallbackPolicy) withDefaults() CallbackPolicy {
	if p.Timeout <= 0 {
		p.Timeout = 10 * time.Second
	}
	if p.Backoff == nil {
		p.Backoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour}
	}
	return p
}

var errCallbackAddress = errors.New("callback address not allowed")

// allowed says whether the policy lets a callback connect to ip.
func (p CallbackPolicy) allowed(ip netip.Addr) bool {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return p.AllowLoopback
	case ip.IsUnspecified(), ip.IsMulticast(), ip.IsInterfaceLocalMulticast(), ip.IsLinkLocalMulticast():
		return false
	case ip.IsPrivate(), ip.IsLinkLocalUnicast(), sharedRange.Contains(ip), benchmarkRange.Contains(ip):
		return p.AllowPrivate
	}
	return ip.IsGlobalUnicast()
}

var (
	sharedRange    = netip.MustParsePrefix("100.64.0.0/10") // carrier-grade NAT
	benchmarkRange = netip.MustParsePrefix("198.18.0.0/15")
)

// checkURL validates a callback URL when a report is saved: https, or http to
// a loopback address; no credentials; an address the policy allows when the
// host is an IP (names are checked again on every connection).
func (p CallbackPolicy) checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("CallbackUrl %q is not an absolute URL", raw)
	}
	if u.User != nil {
		return errors.New("CallbackUrl must not carry credentials")
	}
	host := u.Hostname()
	ip, perr := netip.ParseAddr(host)
	isIP := perr == nil
	loopback := (isIP && ip.Unmap().IsLoopback()) || strings.EqualFold(host, "localhost")
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback:
	default:
		return errors.New("CallbackUrl must be https (http only to a loopback address)")
	}
	if loopback && !p.AllowLoopback {
		return errors.New("CallbackUrl: loopback addresses are not allowed here")
	}
	if isIP && !p.allowed(ip) {
		return fmt.Errorf("CallbackUrl: %s is not a public address", host)
	}
	return nil
}

// client is the HTTP client for callbacks: its dialer refuses addresses the
// policy does not allow at connect time (after DNS, so a name that resolves
// to a private address is refused too), it never follows redirects and it
// ignores proxies from the environment.
func (p CallbackPolicy) client() *http.Client {
	d := &net.Dialer{Timeout: p.Timeout, Control: func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if err != nil || !p.allowed(ip) {
			return fmt.Errorf("%w: %s", errCallbackAddress, host)
		}
		return nil
	}}
	return &http.Client{
		Timeout: p.Timeout,
		Transport: &http.Transport{
			DialContext:           d.DialContext,
			TLSHandshakeTimeout:   p.Timeout,
			ResponseHeaderTimeout: p.Timeout,
			MaxIdleConns:          10,
			IdleConnTimeout:       30 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// NewWebhookSecret returns a Standard Webhooks secret: "whsec_" and 32 random bytes in base64.
func NewWebhookSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// SignWebhook is the Standard Webhooks signature of a message: "v1," and the
// base64 HMAC-SHA256, keyed by the secret's decoded bytes, of
// "<id>.<timestamp>.<body>".
func SignWebhook(secret, id string, timestamp int64, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(key) == 0 {
		return "", errors.New("malformed webhook secret")
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + strconv.FormatInt(timestamp, 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// VerifyWebhook checks a received callback the way a receiver should: the
// timestamp within tolerance of now, and one of the space-separated
// signatures in the webhook-signature header matching.
func VerifyWebhook(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if id == "" || err != nil {
		return errors.New("missing webhook-id or webhook-timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return errors.New("webhook timestamp outside tolerance")
	}
	want, err := SignWebhook(secret, id, sec, body)
	if err != nil {
		return err
	}
	for _, s := range strings.Fields(sigs) {
		if hmac.Equal([]byte(s), []byte(want)) {
			return nil
		}
	}
	return errors.New("no matching webhook signature")
}

// CallbackBody is the JSON a callback carries (POST), or its query
// parameters (GET). Partner Center does not document one; this is ours.
type CallbackBody struct {
	Type                   string  `json:"type"` // "report.execution.completed" or "report.execution.failed"
	ReportID               string  `json:"reportId"`
	ReportName             string  `json:"reportName"`
	ExecutionID            string  `json:"executionId"`
	ExecutionStatus        string  `json:"executionStatus"`
	ReportAccessSecureLink *string `json:"reportAccessSecureLink"`
	ReportExpiryTime       *string `json:"reportExpiryTime"`
	ReportGeneratedTime    *string `json:"reportGeneratedTime"`
	RowCount               int64   `json:"rowCount"`
	Message                string  `json:"message,omitempty"`
}

// deliverCallbacks makes every due callback attempt.
func (s *Service) deliverCallbacks(ctx context.Context) (int, error) {
	var due []string
	err := s.each(ctx, "callbacks_due", []any{s.now()}, func(r *sql.Rows) error {
		var id string
		err := r.Scan(&id)
		due = append(due, id)
		return err
	})
	if err != nil {
		return 0, err
	}
	delivered := 0
	for _, id := range due {
		if ctx.Err() != nil {
			return delivered, ctx.Err()
		}
		ok, err := s.attemptCallback(ctx, id)
		if err != nil {
			return delivered, err
		}
		if ok {
			delivered++
		}
	}
	return delivered, nil
}

// attemptCallback makes one attempt for an execution and records it; a
// failure schedules the next attempt after the back-off, until none is left.
func (s *Service) attemptCallback(ctx context.Context, executionID string) (bool, error) {
	e, err := s.execution(ctx, executionID)
	if err != nil {
		return false, err
	}
	r, err := s.report(ctx, e.PartnerID, e.ReportID)
	if errors.Is(err, errNotFound) || (err == nil && r.CallbackURL == "") {
		_, err = s.exec(ctx, "callback_update", e.ID, e.CallbackAttempts, "Failed", nil)
		return false, err
	}
	if err != nil {
		return false, err
	}
	body := s.callbackBody(r, e)
	payload, err := json.Marshal(body)
	if err != nil {
		return false, err
	}
	attempt := e.CallbackAttempts + 1
	webhookID := "msg_" + e.ID // the same on every attempt
	start := s.now()
	code, sendErr := s.send(ctx, r, webhookID, payload, body)
	elapsed := time.Since(start).Milliseconds()
	if elapsed < 0 {
		elapsed = 0
	}
	var codeArg, errArg any
	if code != 0 {
		codeArg = code
	}
	if sendErr != nil {
		errArg = truncate(sendErr.Error(), 1000)
	}
	status, next := "Delivered", (*time.Time)(nil)
	if sendErr != nil {
		status = "Failed"
		if attempt <= len(s.cfg.Callbacks.Backoff) {
			status = "Pending"
			t := start.Add(s.cfg.Callbacks.Backoff[attempt-1])
			next = &t
		}
		s.log.Warn("callback failed", "report_id", r.ID, "execution_id", e.ID, "attempt", attempt, "next", next, "err", sendErr)
	} else {
		s.log.Info("callback delivered", "report_id", r.ID, "execution_id", e.ID, "attempt", attempt, "status", code)
	}
	if _, err := s.exec(ctx, "attempt_insert", e.ID, attempt, webhookID, r.CallbackURL, start, codeArg, errArg, elapsed); err != nil {
		return false, err
	}
	if _, err := s.exec(ctx, "callback_update", e.ID, attempt, status, nullTime(next)); err != nil {
		return false, err
	}
	return sendErr == nil, nil
}

// send makes one signed request; a 2xx answer is a delivery.
func (s *Service) send(ctx context.Context, r *Report, webhookID string, payload []byte, body CallbackBody) (int, error) {
	if err := s.cfg.Callbacks.checkURL(r.CallbackURL); err != nil {
		return 0, err
	}
	ts := s.now().Unix()
	var req *http.Request
	var err error
	signed := payload
	target := callbackTarget(r.CallbackURL, r.ID)
	if strings.EqualFold(r.CallbackMethod, http.MethodGet) {
		u, _ := url.Parse(target) // checked above
		q := u.Query()
		q.Set("reportId", body.ReportID)
		q.Set("executionId", body.ExecutionID)
		q.Set("executionStatus", body.ExecutionStatus)
		if body.ReportAccessSecureLink != nil {
			q.Set("reportAccessSecureLink", *body.ReportAccessSecureLink)
		}
		u.RawQuery = q.Encode()
		// A GET has no body: the signature covers the full URL instead.
		signed = []byte(u.String())
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(payload))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
		}
	}
	if err != nil {
		return 0, err
	}
	sig, err := SignWebhook(r.CallbackSecret, webhookID, ts, signed)
	if err != nil {
		return 0, err
	}
	req.Header.Set("webhook-id", webhookID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sig)
	req.Header.Set("User-Agent", "marketplace-insights-callbacks/1")
	res, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, fmt.Errorf("callback answered %s", res.Status)
	}
	return res.StatusCode, nil
}

// callbackTarget is where a report's callback goes: Partner Center appends
// the report id to the CallbackUrl's path, and Microsoft's samples (C# and
// Java) receive it so, on "reportready/{reportId}" with the CallbackUrl
// ".../reportready/". A path without a trailing slash gets one before the id.
func callbackTarget(raw, reportID string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw // checkURL refuses it before any request
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.Path += reportID
	u.RawPath = ""
	return u.String()
}

func (s *Service) callbackBody(r *Report, e *Execution) CallbackBody {
	v := s.executionView(r, e)
	b := CallbackBody{Type: "report.execution.completed", ReportID: r.ID, ReportName: r.Name, ExecutionID: e.ID,
		ExecutionStatus: e.Status, ReportAccessSecureLink: v.ReportAccessSecureLink, ReportExpiryTime: v.ReportExpiryTime,
		ReportGeneratedTime: v.ReportGeneratedTime, RowCount: e.Rows}
	if e.Status == statusFailed {
		b.Type, b.Message = "report.execution.failed", e.Error
	}
	return b
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
