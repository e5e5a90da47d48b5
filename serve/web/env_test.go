package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/marketplace-insights/insights/serve"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/serve/download"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// Report ids of the seeded manifest (24 hex digits, as the generator makes them).
const (
	idP1June    = "a1a1a1a1a1a1a1a1a1a1a101"
	idP1JuneCSV = "a1a1a1a1a1a1a1a1a1a1a102"
	idP1May     = "a1a1a1a1a1a1a1a1a1a1a103"
	idP2June    = "b2b2b2b2b2b2b2b2b2b2b201"
	idPack      = "c3c3c3c3c3c3c3c3c3c3c301"
)

// env is `insights serve`'s HTTP side on a random loopback port: the API with
// the pages mounted as cmd/internal/app mounts them, on a real database.
type env struct {
	base    string
	store   *duckstore.Store
	cat     *download.DBCatalog
	out     string
	logs    *testkit.LogBuffer
	tokens  map[string]string // "P1", "P2", "rewards" → token
	ids     map[string]string // the same → token id
	p1Excel []byte
	stop    func() // stops the running service (start)
	web     *Web   // the pages of the running service
	webCfg  Config // the pages' configuration (sign-in with a provider: oidc_test.go)
	addr    string // where serve listens ("" = a free loopback port)

	// With people (startPeopleEnv): the pages sign people in through a real
	// provider (Hydra); tokens stay for the APIs.
	idp       *hydraApp
	people    *auth.DBPeople
	personIDs map[string]string    // person key → person id
	users     map[string]hydraUser // person key → their account at the provider
	skew      atomic.Int64         // added to the ID-token verifier's clock (expired tokens)
	webSkew   atomic.Int64         // added to the pages' clock (a sign-in that took too long)
	oidcCfg   auth.OIDCConfig
}

// startEnv starts the service on a fresh database, seeded with a small
// marketplace unless empty is true (then only tokens exist: every page shows
// its empty state).
//
// This is the single-machine setup (`make demo`): no identity provider, so
// the pages take API tokens. The browser, isolation and accessibility tests
// sign people in instead: startPeopleEnv.
func startEnv(t testing.TB, empty bool) *env {
	t.Helper()
	return startEnvWith(t, envOptions{empty: empty})
}

// startPeopleEnv is startEnv with sign-in through a real OpenID Connect
// provider (Hydra) and people (see withPeople); empty keeps the companies and
// their publisher profiles (reference data) but no marketplace data.
func startPeopleEnv(t testing.TB, empty bool) *env {
	t.Helper()
	return startEnvWith(t, envOptions{empty: empty, people: true})
}

type envOptions struct {
	empty       bool // no marketplace data
	people      bool // people sign in through the provider
	tokenSignIn bool // with people: [web] token_sign_in = true
}

func startEnvWith(t testing.TB, o envOptions) *env {
	t.Helper()
	dir := t.TempDir()
	store, err := duckstore.Open(context.Background(), duckstore.Config{Path: filepath.Join(dir, "t.duckdb"), Threads: 1, MemoryLimit: "512MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	e := &env{store: store, out: filepath.Join(dir, "out")}
	switch {
	case !o.empty:
		e.seed(t)
	case o.people:
		seedCompanies(t, store)
	}
	if o.people {
		e.withPeople(t, o.tokenSignIn)
	}
	e.serve(t)
	return e
}

// withPeople configures sign-in through the package's provider (an
// application registered for this service's address) and adds the people:
// the rewards team's reviewer and admin; Contoso (PGA1, profiles P1 and P1b,
// tenant tid-contoso) with a partner admin and a viewer; Fabrikam (PGA2,
// tid-fabrikam) with a partner admin; Newco (PGA9, tid-newco), a company with
// no publisher profile yet, with a partner admin. Each person's account at
// the provider has a verified email and the tenant of their company (the
// rewards team's: tid-rewards, its only tenant).
func (e *env) withPeople(t testing.TB, tokenSignIn bool) {
	t.Helper()
	ctx := context.Background()
	e.people, e.personIDs, e.users = auth.NewDBPeople(e.store), map[string]string{}, map[string]hydraUser{}
	e.addr = "127.0.0.1:" + strconv.Itoa(freePort(t))
	base := "http://" + e.addr
	e.idp = startHydra(t, base+"/sign-in/callback", base+"/sign-in?signed_out=1")
	now := func() time.Time { return time.Now().Add(time.Duration(e.skew.Load())) }
	e.oidcCfg = auth.OIDCConfig{Issuer: e.idp.issuer, ClientID: e.idp.client.ID, ClientSecret: e.idp.client.Secret,
		RedirectURL: base + "/sign-in/callback", TenantClaim: "tid", RewardsTenants: []string{"tid-rewards"},
		PostLogoutURL: base + "/sign-in?signed_out=1", Now: now}
	o, err := auth.NewOIDC(ctx, e.oidcCfg)
	if err != nil {
		t.Fatal(err)
	}
	e.webCfg = Config{OIDC: o, TokenSignIn: tokenSignIn, Now: func() time.Time { return time.Now().Add(time.Duration(e.webSkew.Load())) }}
	for _, tn := range []auth.Tenant{{PGAID: "PGA1", TenantID: "tid-contoso"}, {PGAID: "PGA2", TenantID: "tid-fabrikam"}, {PGAID: "PGA9", TenantID: "tid-newco"}} {
		tn.Added, tn.By = time.Now(), "test"
		if err := e.people.SetTenant(ctx, tn, true); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []struct {
		key, email, name, pga, tenant string
		role                          auth.PersonRole
	}{
		{"reviewer", "rita@rewards.example", "Rita Reviewer", "", "tid-rewards", auth.RoleReviewer},
		{"radmin", "adam@rewards.example", "Adam Admin", "", "tid-rewards", auth.RoleRewardsAdmin},
		{"contoso-admin", "ann@contoso.example", "Ann Lee", "PGA1", "tid-contoso", auth.RolePartnerAdmin},
		{"contoso-viewer", "vic@contoso.example", "Vic Viewer", "PGA1", "tid-contoso", auth.RoleViewer},
		{"fabrikam-admin", "bo@fabrikam.example", "Bo Chen", "PGA2", "tid-fabrikam", auth.RolePartnerAdmin},
		{"newco-admin", "nina@newco.example", "Nina Novak", "PGA9", "tid-newco", auth.RolePartnerAdmin},
	} {
		// Newco is not in the reference data yet (added as `insights people
		// add --company` allows, for a company whose first profile is coming).
		added, err := auth.AddPerson(ctx, e.people, "test", p.email, p.name, p.pga, p.role, p.pga == "PGA9", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		e.personIDs[p.key] = added.ID
		e.users[p.key] = hydraUser{Subject: "sub-" + p.key, Email: p.email, Name: p.name, Tenant: p.tenant, Verified: true}
	}
}

// seedCompanies is the reference data of the seed alone: the companies and
// their publisher profiles.
func seedCompanies(t testing.TB, s *duckstore.Store) {
	t.Helper()
	testkit.Exec(t, s, `INSERT INTO partners VALUES
		('P1', 'PGA1', 'Contoso Apps', 'Contoso Ltd', 'accounts@contoso.example', 1),
		('P1b', 'PGA1', 'Contoso Data', 'Contoso Ltd', 'accounts@contoso.example', 1),
		('P2', 'PGA2', 'Fabrikam', 'Fabrikam Inc', 'ops@fabrikam.example', 1),
		('P3', 'PGA3', 'Northwind', 'Northwind Traders', 'hq@northwind.example', 1)`)
}

// personClient is a browser-like client (env.client) signed in as the person
// key through the provider, on their start page (for the form token).
func (e *env) personClient(t *testing.T, key string) *client {
	t.Helper()
	c := e.client(t)
	a := e.signIn(t, &http.Client{Jar: c.http.Jar, Timeout: 30 * time.Second}, key, "")
	if m := csrfField.FindStringSubmatch(a.body); m != nil {
		c.csrf = m[1]
	}
	return c
}

// serve makes tokens for P1, P2 and the rewards team and starts the service
// on e.store.
func (e *env) serve(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	e.logs, e.tokens, e.ids, e.cat = &testkit.LogBuffer{}, map[string]string{}, map[string]string{}, download.NewDBCatalog(e.store)
	for _, who := range []string{"P1", "P2", "rewards"} {
		role, partner := auth.RolePartner, who
		if who == "rewards" {
			role, partner = auth.RoleRewards, ""
		}
		tok, info, err := e.cat.CreateToken(ctx, role, partner, "test "+who)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[who], e.ids[who] = tok, info.ID
	}
	addr := e.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	e.start(t, addr)
}

// start runs a service on addr: a new server and pages (so new sessions in
// memory) on e.store, stopped by e.stop or at the end of the test.
func (e *env) start(t testing.TB, addr string) {
	t.Helper()
	ctx := context.Background()
	secret, err := e.cat.LinkSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(e.logs, nil))
	store := e.store
	// As `insights serve` does: tokens and the manifest from memory.
	cached := download.NewCachedCatalog(e.cat, log, time.Second)
	if err := cached.Load(ctx); err != nil {
		t.Fatal(err)
	}
	api, err := download.New(download.Config{OutRoot: e.out, LinkSecret: secret, LinkTTL: time.Hour}, cached, log)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := serve.New(serve.Config{
		MaxRequestBytes:   64 << 10,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second,
		IdleTimeout: 10 * time.Second, MaxHeaderBytes: 16 << 10, ShutdownTimeout: 2 * time.Second, Health: api.Health,
	}, prometheus.NewRegistry(), log)
	if err != nil {
		t.Fatal(err)
	}
	api.Register(srv)
	e.web = New(e.webCfg, store, api, log)
	e.web.Register(srv)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	e.base = "http://" + ln.Addr().String()
	sctx, cancel := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	var once sync.Once
	e.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-served:
				if err != nil {
					t.Errorf("serve: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("the server did not stop")
			}
		})
	}
	t.Cleanup(e.stop)
}

// restart stops the service and starts a new one on the same address, as
// restarting `insights serve` does.
func (e *env) restart(t testing.TB) {
	t.Helper()
	e.stop()
	e.start(t, strings.TrimPrefix(e.base, "http://"))
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// seed writes a small marketplace as the transform would leave it: three
// companies (Contoso with two publisher profiles, ready, Tier 1 waiting for a
// decision; Fabrikam, Tier 1, no phone on its contact; Northwind, approved and
// never contacted), reports for P1 and P2, a review pack, and attribution.
func (e *env) seed(t testing.TB) {
	s := e.store
	seedCompanies(t, s)
	testkit.Exec(t, s, `INSERT INTO offers VALUES
		('contoso-app', 'P1', 'Contoso App', 'Transact', 'AZUREMARKETPLACE', DATE '2024-06-01', 1),
		('fabrikam-crm', 'P2', 'Fabrikam CRM', 'Transact', 'APPSOURCE', DATE '2025-04-01', 1)`)
	testkit.Exec(t, s, `INSERT INTO contacts VALUES
		('PGA1', 'Ann Lee', 'ann@contoso.example', '+1 555 0100', 'en-US', TIMESTAMP '2025-01-05 10:00:00', TIMESTAMP '2025-01-10 10:00:00', 1)`)
	testkit.Exec(t, s, `INSERT INTO tier_run VALUES ('run-1', DATE '2025-06-30')`)
	testkit.Exec(t, s, `INSERT INTO tier_settings VALUES (12, 3, 'built-in defaults')`)
	testkit.Exec(t, s, `INSERT INTO tier_rules VALUES (1, 'Tier 1', 'tier-1', 1000000), (2, 'Tier 2', 'tier-2', 2000000), (3, 'Tier 3', 'tier-3', 4000000)`)
	testkit.Exec(t, s, `INSERT INTO billed_sales_monthly_data
		SELECT pga, m::DATE, last_day(m::DATE), amt, 0, 0, 0, 0, amt, 10, 0, 1
		FROM (SELECT 'PGA1' AS pga, unnest(generate_series(DATE '2024-07-01', DATE '2025-06-01', INTERVAL 1 MONTH)) AS m) x,
		     LATERAL (SELECT CAST(80000 + 5000 * datediff('month', DATE '2024-07-01', x.m) AS DECIMAL(18,2)) AS amt)
		UNION ALL
		SELECT pga, m::DATE, last_day(m::DATE), 95000.50, 0, 0, 0, 0, 95000.50, 4, 0, 1
		FROM (SELECT 'PGA2' AS pga, unnest(generate_series(DATE '2024-07-01', DATE '2025-06-01', INTERVAL 1 MONTH)) AS m)`)
	testkit.Exec(t, s, `INSERT INTO tier_status_data VALUES
		('PGA1', DATE '2025-06-30', DATE '2024-07-01', DATE '2025-06-30', 1290000.00, 'Tier 1', 1, 'Tier 2', 2000000.00, 710000.00, 130000.00, '2025-12', DATE '2025-12-31'),
		('PGA2', DATE '2025-06-30', DATE '2024-07-01', DATE '2025-06-30', 1140006.00, 'Tier 1', 1, 'Tier 2', 2000000.00, 859994.00, 95000.50, 'not at current pace', NULL),
		('PGA3', DATE '2025-06-30', DATE '2024-07-01', DATE '2025-06-30', 0.00, NULL, 0, 'Tier 1', 1000000.00, 1000000.00, 0.00, 'not at current pace', NULL)`)
	testkit.Exec(t, s, `INSERT INTO tier_unlocks_data VALUES
		('PGA1:tier-1', 'PGA1', 'Tier 1', 1, 1000000, DATE '2025-01-31', 1030000, 'Transact', 'Azure sponsorship credits; marketplace rewards badge', 1, DATE '2025-01-31', DATE '2026-01-31'),
		('PGA2:tier-1', 'PGA2', 'Tier 1', 1, 1000000, DATE '2025-03-31', 1140006, 'Transact', 'Azure sponsorship credits', 1, DATE '2025-03-31', DATE '2026-03-31'),
		('PGA3:tier-1', 'PGA3', 'Tier 1', 1, 1000000, DATE '2024-12-31', 1000001, 'Transact', 'Azure sponsorship credits', 1, DATE '2024-12-31', DATE '2025-12-31')`)
	testkit.Exec(t, s, `INSERT INTO tier_readiness VALUES
		('PGA1', 'Ann Lee', 'ann@contoso.example', '+1 555 0100', 'en-US', TIMESTAMP '2025-01-05 10:00:00', true, ''),
		('PGA2', 'Bo Chen', 'bo@fabrikam.example', NULL, 'en-GB', TIMESTAMP '2025-02-01 10:00:00', false, 'no phone number')`)
	testkit.Exec(t, s, `INSERT INTO review_decisions (unlock_id, pga_id, tier, decision, decided_by, decided_at, note, recorded_at)
		VALUES ('PGA3:tier-1', 'PGA3', 'Tier 1', 'approve', 'Dana', TIMESTAMP '2025-05-02 09:00:00', 'contact verified by phone', TIMESTAMP '2025-05-02 09:00:00')`)

	// Attribution: P1's tracking ID, two attributed deployments and usage; in
	// the same subscription (which uses P1's offer) one unregistered and one
	// malformed ID.
	testkit.Exec(t, s, `INSERT INTO attr_registry VALUES
		('pid-11111111-2222-3333-4444-555555555555', 'pid-11111111-2222-3333-4444-555555555555', 'guid', 1, 'P1', 'PGA1', 'contoso-app', 'arm', NULL, TIMESTAMP '2025-01-01 00:00:00', DATE '2025-01-01', NULL),
		('pid-99999999-2222-3333-4444-555555555555', 'pid-99999999-2222-3333-4444-555555555555', 'guid', 1, 'P2', 'PGA2', 'fabrikam-crm', 'arm', NULL, TIMESTAMP '2025-01-01 00:00:00', DATE '2025-01-01', NULL)`)
	testkit.Exec(t, s, `INSERT INTO attr_deployments (deployment_id, "timestamp", subscription_id, token_seq, tokens_found, source, raw_token, kind, tracking_id, status, reason, multiple, opted_out, partner_id, pga_id, offer_id, tags_usage) VALUES
		('dep-1', TIMESTAMP '2025-05-03 10:00:00', 'SUB-A', 1, 1, 'deployment_name', 'pid-11111111-2222-3333-4444-555555555555', 'guid', 'pid-11111111-2222-3333-4444-555555555555', 'attributed', NULL, false, false, 'P1', 'PGA1', 'contoso-app', true),
		('dep-2', TIMESTAMP '2025-06-07 10:00:00', 'SUB-A', 1, 1, 'user_agent', 'pid-11111111-2222-3333-4444-555555555555', 'guid', 'pid-11111111-2222-3333-4444-555555555555', 'attributed', NULL, false, false, 'P1', 'PGA1', 'contoso-app', true),
		('dep-3', TIMESTAMP '2025-06-08 10:00:00', 'sub-a', 1, 1, 'deployment_name', 'pid-AAAAAAAA-2222-3333-4444-555555555555', 'guid', 'pid-aaaaaaaa-2222-3333-4444-555555555555', 'unregistered', NULL, false, false, NULL, NULL, NULL, false),
		('dep-4', TIMESTAMP '2025-06-09 10:00:00', 'SUB-A', 1, 1, 'user_agent', 'pid-1234-xyz', 'malformed', NULL, 'malformed', 'not a GUID: wrong group lengths', false, false, NULL, NULL, NULL, false),
		('dep-5', TIMESTAMP '2025-06-09 11:00:00', 'SUB-B', 1, 1, 'user_agent', 'pid-ffff', 'malformed', NULL, 'malformed', 'not a GUID: wrong group lengths', false, false, NULL, NULL, NULL, false)`)
	testkit.Exec(t, s, `INSERT INTO usage (marketplace_subscription_id, usage_date, reference_id, offer_id, azure_subscription_id, _file_id) VALUES
		('ms-1', DATE '2025-06-10', 'ref-1', 'contoso-app', 'sub-a', 1),
		('ms-2', DATE '2025-06-10', 'ref-2', 'fabrikam-crm', 'sub-b', 1)`)
	testkit.Exec(t, s, `INSERT INTO attr_usage_monthly VALUES
		(DATE '2025-06-01', 'P1', 'PGA1', 'pid-11111111-2222-3333-4444-555555555555', 'contoso-app', 'arm', NULL, 'USD', 30, 0, 1, 1234.5, 1234.5, 1234.5, 99.5)`)

	e.p1Excel = []byte("PK\x03\x04 Contoso June workbook")
	for _, r := range []struct {
		id, partner, audience, period, name, format, path string
		body                                              []byte
	}{
		{idP1June, "P1", "partner", "2025-06", "insights_2025-06.xlsx", "xlsx", "2025-07-05/P1/insights_2025-06.xlsx", e.p1Excel},
		{idP1JuneCSV, "P1", "partner", "2025-06", "orders_monthly_2025-06.csv", "csv", "2025-07-05/P1/orders_monthly_2025-06.csv", []byte("month,orders\n2025-06,3\n")},
		{idP1May, "P1", "partner", "2025-05", "insights_2025-05.xlsx", "xlsx", "2025-06-05/P1/insights_2025-05.xlsx", []byte("PK may")},
		{idP2June, "P2", "partner", "2025-06", "insights_2025-06.xlsx", "xlsx", "2025-07-05/P2/insights_2025-06.xlsx", []byte("PK fabrikam")},
		{idPack, "", "rewards", "2025-07-05", "review_pack_2025-07-05.xlsx", "xlsx", "2025-07-05/rewards/review_pack_2025-07-05.xlsx", []byte("PK pack")},
	} {
		writeFile(t, filepath.Join(e.out, filepath.FromSlash(r.path)), r.body)
		var partner any
		if r.partner != "" {
			partner = r.partner
		}
		asOf := "2025-07-05"
		if r.period == "2025-05" {
			asOf = "2025-06-05"
		}
		testkit.Exec(t, s, `INSERT INTO report_files VALUES (?, ?, ?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?, TIMESTAMP '2025-07-05 02:00:00', NULL)`,
			r.id, partner, r.audience, asOf, r.period, r.name, r.format, r.path, len(r.body), strings.Repeat("cd", 32))
	}
}

// client is a browser-like HTTP client: a cookie jar, no redirects followed
// unless asked, and Accept: text/html.
type client struct {
	t    testing.TB
	e    *env
	http *http.Client
	csrf string
}

func (e *env) client(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, e: e, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type resp struct {
	code   int
	header http.Header
	body   string
}

func (c *client) do(method, path string, form url.Values, hdr map[string]string) resp {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.e.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	r := resp{code: res.StatusCode, header: res.Header, body: string(b)}
	if m := csrfField.FindStringSubmatch(r.body); m != nil {
		c.csrf = m[1]
	}
	return r
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) get(path string) resp { c.t.Helper(); return c.do(http.MethodGet, path, nil, nil) }

// post sends a form with the session's form token (learnt from the last page).
func (c *client) post(path string, form url.Values) resp {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	return c.do(http.MethodPost, path, form, nil)
}

// signIn signs in with who's token and loads the start page (for the form token).
func (c *client) signIn(who string) {
	c.t.Helper()
	r := c.do(http.MethodPost, "/sign-in", url.Values{"token": {c.e.tokens[who]}}, nil)
	if r.code != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: %d %s", who, r.code, r.body)
	}
	start := "/desk/"
	if !strings.HasPrefix(who, "rewards") {
		start = "/portal/" + who + "/"
	}
	if r := c.get(start); r.code != http.StatusOK {
		c.t.Fatalf("start page of %s: %d", who, r.code)
	}
}

var errNoCookie = errors.New("no session cookie")

func sessionCookie(h http.Header) (*http.Cookie, error) {
	for _, line := range h.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err == nil && strings.HasSuffix(c.Name, "insights_session") {
			return c, nil
		}
	}
	return nil, errNoCookie
}

func mustRegexp(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// shotPage is a page the accessibility audit and the screenshots open.
type shotPage struct{ name, path string }

// auditPages lists, from the one declared list of pages, what who ("rewards"
// or a partner id) can open: the desk's or the partner's portal pages, with
// the pages that need data (an unlock) only when there is data.
func auditPages(who string, data bool) []shotPage {
	want, prefix := portal, ""
	if who == "rewards" {
		want, prefix = desk, "desk_"
	}
	var out []shotPage
	for _, p := range pages {
		// The People page too: a token acts as its holder's admin.
		if (p.area != want && p.area != admins) || p.audit == "" || (p.needsData && !data) {
			continue
		}
		out = append(out, shotPage{name: prefix + p.name, path: strings.ReplaceAll(p.audit, "{partner}", url.PathEscape(who))})
	}
	return out
}
