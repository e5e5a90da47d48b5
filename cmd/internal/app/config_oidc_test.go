package app

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

func TestOIDCConfigValidate(t *testing.T) {
	good := OIDCConfig{Issuer: "https://login.microsoftonline.com/t/v2.0", ClientID: "c", RedirectURL: "https://insights.example/sign-in/callback"}
	for _, tc := range []struct {
		name string
		edit func(*OIDCConfig)
		want string // "" = valid
	}{
		{"none", func(c *OIDCConfig) { *c = OIDCConfig{} }, ""},
		{"complete", func(*OIDCConfig) {}, ""},
		{"client without issuer", func(c *OIDCConfig) { c.Issuer = "" }, "need oidc.issuer"},
		{"issuer not a URL", func(c *OIDCConfig) { c.Issuer = "login.example" }, "oidc.issuer"},
		{"no client id", func(c *OIDCConfig) { c.ClientID = "" }, "oidc.client_id is empty"},
		{"redirect elsewhere", func(c *OIDCConfig) { c.RedirectURL = "https://insights.example/callback" }, "/sign-in/callback"},
		{"multi-tenant with the tenant claim", func(c *OIDCConfig) {
			c.Issuer, c.TenantClaim = "https://login.microsoftonline.com/organizations/v2.0", "tid"
		}, ""},
		{"multi-tenant without the tenant claim", func(c *OIDCConfig) { c.Issuer = "https://login.microsoftonline.com/common/v2.0" }, `set tenant_claim = "tid"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.edit(&c)
			errs := c.validate()
			if tc.want == "" {
				if len(errs) != 0 {
					t.Fatal(errs)
				}
				return
			}
			if len(errs) == 0 || !strings.Contains(errs[0].Error(), tc.want) {
				t.Fatalf("errors %v, want %q", errs, tc.want)
			}
		})
	}
}

func TestConfigFileOIDC(t *testing.T) {
	path := filepath.Join(t.TempDir(), "insights.toml")
	if err := os.WriteFile(path, []byte("[oidc]\nissuer = \"https://idp.example/\"\nclient_id = \"app\"\nredirect_url = \"https://i.example/sign-in/callback\"\ntenant_claim = \"tid\"\n[web]\ntoken_sign_in = true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil || cfg.OIDC.TenantClaim != "tid" || !cfg.Web.TokenSignIn || cfg.Validate() != nil {
		t.Fatalf("%+v %v %v", cfg.OIDC, err, cfg.Validate())
	}
}

// TestServeStartChecksPeople: the service's start reports a tenant of two
// companies, and refuses to start with a provider but no client secret.
func TestServeStartChecksPeople(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	ps := auth.NewDBPeople(s)
	for _, pga := range []string{"G", "H"} {
		if err := ps.SetTenant(ctx, auth.Tenant{PGAID: pga, TenantID: "tid-1", Added: time.Now(), By: "t"}, true); err != nil {
			t.Fatal(err)
		}
	}
	var logs bytes.Buffer
	a := &App{Log: slog.New(slog.NewTextHandler(&logs, nil)), Cfg: DefaultConfig()}
	if o, err := a.newOIDC(ctx, s); err != nil || o != nil {
		t.Fatalf("no provider: %v %v", o, err)
	}
	if !strings.Contains(logs.String(), `msg="people configuration error: sign-ins from this tenant are refused" tenant=tid-1 companies=G,H`) {
		t.Errorf("start log:\n%s", logs.String())
	}
	a.Cfg.OIDC = OIDCConfig{Issuer: "http://127.0.0.1:1/", ClientID: "c", RedirectURL: "http://127.0.0.1/sign-in/callback", SecretEnv: "INSIGHTS_TEST_NO_SUCH_SECRET"}
	if _, err := a.newOIDC(ctx, s); err == nil || !strings.Contains(err.Error(), "INSIGHTS_TEST_NO_SUCH_SECRET, which is empty") {
		t.Errorf("no secret: %v", err)
	}
	t.Setenv("INSIGHTS_TEST_NO_SUCH_SECRET", "s")
	if _, err := a.newOIDC(ctx, s); err == nil || !strings.Contains(err.Error(), "discover the OpenID Connect provider") {
		t.Errorf("provider unreachable: %v", err)
	}
}
