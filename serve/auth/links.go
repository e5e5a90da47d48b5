package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"time"
)

// A signed link carries exp (Unix seconds) and sig (HMAC-SHA256 of the id and
// exp under the service's key). Anyone holding it may download until exp, like
// a shared-access link: no token needed. Callers sign ids of their own
// namespace (a prefix), so a signature made for one API is never valid for
// another.

var (
	// ErrLinkInvalid is a link whose signature or expiry is malformed or wrong.
	ErrLinkInvalid = errors.New("invalid download link")
	// ErrLinkExpired is a valid link past its expiry.
	ErrLinkExpired = errors.New("download link expired")
)

// SignLink signs a link to id that expires at exp (Unix seconds).
func SignLink(secret []byte, id string, exp int64) string {
	mac := hmac.New(sha256.New, secret)
	// A version tag and separators keep (id, exp) pairs from colliding.
	mac.Write([]byte("insights-link-v1\n" + id + "\n" + strconv.FormatInt(exp, 10)))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// VerifyLink checks a link's signature first, then its expiry.
func VerifyLink(secret []byte, id, expText, sig string, now time.Time) error {
	exp, err := strconv.ParseInt(expText, 10, 64)
	if err != nil || exp <= 0 || len(expText) > 12 {
		return ErrLinkInvalid
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return ErrLinkInvalid
	}
	want, _ := base64.RawURLEncoding.DecodeString(SignLink(secret, id, exp))
	if !hmac.Equal(got, want) {
		return ErrLinkInvalid
	}
	if !now.Before(time.Unix(exp, 0)) {
		return ErrLinkExpired
	}
	return nil
}
