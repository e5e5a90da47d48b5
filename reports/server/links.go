package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"time"
)

// A download link is /v1/links/{id}?exp=<unix seconds>&sig=<HMAC-SHA256 of
// id and exp under the server's secret>. Anyone holding it may download the
// report until exp, like a shared-access link: no token needed.

var (
	errLinkInvalid = errors.New("invalid download link")
	errLinkExpired = errors.New("download link expired")
)

func linkSignature(secret []byte, id string, exp int64) string {
	mac := hmac.New(sha256.New, secret)
	// A version tag and separators keep (id, exp) pairs from colliding.
	mac.Write([]byte("insights-link-v1\n" + id + "\n" + strconv.FormatInt(exp, 10)))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// verifyLink checks a link's signature first, then its expiry.
func verifyLink(secret []byte, id, expText, sig string, now time.Time) error {
	exp, err := strconv.ParseInt(expText, 10, 64)
	if err != nil || exp <= 0 || len(expText) > 12 {
		return errLinkInvalid
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return errLinkInvalid
	}
	want, _ := base64.RawURLEncoding.DecodeString(linkSignature(secret, id, exp))
	if !hmac.Equal(got, want) {
		return errLinkInvalid
	}
	if !now.Before(time.Unix(exp, 0)) {
		return errLinkExpired
	}
	return nil
}
