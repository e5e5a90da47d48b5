package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

type memTokens map[string]StoredToken

func (m memTokens) Token(_ context.Context, id string) (StoredToken, error) {
	t, ok := m[id]
	if !ok {
		return StoredToken{}, ErrNotFound
	}
	return t, nil
}

// A token authenticates by either header Partner Center's clients use, acts
// with its holder's whole authority, and stops when revoked.
func TestCheckToken(t *testing.T) {
	tok, id, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	revoked, rid, _ := NewToken()
	// The token with its last character changed (never to itself).
	last := "A"
	if strings.HasSuffix(tok, "A") {
		last = "B"
	}
	altered := tok[:len(tok)-1] + last
	ts := memTokens{
		id:  {Principal: Principal{TokenID: id, Role: RolePartner, PartnerID: "P1"}, SHA256: HashToken(tok)},
		rid: {Principal: Principal{TokenID: rid, Role: RolePartner, PartnerID: "P1"}, SHA256: HashToken(revoked), Revoked: true},
	}
	for _, tc := range []struct {
		name   string
		header http.Header
		ok     bool
	}{
		{"bearer", http.Header{"Authorization": {"Bearer " + tok}}, true},
		{"bearer, any case", http.Header{"Authorization": {"bearer " + tok}}, true},
		{"X-AadUserTicket", http.Header{"X-Aaduserticket": {tok}}, true},
		{"none", http.Header{}, false},
		{"revoked", http.Header{"Authorization": {"Bearer " + revoked}}, false},
		{"altered", http.Header{"Authorization": {"Bearer " + altered}}, false},
		{"basic scheme", http.Header{"Authorization": {"Basic " + tok}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Authenticate(context.Background(), ts, &http.Request{Header: tc.header})
			if !tc.ok {
				if !errors.Is(err, ErrUnauthenticated) {
					t.Fatalf("err %v, want ErrUnauthenticated", err)
				}
				return
			}
			if err != nil || p.PartnerID != "P1" || !p.IsPartnerAdmin() {
				t.Fatalf("principal %+v, err %v: want P1 acting as its partner admin", p, err)
			}
		})
	}
	if active, err := TokenActive(context.Background(), ts, rid); err != nil || active {
		t.Fatalf("revoked token active=%v err=%v", active, err)
	}
}
