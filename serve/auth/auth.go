// Package auth owns who a caller is and what they may see, for every HTTP
// surface of `insights serve`: the principal and its roles, API tokens (only
// their SHA-256 is stored), and signed download links. Everything here is a
// plain function over a small store interface, so the download API, the
// analytics API and the pages check a token, a role or a link by one rule.
package auth

import (
	"context"
	"errors"
)

// Role is what a principal may see.
type Role string

const (
	RolePartner Role = "partner" // one partner's reports, tier status and data
	RoleRewards Role = "rewards" // the rewards team: review packs and the review desk
)

// Principal is an authenticated caller.
type Principal struct {
	TokenID   string // public id of the token that authenticated it
	Role      Role
	PartnerID string // for RolePartner
}

// IsRewards reports whether p is the rewards team.
func (p Principal) IsRewards() bool { return p.Role == RoleRewards }

// SeesPartner reports whether p may see partnerID's data: a partner sees its
// own, nobody else's; the rewards team sees no partner's portal.
func (p Principal) SeesPartner(partnerID string) bool {
	return p.Role == RolePartner && p.PartnerID != "" && p.PartnerID == partnerID
}

// StoredToken is a token's row: the hash to compare and whose it is.
type StoredToken struct {
	Principal
	SHA256  string // hex SHA-256 of the whole token
	Revoked bool
}

// ErrNotFound is a TokenStore's answer for a token id it does not hold.
var ErrNotFound = errors.New("not found")

// TokenStore finds stored tokens by their public id.
type TokenStore interface {
	// Token returns the token with this public id, or an error wrapping ErrNotFound.
	Token(ctx context.Context, tokenID string) (StoredToken, error)
}
