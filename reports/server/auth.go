package server

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

// errUnauthenticated covers a missing, malformed, unknown, wrong or revoked
// token alike: the caller learns nothing about which.
var errUnauthenticated = errors.New("invalid or missing bearer token")

// authenticate checks the request's bearer token.
func (s *Server) authenticate(ctx context.Context, r *http.Request) (Principal, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return Principal{}, errUnauthenticated
	}
	token = strings.TrimSpace(token)
	m := tokenPattern.FindStringSubmatch(token)
	if m == nil {
		return Principal{}, errUnauthenticated
	}
	stored, err := s.cat.Token(ctx, m[1])
	if errors.Is(err, ErrNotFound) {
		return Principal{}, errUnauthenticated
	}
	if err != nil {
		return Principal{}, err
	}
	if subtle.ConstantTimeCompare([]byte(HashToken(token)), []byte(stored.SHA256)) != 1 || stored.Revoked {
		return Principal{}, errUnauthenticated
	}
	return stored.Principal, nil
}

// authed is a handler for an authenticated caller.
type authed func(w http.ResponseWriter, r *http.Request, p Principal)

// auth turns an authed handler into an http.Handler that answers 401 unless
// the bearer token is valid.
func (s *Server) auth(h authed) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r.Context(), r)
		if errors.Is(err, errUnauthenticated) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="insights"`)
			writeError(w, http.StatusUnauthorized, err.Error())
			return
		}
		if err != nil {
			s.internalError(w, r, "authenticate", err)
			return
		}
		if info := requestInfoFrom(r.Context()); info != nil {
			info.tokenID = p.TokenID
		}
		h(w, r, p)
	})
}
