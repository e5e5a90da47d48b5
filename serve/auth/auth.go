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

// Principal is an authenticated caller: a machine with an API token, or a
// person signed in to the pages.
type Principal struct {
	TokenID   string // public id of the token that authenticated it ("" for a person)
	PersonID  string // the signed-in person ("" for a token)
	Role      Role
	PartnerID string // for RolePartner: the publisher profile it acts for
	PGAID     string // for RolePartner: the company (partner global account), when known
	// Admin: for the rewards team, an admin (people and tokens) rather than a
	// reviewer; for a company, a partner admin (the rewards workspace's
	// actions, the company's people) rather than a viewer.
	Admin bool
}

// IsPartnerAdmin reports whether p may act in its company's rewards
// workspace (assign the marketing contact, activate, request assistance).
// For a person, Admin is read from their role (partner admin, not viewer) on
// every request (Person.Principal); a partner token acts as the partner admin.
func (p Principal) IsPartnerAdmin() bool { return p.Role == RolePartner && p.Admin }

// IsRewards reports whether p is the rewards team (a reviewer or a rewards
// admin, read from the person's role; or a rewards token).
func (p Principal) IsRewards() bool { return p.Role == RoleRewards }

// SeesCompany reports whether p is one of company pgaID's people: they see
// every publisher profile of the company.
func (p Principal) SeesCompany(pgaID string) bool {
	return p.Role == RolePartner && p.PGAID != "" && p.PGAID == pgaID
}

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
