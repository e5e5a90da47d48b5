package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// A token is "mi_<id>_<secret>": the id (16 hex digits) finds the stored row
// without a secret-dependent lookup, and the SHA-256 of the whole token is
// compared in constant time. Only that hash is stored.
var tokenPattern = regexp.MustCompile(`^mi_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$`)

// NewToken returns a fresh random token and its public id.
func NewToken() (token, id string, err error) {
	idb, secret := make([]byte, 8), make([]byte, 32)
	if _, err := rand.Read(idb); err != nil {
		return "", "", fmt.Errorf("generate token: %w", err)
	}
	if _, err := rand.Read(secret); err != nil {
		return "", "", fmt.Errorf("generate token: %w", err)
	}
	id = hex.EncodeToString(idb)
	return "mi_" + id + "_" + base64.RawURLEncoding.EncodeToString(secret), id, nil
}

// HashToken is what is stored for a token: its SHA-256, in hex.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ErrUnauthenticated covers a missing, malformed, unknown, wrong or revoked
// token alike: the caller learns nothing about which.
var ErrUnauthenticated = errors.New("invalid or missing bearer token")

// RequestToken is the token a request carries: "Authorization: Bearer <token>",
// or the X-AadUserTicket header that some Partner Center clients send instead.
func RequestToken(r *http.Request) string {
	if scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(token)
	}
	return strings.TrimSpace(r.Header.Get("X-AadUserTicket"))
}

// Authenticate checks the request's token against ts.
func Authenticate(ctx context.Context, ts TokenStore, r *http.Request) (Principal, error) {
	return CheckToken(ctx, ts, RequestToken(r))
}

// CheckToken checks a token as a bearer token is checked: ErrUnauthenticated
// unless it is well-formed, stored, matches its hash and is not revoked.
func CheckToken(ctx context.Context, ts TokenStore, token string) (Principal, error) {
	m := tokenPattern.FindStringSubmatch(token)
	if m == nil {
		return Principal{}, ErrUnauthenticated
	}
	stored, err := ts.Token(ctx, m[1])
	if errors.Is(err, ErrNotFound) {
		return Principal{}, ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, err
	}
	if subtle.ConstantTimeCompare([]byte(HashToken(token)), []byte(stored.SHA256)) != 1 || stored.Revoked {
		return Principal{}, ErrUnauthenticated
	}
	return FromToken(stored), nil
}

// FromToken is the principal a stored token acts as. A token is its holder's
// whole authority: a partner token acts as the partner admin, a rewards token
// as the rewards team's admin. A web session restored after a restart derives
// its principal from its token again through this.
func FromToken(stored StoredToken) Principal {
	p := stored.Principal
	p.Admin = true
	return p
}

// TokenActive reports whether the token with this public id exists and is not
// revoked (a session made from it ends when it is not).
func TokenActive(ctx context.Context, ts TokenStore, tokenID string) (bool, error) {
	t, err := ts.Token(ctx, tokenID)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !t.Revoked, nil
}
