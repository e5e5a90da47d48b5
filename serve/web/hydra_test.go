package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The sign-in tests run a real OpenID Connect provider: Ory Hydra v2.3.0,
// built by `make hydra` into ~/.cache/insights-tools/bin (INSIGHTS_HYDRA
// names another binary), started per test with `hydra serve all --dev` on an
// in-memory database. Hydra has no user interface of its own: the harness
// below is its login and consent app, which signs in whoever the test says
// (hydraUser) and puts the claims an identity provider would (email,
// email_verified, name, the tenant) into the ID token.

// hydraPath is the Hydra binary, or "" when it is not built here.
func hydraPath(t testing.TB) string {
	if p := os.Getenv("INSIGHTS_HYDRA"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("INSIGHTS_HYDRA=%s: %v (make hydra builds it)", p, err)
		}
		return p
	}
	home, _ := os.UserHomeDir()
	p := filepath.Join(home, ".cache", "insights-tools", "bin", "hydra")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("sign-in tests skipped: no Ory Hydra at %s (make hydra builds it; make test does)", p)
	}
	return p
}

// hydraUser is who signs in next at the provider.
type hydraUser struct {
	Subject, Email, Name, Tenant string
	Verified                     bool
}

type hydra struct {
	issuer, admin string
	client        hydraClient
	mu            sync.Mutex
	user          hydraUser
}

type hydraClient struct {
	ID     string `json:"client_id"`
	Secret string `json:"client_secret"`
}

func (h *hydra) signInAs(u hydraUser) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.user = u
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startHydra starts Hydra with the harness as its login, consent and logout
// app, and registers a client whose redirect URI is redirect.
func startHydra(t testing.TB, redirect, postLogout string) *hydra {
	t.Helper()
	bin := hydraPath(t)
	h := &hydra{}
	harness := httptest.NewServer(http.HandlerFunc(h.serveHarness(t)))
	t.Cleanup(harness.Close)
	pub, adm := freePort(t), freePort(t)
	h.issuer = fmt.Sprintf("http://127.0.0.1:%d/", pub)
	h.admin = fmt.Sprintf("http://127.0.0.1:%d", adm)
	cmd := exec.Command(bin, "serve", "all", "--dev")
	cmd.Env = append(os.Environ(),
		"DSN=memory", "SECRETS_SYSTEM="+randomText(24), "LOG_LEVEL=warn",
		"URLS_SELF_ISSUER="+h.issuer, "URLS_LOGIN="+harness.URL+"/login", "URLS_CONSENT="+harness.URL+"/consent",
		"URLS_LOGOUT="+harness.URL+"/logout", "URLS_POST_LOGOUT_REDIRECT="+postLogout,
		fmt.Sprintf("SERVE_PUBLIC_PORT=%d", pub), fmt.Sprintf("SERVE_ADMIN_PORT=%d", adm),
		"SERVE_PUBLIC_HOST=127.0.0.1", "SERVE_ADMIN_HOST=127.0.0.1")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start hydra: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("hydra's log:\n%s", logs.String())
		}
	})
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := http.Get(h.issuer + ".well-known/openid-configuration")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-done:
			t.Fatalf("hydra ended before answering:\n%s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("hydra did not answer discovery in time:\n%s", logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	h.client = h.newClient(t, redirect, postLogout)
	return h
}

// newClient registers an application with the provider.
func (h *hydra) newClient(t testing.TB, redirect, postLogout string) hydraClient {
	t.Helper()
	var c hydraClient
	h.adminCall(t, http.MethodPost, "/admin/clients", map[string]any{
		"client_secret": randomText(24), "redirect_uris": []string{redirect},
		"post_logout_redirect_uris": []string{postLogout},
		"grant_types":               []string{"authorization_code"}, "response_types": []string{"code"},
		"scope": "openid email profile", "token_endpoint_auth_method": "client_secret_basic",
	}, &c)
	if c.ID == "" || c.Secret == "" {
		t.Fatalf("hydra made no client: %+v", c)
	}
	return c
}

// adminCall calls Hydra's admin API.
func (h *hydra) adminCall(t testing.TB, method, path string, body, out any) {
	t.Helper()
	if err := h.admin1(method, path, body, out); err != nil {
		t.Error(err)
	}
}

func (h *hydra) admin1(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, h.admin+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("hydra admin %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("hydra admin %s %s: %s %s", method, path, resp.Status, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// serveHarness is the login, consent and logout app: it accepts every
// request for the user of the moment.
func (h *hydra) serveHarness(t testing.TB) func(http.ResponseWriter, *http.Request) {
	return func(rw http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		u := h.user
		h.mu.Unlock()
		var redirect struct {
			To string `json:"redirect_to"`
		}
		var err error
		switch r.URL.Path {
		case "/login":
			ch := url.QueryEscape(r.URL.Query().Get("login_challenge"))
			err = h.admin1(http.MethodPut, "/admin/oauth2/auth/requests/login/accept?login_challenge="+ch,
				map[string]any{"subject": u.Subject, "remember": false}, &redirect)
		case "/consent":
			ch := url.QueryEscape(r.URL.Query().Get("consent_challenge"))
			var req struct {
				Scope    []string `json:"requested_scope"`
				Audience []string `json:"requested_access_token_audience"`
			}
			if err = h.admin1(http.MethodGet, "/admin/oauth2/auth/requests/consent?consent_challenge="+ch, nil, &req); err == nil {
				claims := map[string]any{"email": u.Email, "email_verified": u.Verified, "name": u.Name}
				if u.Tenant != "" {
					claims["tid"] = u.Tenant
				}
				err = h.admin1(http.MethodPut, "/admin/oauth2/auth/requests/consent/accept?consent_challenge="+ch, map[string]any{
					"grant_scope": req.Scope, "grant_access_token_audience": req.Audience, "remember": false,
					"session": map[string]any{"id_token": claims},
				}, &redirect)
			}
		case "/logout":
			ch := url.QueryEscape(r.URL.Query().Get("logout_challenge"))
			err = h.admin1(http.MethodPut, "/admin/oauth2/auth/requests/logout/accept?logout_challenge="+ch, nil, &redirect)
		default:
			http.NotFound(rw, r)
			return
		}
		if err != nil {
			t.Errorf("provider harness %s: %v", r.URL.Path, err)
			http.Error(rw, err.Error(), http.StatusBadGateway)
			return
		}
		http.Redirect(rw, r, redirect.To, http.StatusFound)
	}
}
