package auth_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/auth"
)

// Microsoft Entra ID's multi-tenant endpoints (/common/v2.0,
// /organizations/v2.0) answer discovery with the issuer
// "https://login.microsoftonline.com/{tenantid}/v2.0", and each ID token's
// iss names the person's own tenant. Hydra, the provider of the sign-in
// tests, has one issuer; this test stands in for Entra with its two
// documents (discovery and the keys) on 127.0.0.1 and ID tokens signed with a
// test key, the way Entra signs them (RS256, kid).

// entra is a stand-in for login.microsoftonline.com.
type entra struct {
	srv  *httptest.Server
	key  *rsa.PrivateKey
	kid  string
	mu   sync.Mutex
	docs map[string]string // discovery path → the issuer it names
}

func (e *entra) setDoc(path, issuer string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.docs[path] = issuer
}

func newEntra(t *testing.T) *entra {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	e := &entra{key: key, kid: "test-key-1", docs: map[string]string{}}
	e.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/common/discovery/v2.0/keys" {
			b64 := base64.RawURLEncoding.EncodeToString
			_ = json.NewEncoder(rw).Encode(map[string]any{"keys": []map[string]string{{
				"kty": "RSA", "use": "sig", "kid": e.kid, "alg": "RS256",
				"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
			}}})
			return
		}
		e.mu.Lock()
		iss, ok := e.docs[r.URL.Path]
		e.mu.Unlock()
		if !ok {
			http.NotFound(rw, r)
			return
		}
		// As Entra's: https://login.microsoftonline.com/common/oauth2/v2.0/authorize.
		base := "/" + strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")[0]
		_ = json.NewEncoder(rw).Encode(map[string]any{
			"issuer":                                iss,
			"authorization_endpoint":                e.srv.URL + base + "/oauth2/v2.0/authorize",
			"token_endpoint":                        e.srv.URL + base + "/oauth2/v2.0/token",
			"end_session_endpoint":                  e.srv.URL + base + "/oauth2/v2.0/logout",
			"jwks_uri":                              e.srv.URL + "/common/discovery/v2.0/keys",
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"response_types_supported":              []string{"code", "id_token"},
			"subject_types_supported":               []string{"pairwise"},
		})
	}))
	t.Cleanup(e.srv.Close)
	// As Entra: the multi-tenant endpoints name the template; a tenant's own
	// endpoint names its own issuer.
	for _, seg := range []string{"common", "organizations"} {
		e.setDoc("/"+seg+"/v2.0/.well-known/openid-configuration", e.srv.URL+"/{tenantid}/v2.0")
	}
	e.setDoc("/"+tenantA+"/v2.0/.well-known/openid-configuration", e.srv.URL+"/"+tenantA+"/v2.0")
	return e
}

const (
	tenantA  = "0b1d2c3e-1111-4a4a-8b8b-aaaaaaaaaaaa"
	tenantB  = "0b1d2c3e-2222-4b4b-8c8c-bbbbbbbbbbbb"
	clientID = "6731de76-14a6-49ae-97bc-6eba6914391e"
)

// sign makes an ID token with claims, signed with key (the provider's when nil).
func (e *entra) sign(t *testing.T, claims map[string]any, key *rsa.PrivateKey) string {
	t.Helper()
	if key == nil {
		key = e.key
	}
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signing := enc(map[string]string{"alg": "RS256", "kid": e.kid, "typ": "JWT"}) + "." + enc(claims)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// idClaims are the claims of an Entra ID token of tenant tid, issued by iss.
func idClaims(iss, tid string, now time.Time) map[string]any {
	c := map[string]any{"iss": iss, "aud": clientID, "sub": "pairwise-sub", "oid": "oid-of-ann",
		"email": "ann@contoso.example", "xms_edov": true, "name": "Ann Lee", "nonce": "n-1",
		"iat": now.Add(-time.Minute).Unix(), "nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix()}
	if tid != "" {
		c["tid"] = tid
	}
	return c
}

// TestEntraMultiTenantIssuer: with the issuer /common/v2.0 or
// /organizations/v2.0, a token is accepted when its iss is the discovery's
// template with the token's own tid in it, and refused otherwise (another
// tenant's issuer, the template itself, no tid, another host), as well as
// for the checks every token gets (key, audience, expiry). A tenant's own
// issuer keeps go-oidc's exact check.
func TestEntraMultiTenantIssuer(t *testing.T) {
	ctx := context.Background()
	e := newEntra(t)
	now := time.Now()
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	open := func(t *testing.T, issuer string) *auth.OIDC {
		t.Helper()
		o, err := auth.NewOIDC(ctx, auth.OIDCConfig{Issuer: issuer, ClientID: clientID, ClientSecret: "s",
			RedirectURL: "https://insights.example/sign-in/callback", TenantClaim: "tid", SubjectClaim: "oid", EmailVerifiedClaim: "xms_edov"})
		if err != nil {
			t.Fatalf("discover %s: %v", issuer, err)
		}
		return o
	}
	issuerOf := func(tid string) string { return e.srv.URL + "/" + tid + "/v2.0" }
	edit := func(c map[string]any, f func(map[string]any)) map[string]any { f(c); return c }
	for _, endpoint := range []string{"common", "organizations"} {
		t.Run(endpoint, func(t *testing.T) {
			o := open(t, e.srv.URL+"/"+endpoint+"/v2.0")
			if got := o.LogoutURL(""); !strings.HasPrefix(got, e.srv.URL+"/"+endpoint+"/oauth2/v2.0/logout?") {
				t.Errorf("sign-out endpoint %q", got)
			}
			for _, tc := range []struct {
				name   string
				claims map[string]any
				key    *rsa.PrivateKey
				want   string // "" = accepted, else the refusal's error text
			}{
				{"tenant A", idClaims(issuerOf(tenantA), tenantA, now), nil, ""},
				{"tenant B", idClaims(issuerOf(tenantB), tenantB, now), nil, ""},
				{"issuer of another tenant than tid", idClaims(issuerOf(tenantB), tenantA, now), nil, "is not"},
				{"the template as issuer", idClaims(e.srv.URL+"/{tenantid}/v2.0", tenantA, now), nil, "is not"},
				{"tid with a path in it", idClaims(e.srv.URL+"/a/b/v2.0", "a/b", now), nil, "is not"},
				{"no tid", idClaims(issuerOf(tenantA), "", now), nil, "is not"},
				{"another host", idClaims("https://login.evil.example/"+tenantA+"/v2.0", tenantA, now), nil, "is not"},
				{"the multi-tenant endpoint as issuer", idClaims(e.srv.URL+"/"+endpoint+"/v2.0", tenantA, now), nil, "is not"},
				{"another key", idClaims(issuerOf(tenantA), tenantA, now), other, "signature"},
				{"another application", edit(idClaims(issuerOf(tenantA), tenantA, now), func(c map[string]any) { c["aud"] = "another-app" }), nil, "audience"},
				{"expired", edit(idClaims(issuerOf(tenantA), tenantA, now), func(c map[string]any) { c["exp"] = now.Add(-time.Minute).Unix() }), nil, "expired"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					id, err := o.Verify(ctx, e.sign(t, tc.claims, tc.key), "n-1")
					if tc.want == "" {
						if err != nil {
							t.Fatalf("refused: %v (%v)", err, errors.Unwrap(err))
						}
						tid := tc.claims["tid"].(string)
						if id.Issuer != issuerOf(tid) || id.Tenant != tid || id.Subject != "oid-of-ann" || !id.EmailVerified {
							t.Errorf("identity %+v", id)
						}
						return
					}
					var ref *auth.Refusal
					if !errors.As(err, &ref) || ref.Reason != auth.ReasonIDToken || ref.Err == nil || !strings.Contains(ref.Err.Error(), tc.want) {
						t.Fatalf("err = %v (%v), want an ID-token refusal about %q", err, errors.Unwrap(err), tc.want)
					}
				})
			}
		})
	}
	t.Run("a tenant's own issuer is checked exactly", func(t *testing.T) {
		o := open(t, issuerOf(tenantA))
		if _, err := o.Verify(ctx, e.sign(t, idClaims(issuerOf(tenantA), tenantA, now), nil), "n-1"); err != nil {
			t.Fatalf("own tenant refused: %v", err)
		}
		_, err := o.Verify(ctx, e.sign(t, idClaims(issuerOf(tenantB), tenantB, now), nil), "n-1")
		var ref *auth.Refusal
		if !errors.As(err, &ref) || ref.Reason != auth.ReasonIDToken || !strings.Contains(ref.Err.Error(), "issued by a different provider") {
			t.Fatalf("another tenant's token with a single-tenant issuer: %v", err)
		}
	})
	t.Run("a multi-tenant endpoint whose discovery names another issuer", func(t *testing.T) {
		e.setDoc("/common/v2.0/.well-known/openid-configuration", issuerOf(tenantB))
		_, err := auth.NewOIDC(ctx, auth.OIDCConfig{Issuer: e.srv.URL + "/common/v2.0", ClientID: clientID})
		if err == nil || !strings.Contains(err.Error(), "want the multi-tenant template") {
			t.Fatalf("err = %v", err)
		}
	})
}
