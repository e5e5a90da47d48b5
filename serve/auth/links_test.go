package auth

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestVerifyLink(t *testing.T) {
	secret := []byte(strings.Repeat("k", 32))
	now := time.Unix(1_750_000_000, 0)
	exp := now.Add(time.Hour).Unix()
	sig := SignLink(secret, "abc", exp)
	tests := []struct {
		name, id, exp, sig string
		at                 time.Time
		want               error
	}{
		{"valid", "abc", itoa(exp), sig, now, nil},
		{"expired", "abc", itoa(exp), sig, now.Add(time.Hour), ErrLinkExpired},
		{"other id", "abd", itoa(exp), sig, now, ErrLinkInvalid},
		{"other expiry", "abc", itoa(exp + 1), sig, now, ErrLinkInvalid},
		{"other key", "abc", itoa(exp), SignLink([]byte(strings.Repeat("j", 32)), "abc", exp), now, ErrLinkInvalid},
		{"bad base64", "abc", itoa(exp), "!!!", now, ErrLinkInvalid},
		{"negative expiry", "abc", "-5", sig, now, ErrLinkInvalid},
		{"empty", "abc", "", "", now, ErrLinkInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := VerifyLink(secret, tc.id, tc.exp, tc.sig, tc.at); !errors.Is(err, tc.want) {
				t.Fatalf("verifyLink = %v, want %v", err, tc.want)
			}
		})
	}
}
func itoa(v int64) string { return strconv.FormatInt(v, 10) }
