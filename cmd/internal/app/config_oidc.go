package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// OIDCConfig is the [oidc] section: sign-in to the pages with the company's
// identity provider (OpenID Connect; Microsoft Entra ID in production). No
// issuer = no provider: the pages take API tokens (a single machine, the demo).
type OIDCConfig struct {
	Issuer      string `toml:"issuer"`       // e.g. https://login.microsoftonline.com/<tenant>/v2.0, or /organizations/v2.0 (multi-tenant)
	ClientID    string `toml:"client_id"`    // the application's (client) id
	SecretEnv   string `toml:"secret_env"`   // the environment variable holding the client secret
	RedirectURL string `toml:"redirect_url"` // https://<host>/sign-in/callback, as registered
	// TenantClaim is the ID token's claim naming the person's tenant ("tid" for
	// Entra ID); "" = no tenant check.
	TenantClaim        string   `toml:"tenant_claim"`
	SubjectClaim       string   `toml:"subject_claim"`        // default "sub" (Entra ID: "oid")
	EmailVerifiedClaim string   `toml:"email_verified_claim"` // default "email_verified" (Entra ID: "xms_edov")
	Scopes             []string `toml:"scopes"`               // default openid, email, profile
	RewardsTenants     []string `toml:"rewards_tenants"`      // the rewards team's tenants (empty = any)
	PostLogoutURL      string   `toml:"post_logout_url"`      // where the provider's sign-out returns ("" = none)
}

// WebConfig is the [web] section: the pages.
type WebConfig struct {
	// TokenSignIn keeps token sign-in to the pages when [oidc] is configured
	// (it is always on without a provider).
	TokenSignIn bool `toml:"token_sign_in"`
}

const defaultSecretEnv = "INSIGHTS_OIDC_CLIENT_SECRET"

func (c OIDCConfig) validate() []error {
	if c.Issuer == "" {
		if c.ClientID != "" || c.RedirectURL != "" {
			return []error{errors.New("oidc: client_id and redirect_url need oidc.issuer")}
		}
		return nil
	}
	var errs []error
	if u, err := url.Parse(c.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, fmt.Errorf("oidc.issuer %q: want an https://host/path URL", c.Issuer))
	}
	if c.ClientID == "" {
		errs = append(errs, errors.New("oidc.client_id is empty"))
	}
	if auth.IsMultiTenantIssuer(c.Issuer) && c.TenantClaim == "" {
		// Any tenant's people reach /common: the tenant must be checked.
		errs = append(errs, fmt.Errorf("oidc.issuer %q is multi-tenant: set tenant_claim = \"tid\" (each company's people then sign in from its own tenants only)", c.Issuer))
	}
	if u, err := url.Parse(c.RedirectURL); err != nil || u.Host == "" || u.Path != "/sign-in/callback" {
		errs = append(errs, fmt.Errorf("oidc.redirect_url %q: want http(s)://<host>/sign-in/callback (the page that ends a sign-in)", c.RedirectURL))
	}
	return errs
}

// secret is the client secret, from the environment only (never the file).
func (c OIDCConfig) secret() (string, error) {
	name := c.SecretEnv
	if name == "" {
		name = defaultSecretEnv
	}
	s := strings.TrimSpace(os.Getenv(name))
	if s == "" {
		return "", fmt.Errorf("oidc: the client secret is read from the environment variable %s, which is empty", name)
	}
	return s, nil
}

// newOIDC discovers the provider of [oidc] (nil when none is configured), and
// reports every tenant that belongs to two companies: a configuration error
// whose sign-ins are refused.
func (a *App) newOIDC(ctx context.Context, store *duckstore.Store) (*auth.OIDC, error) {
	probs, err := auth.CheckTenants(ctx, auth.NewDBPeople(store))
	if err != nil {
		return nil, err
	}
	for _, p := range probs {
		a.Log.Error("people configuration error: sign-ins from this tenant are refused", "tenant", p.TenantID,
			"companies", strings.Join(p.Companies, ","), "fix", "insights people tenant remove; insights people check")
	}
	c := a.Cfg.OIDC
	if c.Issuer == "" {
		return nil, nil
	}
	secret, err := c.secret()
	if err != nil {
		return nil, err
	}
	o, err := auth.NewOIDC(ctx, auth.OIDCConfig{Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: secret,
		RedirectURL: c.RedirectURL, Scopes: c.Scopes, TenantClaim: c.TenantClaim, SubjectClaim: c.SubjectClaim,
		EmailVerifiedClaim: c.EmailVerifiedClaim, RewardsTenants: c.RewardsTenants, PostLogoutURL: c.PostLogoutURL})
	if err != nil {
		return nil, err
	}
	a.Log.Info("sign-in with OpenID Connect", slog.String("issuer", c.Issuer), slog.Bool("token_sign_in", a.Cfg.Web.TokenSignIn))
	return o, nil
}
