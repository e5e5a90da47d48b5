package server

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// The download API's token check and link signing, exported for the APIs
// served beside it (reports/analytics), so that one token and one link key
// serve all of them.

// ErrUnauthenticated is Authenticate's error for a missing, malformed,
// unknown, wrong or revoked token alike.
var ErrUnauthenticated = errUnauthenticated

// Authenticate checks r's bearer token against cat, as the download API does.
func Authenticate(ctx context.Context, cat Catalog, r *http.Request) (Principal, error) {
	return (&Server{cat: cat}).authenticate(ctx, r)
}

// ErrLinkExpired is VerifyLink's error for a valid link past its expiry.
var ErrLinkExpired = errLinkExpired

// SignLink signs a link to id that expires at exp (Unix seconds). Callers
// give ids of their own namespace (a prefix), so that a signature made for one
// API is never valid for another.
func SignLink(secret []byte, id string, exp int64) string { return linkSignature(secret, id, exp) }

// VerifyLink checks a link's signature, then its expiry (ErrLinkExpired).
func VerifyLink(secret []byte, id, exp, sig string, now time.Time) error {
	err := verifyLink(secret, id, exp, sig, now)
	if err != nil && !errors.Is(err, errLinkExpired) {
		return errLinkInvalid
	}
	return err
}
