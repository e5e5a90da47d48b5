package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDCConfig is the [oidc] configuration: the provider and this application's
// registration with it.
type OIDCConfig struct {
	Issuer       string   // the provider's issuer URL (discovery: <issuer>/.well-known/openid-configuration)
	ClientID     string   // this application's client id
	ClientSecret string   // from the environment, never the configuration file
	RedirectURL  string   // https://<host>/sign-in/callback, as registered with the provider
	Scopes       []string // default openid, email, profile
	// TenantClaim is the ID token's claim that names the person's tenant
	// (Microsoft Entra ID: "tid"); "" = no tenant check.
	TenantClaim string
	// SubjectClaim is the claim that identifies the account (default "sub";
	// Microsoft Entra ID: "oid", the same across applications).
	SubjectClaim string
	// EmailVerifiedClaim is the boolean claim that says the email is the
	// person's (default "email_verified"; Microsoft Entra ID: "xms_edov").
	EmailVerifiedClaim string
	// RewardsTenants are the tenants the rewards team signs in from (with
	// TenantClaim; empty = any).
	RewardsTenants []string
	// PostLogoutURL is where the provider sends the browser after its sign-out
	// ("" = none asked).
	PostLogoutURL string
	HTTPClient    *http.Client     // nil = http.DefaultClient
	Now           func() time.Time // the ID token's expiry is checked against it; nil = time.Now
}

// OIDC signs people in with an OpenID Connect provider: authorization code
// flow with PKCE, state and nonce; the ID token's signature, issuer, audience
// and expiry are checked by go-oidc.
type OIDC struct {
	cfg        OIDCConfig
	oauth      oauth2.Config
	verifier   *oidc.IDTokenVerifier
	endSession string // the provider's RP-initiated logout endpoint, "" when it offers none
	// issuerTemplate is a multi-tenant issuer's ("https://login.microsoftonline.com/{tenantid}/v2.0"),
	// "" for a provider with one issuer (go-oidc checks it).
	issuerTemplate string
}

// tenantPlaceholder is where Microsoft Entra ID's multi-tenant discovery
// document puts the tenant in its issuer.
const tenantPlaceholder = "{tenantid}"

// multiTenantIssuer reports whether issuer is one of Microsoft Entra ID's
// multi-tenant endpoints (https://login.microsoftonline.com/common/v2.0: any
// work or personal account; /organizations/v2.0: any work account), and the
// issuer template its ID tokens follow: the tenant segment replaced by
// {tenantid}. Each token's iss then names the signing-in person's tenant.
func multiTenantIssuer(issuer string) (template string, ok bool) {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" {
		return "", false
	}
	seg, rest, slash := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if !strings.EqualFold(seg, "common") && !strings.EqualFold(seg, "organizations") {
		return "", false
	}
	t := u.Scheme + "://" + u.Host + "/" + tenantPlaceholder
	if slash {
		t += "/" + rest
	}
	return t, true
}

// IsMultiTenantIssuer reports whether issuer is one of Microsoft Entra ID's
// multi-tenant endpoints (/common/v2.0, /organizations/v2.0): anyone of any
// tenant can sign in there, so the configuration must name the tenant claim.
func IsMultiTenantIssuer(issuer string) bool {
	_, ok := multiTenantIssuer(issuer)
	return ok
}

// NewOIDC discovers the provider (its endpoints and signing keys).
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SubjectClaim == "" {
		cfg.SubjectClaim = "sub"
	}
	if cfg.EmailVerifiedClaim == "" {
		cfg.EmailVerifiedClaim = "email_verified"
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{oidc.ScopeOpenID, "email", "profile"}
	}
	if !slices.Contains(cfg.Scopes, oidc.ScopeOpenID) {
		cfg.Scopes = append([]string{oidc.ScopeOpenID}, cfg.Scopes...)
	}
	ctx = oidc.ClientContext(ctx, cfg.HTTPClient)
	template, multi := multiTenantIssuer(cfg.Issuer)
	dctx := ctx
	if multi {
		// Entra's multi-tenant discovery names the issuer template, not the
		// URL asked: go-oidc is told not to compare them; the template is
		// checked below and each token's issuer in Verify.
		dctx = oidc.InsecureIssuerURLContext(ctx, cfg.Issuer)
	}
	provider, err := oidc.NewProvider(dctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discover the OpenID Connect provider %s: %w", cfg.Issuer, err)
	}
	var meta struct {
		Issuer     string `json:"issuer"`
		EndSession string `json:"end_session_endpoint"`
	}
	if err := provider.Claims(&meta); err != nil {
		return nil, fmt.Errorf("read the provider's metadata: %w", err)
	}
	if multi {
		switch meta.Issuer {
		case template:
		case cfg.Issuer: // a provider with this one issuer after all: go-oidc's own check
			multi, template = false, ""
			provider, err = oidc.NewProvider(ctx, cfg.Issuer)
			if err != nil {
				return nil, fmt.Errorf("discover the OpenID Connect provider %s: %w", cfg.Issuer, err)
			}
		default:
			return nil, fmt.Errorf("discover the OpenID Connect provider %s: its issuer is %q, want the multi-tenant template %q", cfg.Issuer, meta.Issuer, template)
		}
	}
	return &OIDC{
		cfg: cfg,
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: provider.Endpoint(), Scopes: cfg.Scopes},
		// Signature, audience and expiry always; the issuer by go-oidc, or for
		// a multi-tenant issuer against the token's own tenant (Verify).
		verifier:       provider.Verifier(&oidc.Config{ClientID: cfg.ClientID, Now: cfg.Now, SkipIssuerCheck: multi}),
		endSession:     meta.EndSession,
		issuerTemplate: template,
	}, nil
}

// Config is the configuration the provider was set up with.
func (o *OIDC) Config() OIDCConfig { return o.cfg }

// AuthURL is where the browser goes to sign in: the state, the nonce and the
// PKCE challenge of the verifier travel with it.
func (o *OIDC) AuthURL(state, nonce, verifier string) string {
	return o.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
}

// NewVerifier is a fresh PKCE code verifier.
func NewVerifier() string { return oauth2.GenerateVerifier() }

// LogoutURL is the provider's sign-out for the session of idToken, "" when
// the provider offers none.
func (o *OIDC) LogoutURL(idToken string) string {
	if o.endSession == "" {
		return ""
	}
	q := url.Values{"client_id": {o.cfg.ClientID}}
	if idToken != "" {
		q.Set("id_token_hint", idToken)
	}
	if o.cfg.PostLogoutURL != "" {
		q.Set("post_logout_redirect_uri", o.cfg.PostLogoutURL)
	}
	sep := "?"
	if strings.Contains(o.endSession, "?") {
		sep = "&"
	}
	return o.endSession + sep + q.Encode()
}

// Identity is who the provider says signed in.
type Identity struct {
	Issuer, Subject string
	Email           string
	EmailVerified   bool
	Name            string
	Tenant          string // the TenantClaim's value ("" when not configured or absent)
	IDToken         string // the raw ID token (for the provider's sign-out)
}

// Refusal is a sign-in refused: Reason is for the log, the error text for the page.
type Refusal struct {
	Reason string
	Msg    string
	Err    error
}

func (r *Refusal) Error() string { return r.Msg }
func (r *Refusal) Unwrap() error { return r.Err }

func refuse(reason, msg string, err error) error { return &Refusal{Reason: reason, Msg: msg, Err: err} }

// Refusal reasons.
const (
	ReasonIDToken       = "id_token"
	ReasonNonce         = "nonce"
	ReasonExchange      = "code_exchange"
	ReasonEmail         = "email_unverified"
	ReasonNoPerson      = "no_person"
	ReasonTenantUnknown = "tenant_unknown"
	ReasonTenantTwo     = "tenant_in_two_companies"
	ReasonTenantOther   = "tenant_of_another_company"
	ReasonBound         = "email_bound_to_another_account"
)

// Exchange trades the callback's code (with the PKCE verifier) for tokens and
// verifies the ID token.
func (o *OIDC) Exchange(ctx context.Context, code, verifier, nonce string) (Identity, error) {
	ctx = oidc.ClientContext(ctx, o.cfg.HTTPClient)
	tok, err := o.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Identity{}, refuse(ReasonExchange, "The identity provider did not accept the sign-in code (used already, expired, or not issued for this sign-in).", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, refuse(ReasonIDToken, "The identity provider sent no ID token.", nil)
	}
	return o.Verify(ctx, raw, nonce)
}

// Verify checks an ID token (signature, issuer, audience, expiry) and its
// nonce, and reads the identity from its claims.
func (o *OIDC) Verify(ctx context.Context, raw, nonce string) (Identity, error) {
	ctx = oidc.ClientContext(ctx, o.cfg.HTTPClient)
	tok, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) {
			return Identity{}, refuse(ReasonIDToken, "The identity provider's answer has expired. Sign in again.", err)
		}
		return Identity{}, refuse(ReasonIDToken, "The identity provider's answer could not be verified (its signature, issuer or audience is not this application's).", err)
	}
	if o.issuerTemplate != "" {
		// Multi-tenant: the issuer must be the template with the token's own
		// tenant (tid) in it, so a token names one tenant and only one.
		var t struct {
			TID string `json:"tid"`
		}
		if err := tok.Claims(&t); err != nil {
			return Identity{}, refuse(ReasonIDToken, "The identity provider's answer could not be read.", err)
		}
		if t.TID == "" || strings.ContainsAny(t.TID, "/?#{}") || tok.Issuer != strings.Replace(o.issuerTemplate, tenantPlaceholder, t.TID, 1) {
			return Identity{}, refuse(ReasonIDToken, "The identity provider's answer could not be verified (its issuer is not the tenant it names).",
				fmt.Errorf("issuer %q is not %q with tenant %q", tok.Issuer, o.issuerTemplate, t.TID))
		}
	}
	if nonce == "" || tok.Nonce != nonce {
		return Identity{}, refuse(ReasonNonce, "The identity provider's answer belongs to another sign-in.", nil)
	}
	var claims map[string]any
	if err := tok.Claims(&claims); err != nil {
		return Identity{}, refuse(ReasonIDToken, "The identity provider's answer could not be read.", err)
	}
	str := func(name string) string { s, _ := claims[name].(string); return s }
	id := Identity{Issuer: tok.Issuer, Subject: str(o.cfg.SubjectClaim), Email: str("email"), Name: str("name"), IDToken: raw}
	if id.Email == "" {
		id.Email = str("preferred_username")
	}
	switch v := claims[o.cfg.EmailVerifiedClaim].(type) {
	case bool:
		id.EmailVerified = v
	case string:
		id.EmailVerified = v == "true"
	}
	if o.cfg.TenantClaim != "" {
		id.Tenant = str(o.cfg.TenantClaim)
	}
	if id.Subject == "" {
		return Identity{}, refuse(ReasonIDToken, "The identity provider's answer names no account ("+o.cfg.SubjectClaim+" claim missing).", nil)
	}
	return id, nil
}

// SignIn finds the person of a verified identity: by the bound (issuer,
// subject), or on the first sign-in by the verified email of a person added
// beforehand (then bound). With a tenant claim configured, the tenant must be
// the person's company's (or one of the rewards team's), and belong to one
// company only.
func (o *OIDC) SignIn(ctx context.Context, ps PeopleStore, id Identity, now time.Time) (Person, error) {
	var companies []string
	checkTenant := o.cfg.TenantClaim != ""
	if checkTenant {
		var err error
		if companies, err = TenantCompanies(ctx, ps, id.Tenant); err != nil {
			return Person{}, err
		}
		if len(companies) > 1 {
			return Person{}, refuse(ReasonTenantTwo, "Your organization's tenant is associated with more than one company here, which is a configuration error. Nothing was granted; the administrators have been told (insights people check).", nil)
		}
	}
	rewardsTenant := len(o.cfg.RewardsTenants) == 0 || slices.Contains(o.cfg.RewardsTenants, id.Tenant)
	p, err := ps.PersonBySubject(ctx, id.Issuer, id.Subject)
	first := errors.Is(err, ErrNotFound)
	if first {
		// Someone not added, from a tenant of no company (and not named as
		// the rewards team's): the "Why can't I see Marketplace Rewards?" answer.
		noCompany := checkTenant && len(companies) == 0 && !slices.Contains(o.cfg.RewardsTenants, id.Tenant)
		p, err = o.firstSignIn(ctx, ps, id, companies, noCompany)
	}
	if err != nil {
		return Person{}, err
	}
	if checkTenant {
		switch {
		case p.Role.Rewards() && !rewardsTenant:
			return Person{}, refuse(ReasonTenantOther, "You signed in from a tenant that is not the rewards team's.", nil)
		case !p.Role.Rewards() && len(companies) == 0:
			return Person{}, refuse(ReasonTenantUnknown, "Your organization's tenant is not associated with a company in Marketplace Rewards.", nil)
		case !p.Role.Rewards() && companies[0] != p.PGAID:
			return Person{}, refuse(ReasonTenantOther, "You signed in from the tenant of another company than the one you were added to.", nil)
		}
	}
	if first {
		// Bound only now that every check passed: a refused sign-in (another
		// tenant's account with the person's email) binds nothing, so it can
		// neither take the person over later nor lock them out.
		return BindSubject(ctx, ps, p, id.Issuer, id.Subject, now)
	}
	return p, nil
}

// firstSignIn finds the person added beforehand that a first sign-in's
// verified email names; SignIn binds them once the tenant checks pass.
func (o *OIDC) firstSignIn(ctx context.Context, ps PeopleStore, id Identity, companies []string, unknownTenant bool) (Person, error) {
	email, err := NormalizeEmail(id.Email)
	if err != nil {
		if unknownTenant && len(companies) == 0 {
			return Person{}, refuse(ReasonTenantUnknown, "Your organization's tenant is not associated with a company in Marketplace Rewards.", nil)
		}
		return Person{}, refuse(ReasonNoPerson, "The identity provider gave no email address, so you cannot be matched to a person added here.", err)
	}
	if !id.EmailVerified {
		return Person{}, refuse(ReasonEmail, "The identity provider does not vouch for your email address (it is not verified), so you cannot be matched to a person added here.", nil)
	}
	found, err := ps.PeopleByEmail(ctx, email)
	if err != nil {
		return Person{}, fmt.Errorf("look up %s: %w", email, err)
	}
	if len(found) == 0 {
		if unknownTenant && len(companies) == 0 {
			return Person{}, refuse(ReasonTenantUnknown, "Your organization's tenant is not associated with a company in Marketplace Rewards.", nil)
		}
		return Person{}, refuse(ReasonNoPerson, "You have not been added to Marketplace Insights yet.", nil)
	}
	p := found[0]
	if p.Subject != "" {
		// Already bound to another account of the provider: an email alone
		// never moves a person to a new account.
		return Person{}, refuse(ReasonBound, "Your email belongs to a person who signs in with another account.", nil)
	}
	return p, nil
}
