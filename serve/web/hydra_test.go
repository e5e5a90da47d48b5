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
	"strings"
	"sync"
	"testing"
	"time"
)

// The sign-in tests, and the browser, isolation and accessibility tests that
// sign people in, run a real OpenID Connect provider: Ory Hydra v2.3.0, built
// by `make hydra` into ~/.cache/insights-tools/bin (INSIGHTS_HYDRA names
// another binary). When the binary is missing the harness builds it there
// itself, as the Makefile does: the tests never skip for want of it. One Hydra
// serves the whole package run (`hydra serve all --dev` on an in-memory
// database, started by the first test that needs it and stopped by
// TestMain); each test's service registers its own client with it. Hydra has
// no user interface of its own: the harness below is its login and consent
// app, which signs in whoever the test says for that client (signInAs) and
// puts the claims an identity provider would (email, email_verified, name,
// the tenant) into the ID token.

func TestMain(m *testing.M) {
	code := m.Run()
	sharedHydra.stop()
	os.Exit(code)
}

// hydraBinary is the Hydra binary, built first when it is missing.
func hydraBinary() (string, error) {
	p := os.Getenv("INSIGHTS_HYDRA")
	if p == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the tools folder: %w", err)
		}
		p = filepath.Join(home, ".cache", "insights-tools", "bin", "hydra")
	}
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	return p, buildHydra(p)
}

// buildHydra builds Hydra into bin from the tools/hydra module, with the
// command of the Makefile's hydra target (minutes on a cold machine).
func buildHydra(bin string) error {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("find the module root to build Ory Hydra: %w", err)
	}
	tools := filepath.Join(filepath.Dir(strings.TrimSpace(string(out))), "tools", "hydra")
	if _, err := os.Stat(filepath.Join(tools, "go.mod")); err != nil {
		return fmt.Errorf("no tools/hydra module to build Ory Hydra from: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return fmt.Errorf("make the tools folder: %w", err)
	}
	fmt.Fprintf(os.Stderr, "building Ory Hydra into %s for the sign-in tests (make hydra does the same; minutes on a cold machine)\n", bin)
	tmp := fmt.Sprintf("%s.build-%d", bin, os.Getpid())
	cmd := exec.Command("go", "build", "-tags", "sqlite,sqlite_omit_load_extension", "-o", tmp, "github.com/ory/hydra/v2")
	cmd.Dir = tools
	cmd.Env = append(os.Environ(), "GOFLAGS=", "CGO_ENABLED=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("build Ory Hydra (make hydra): %w\n%s", err, b)
	}
	// Renamed into place whole: a concurrent run never starts half a binary.
	if err := os.Rename(tmp, bin); err != nil {
		return fmt.Errorf("install Ory Hydra: %w", err)
	}
	return nil
}

// hydraUser is who signs in next at the provider.
type hydraUser struct {
	Subject, Email, Name, Tenant string
	Verified                     bool
}

// hydra is the running provider and its login and consent app.
type hydra struct {
	issuer, admin string
	logs          *lockedBuffer
	mu            sync.Mutex
	users         map[string]hydraUser // client id → who signs in next
}

// hydraApp is one application registered with the shared provider: a test's
// service.
type hydraApp struct {
	*hydra
	client hydraClient
}

type hydraClient struct {
	ID     string `json:"client_id"`
	Secret string `json:"client_secret"`
}

// signInAs says who signs in next to this application.
func (a *hydraApp) signInAs(u hydraUser) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.users[a.client.ID] = u
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freePort(t testing.TB) int {
	t.Helper()
	p, err := freePort1()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func freePort1() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// sharedHydra is the package run's provider.
var sharedHydra hydraProcess

type hydraProcess struct {
	once sync.Once
	h    *hydra
	err  error
	kill func()
}

func (p *hydraProcess) stop() {
	if p.kill != nil {
		p.kill()
	}
}

// startHydra registers an application with the package's provider (started
// on first use) whose redirect URI is redirect.
func startHydra(t testing.TB, redirect, postLogout string) *hydraApp {
	t.Helper()
	sharedHydra.once.Do(func() { sharedHydra.h, sharedHydra.kill, sharedHydra.err = launchHydra() })
	if sharedHydra.err != nil {
		t.Fatal(sharedHydra.err)
	}
	h := sharedHydra.h
	start := len(h.logs.String())
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("hydra's log during the test:\n%s", h.logs.String()[start:])
		}
	})
	return &hydraApp{hydra: h, client: h.newClient(t, redirect, postLogout)}
}

// launchHydra starts Hydra with the harness as its login, consent and logout
// app; kill stops both.
func launchHydra() (*hydra, func(), error) {
	bin, err := hydraBinary()
	if err != nil {
		return nil, nil, err
	}
	h := &hydra{logs: &lockedBuffer{}, users: map[string]hydraUser{}}
	harness := httptest.NewServer(http.HandlerFunc(h.serveHarness))
	pub, err1 := freePort1()
	adm, err2 := freePort1()
	if err1 != nil || err2 != nil {
		harness.Close()
		return nil, nil, fmt.Errorf("ports for hydra: %v %v", err1, err2)
	}
	h.issuer = fmt.Sprintf("http://127.0.0.1:%d/", pub)
	h.admin = fmt.Sprintf("http://127.0.0.1:%d", adm)
	cmd := exec.Command(bin, "serve", "all", "--dev")
	cmd.Env = append(os.Environ(),
		"DSN=memory", "SECRETS_SYSTEM="+randomText(24), "LOG_LEVEL=warn",
		"URLS_SELF_ISSUER="+h.issuer, "URLS_LOGIN="+harness.URL+"/login", "URLS_CONSENT="+harness.URL+"/consent",
		"URLS_LOGOUT="+harness.URL+"/logout",
		fmt.Sprintf("SERVE_PUBLIC_PORT=%d", pub), fmt.Sprintf("SERVE_ADMIN_PORT=%d", adm),
		"SERVE_PUBLIC_HOST=127.0.0.1", "SERVE_ADMIN_HOST=127.0.0.1")
	cmd.Stdout, cmd.Stderr = h.logs, h.logs
	if err := cmd.Start(); err != nil {
		harness.Close()
		return nil, nil, fmt.Errorf("start hydra: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	kill := func() {
		_ = cmd.Process.Kill()
		<-done
		harness.Close()
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := http.Get(h.issuer + ".well-known/openid-configuration")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return h, kill, nil
			}
		}
		select {
		case <-done:
			harness.Close()
			return nil, nil, fmt.Errorf("hydra ended before answering:\n%s", h.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			kill()
			return nil, nil, fmt.Errorf("hydra did not answer discovery in time:\n%s", h.logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
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

// userOf is who signs in to the client of a login or consent request.
func (h *hydra) userOf(clientID string) (hydraUser, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	u, ok := h.users[clientID]
	if !ok {
		return hydraUser{}, fmt.Errorf("nobody set to sign in to client %s (signInAs)", clientID)
	}
	return u, nil
}

// serveHarness is the login, consent and logout app: it accepts every
// request, for the user of the moment of the request's application.
func (h *hydra) serveHarness(rw http.ResponseWriter, r *http.Request) {
	var redirect struct {
		To string `json:"redirect_to"`
	}
	var req struct {
		Client   hydraClient `json:"client"`
		Scope    []string    `json:"requested_scope"`
		Audience []string    `json:"requested_access_token_audience"`
	}
	var err error
	switch r.URL.Path {
	case "/login":
		ch := url.QueryEscape(r.URL.Query().Get("login_challenge"))
		var u hydraUser
		if err = h.admin1(http.MethodGet, "/admin/oauth2/auth/requests/login?login_challenge="+ch, nil, &req); err == nil {
			if u, err = h.userOf(req.Client.ID); err == nil {
				err = h.admin1(http.MethodPut, "/admin/oauth2/auth/requests/login/accept?login_challenge="+ch,
					map[string]any{"subject": u.Subject, "remember": false}, &redirect)
			}
		}
	case "/consent":
		ch := url.QueryEscape(r.URL.Query().Get("consent_challenge"))
		var u hydraUser
		if err = h.admin1(http.MethodGet, "/admin/oauth2/auth/requests/consent?consent_challenge="+ch, nil, &req); err == nil {
			if u, err = h.userOf(req.Client.ID); err == nil {
				claims := map[string]any{"email": u.Email, "email_verified": u.Verified, "name": u.Name}
				if u.Tenant != "" {
					claims["tid"] = u.Tenant
				}
				err = h.admin1(http.MethodPut, "/admin/oauth2/auth/requests/consent/accept?consent_challenge="+ch, map[string]any{
					"grant_scope": req.Scope, "grant_access_token_audience": req.Audience, "remember": false,
					"session": map[string]any{"id_token": claims},
				}, &redirect)
			}
		}
	case "/logout":
		ch := url.QueryEscape(r.URL.Query().Get("logout_challenge"))
		err = h.admin1(http.MethodPut, "/admin/oauth2/auth/requests/logout/accept?logout_challenge="+ch, nil, &redirect)
	default:
		http.NotFound(rw, r)
		return
	}
	if err != nil {
		fmt.Fprintf(h.logs, "provider harness %s: %v\n", r.URL.Path, err)
		http.Error(rw, "provider harness: "+err.Error(), http.StatusBadGateway)
		return
	}
	http.Redirect(rw, r, redirect.To, http.StatusFound)
}
