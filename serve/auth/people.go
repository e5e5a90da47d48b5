package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"time"
)

// PersonRole is what a person may do. The rewards team's people are reviewers
// (the review desk) or admins (the desk, people and tokens); a company's are
// partner admins (the rewards workspace's actions, the company's people) or
// viewers (tier, reports, attribution, the workspace read-only).
type PersonRole string

const (
	RoleReviewer     PersonRole = "reviewer"
	RoleRewardsAdmin PersonRole = "admin"
	RolePartnerAdmin PersonRole = "partner_admin"
	RoleViewer       PersonRole = "viewer"
)

// PersonRoles are the roles in the order they are offered.
var PersonRoles = []PersonRole{RoleReviewer, RoleRewardsAdmin, RolePartnerAdmin, RoleViewer}

// ParseRole reads a role as the CLI and the forms give it ("partner-admin"
// and "partner_admin" alike).
func ParseRole(s string) (PersonRole, error) {
	r := PersonRole(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_"))
	for _, known := range PersonRoles {
		if r == known {
			return r, nil
		}
	}
	return "", fmt.Errorf("role %q: want reviewer, admin (the rewards team), partner-admin or viewer (a company)", s)
}

// Rewards reports whether the role is one of the rewards team's.
func (r PersonRole) Rewards() bool { return r == RoleReviewer || r == RoleRewardsAdmin }

// Admin reports whether the role manages people (and, for a company, acts in
// the rewards workspace).
func (r PersonRole) Admin() bool { return r == RoleRewardsAdmin || r == RolePartnerAdmin }

// Label is the role as people read it.
func (r PersonRole) Label() string {
	switch r {
	case RoleReviewer:
		return "Reviewer"
	case RoleRewardsAdmin:
		return "Rewards admin"
	case RolePartnerAdmin:
		return "Partner admin"
	case RoleViewer:
		return "Viewer"
	}
	return string(r)
}

// Person is someone who signs in to the pages.
type Person struct {
	ID      string     `json:"person_id"`
	Email   string     `json:"email"`
	Name    string     `json:"name"`
	PGAID   string     `json:"pga_id,omitempty"` // "" = the rewards team
	Role    PersonRole `json:"role"`
	Issuer  string     `json:"issuer,omitempty"`  // with Subject: the identity-provider account,
	Subject string     `json:"subject,omitempty"` // bound on the first sign-in
	Created time.Time  `json:"-"`
	Removed time.Time  `json:"removed_at,omitzero"` // zero = active
}

// Active reports whether the person may sign in.
func (p Person) Active() bool { return p.Removed.IsZero() }

// Principal is the authority of a signed-in person, derived from the stored
// person on every request, so a changed role or a removal counts at once.
func (p Person) Principal() Principal {
	pr := Principal{PersonID: p.ID, PGAID: p.PGAID, Admin: p.Role.Admin(), Role: RolePartner}
	if p.Role.Rewards() {
		pr.Role = RoleRewards
	}
	return pr
}

// Change is one recorded change to a person.
type Change struct {
	ID       int64
	PersonID string
	Action   string // add, role, remove, bind
	By       string
	At       time.Time
	Before   string // the person as JSON before ("" for an add)
	After    string
}

// Tenant is an identity-provider tenant associated with a company.
type Tenant struct {
	PGAID    string
	TenantID string
	Added    time.Time
	By       string
}

// PeopleStore keeps people, their change history and the companies' tenants.
type PeopleStore interface {
	// Person returns a person by id (removed ones too), or an error wrapping ErrNotFound.
	Person(ctx context.Context, id string) (Person, error)
	// PersonBySubject returns the active person bound to an identity-provider account.
	PersonBySubject(ctx context.Context, issuer, subject string) (Person, error)
	// PeopleByEmail returns the active people with this (lower-case) email.
	PeopleByEmail(ctx context.Context, email string) ([]Person, error)
	// People lists the active people ("" = everyone, else the company's), removed ones too when removed is set.
	People(ctx context.Context, pgaID string, removed bool) ([]Person, error)
	// SavePerson writes after and records the change (before is nil for an add) in one transaction.
	SavePerson(ctx context.Context, before *Person, after Person, action, by string, at time.Time) error
	// Changes lists the recorded changes, oldest first ("" = everyone's).
	Changes(ctx context.Context, personID string) ([]Change, error)
	// Tenants lists every company's tenants.
	Tenants(ctx context.Context) ([]Tenant, error)
	// SetTenant adds (add) or removes a company's tenant.
	SetTenant(ctx context.Context, t Tenant, add bool) error
	// CompanyKnown reports whether a company (PGA) is in the reference data.
	CompanyKnown(ctx context.Context, pgaID string) (bool, error)
}

// Errors of the people functions, each answered with its own words.
var (
	ErrEmailTaken   = errors.New("an active person already has this email")
	ErrRoleSide     = errors.New("a role cannot move a person between the rewards team and a company: remove them and add them again")
	ErrNotPermitted = errors.New("not permitted for your role")
	ErrRemoved      = errors.New("the person has been removed")
)

// NormalizeEmail is an email as it is stored and matched: trimmed, lower case.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", fmt.Errorf("email %q: not an email address", s)
	}
	return s, nil
}

func newPersonID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return "p-" + hex.EncodeToString(b)
}

// AddPerson adds a person with a role: a rewards-team role with no company,
// a company role with its company (which must be in the reference data unless
// allowUnknown). One active person per email, so that a first sign-in matches
// exactly one.
func AddPerson(ctx context.Context, ps PeopleStore, by, email, name, pgaID string, role PersonRole, allowUnknown bool, now time.Time) (Person, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return Person{}, err
	}
	pgaID, name = strings.TrimSpace(pgaID), strings.TrimSpace(name)
	if role.Rewards() != (pgaID == "") {
		if role.Rewards() {
			return Person{}, fmt.Errorf("role %s is the rewards team's: give no company", role)
		}
		return Person{}, fmt.Errorf("role %s is a company's: give the company (its partner global account id)", role)
	}
	if pgaID != "" && !allowUnknown {
		known, err := ps.CompanyKnown(ctx, pgaID)
		if err != nil {
			return Person{}, fmt.Errorf("look up company %s: %w", pgaID, err)
		}
		if !known {
			return Person{}, fmt.Errorf("company %s is not in the partners' reference data", pgaID)
		}
	}
	same, err := ps.PeopleByEmail(ctx, email)
	if err != nil {
		return Person{}, fmt.Errorf("look up %s: %w", email, err)
	}
	if len(same) > 0 {
		return Person{}, fmt.Errorf("%s: %w (%s)", email, ErrEmailTaken, same[0].ID)
	}
	if name == "" {
		name = email
	}
	p := Person{ID: newPersonID(), Email: email, Name: name, PGAID: pgaID, Role: role, Created: now.UTC().Truncate(time.Second)}
	if err := ps.SavePerson(ctx, nil, p, "add", by, now); err != nil {
		return Person{}, fmt.Errorf("add %s: %w", email, err)
	}
	return p, nil
}

// FindPerson finds an active person by id or email.
func FindPerson(ctx context.Context, ps PeopleStore, idOrEmail string) (Person, error) {
	if strings.Contains(idOrEmail, "@") {
		email, err := NormalizeEmail(idOrEmail)
		if err != nil {
			return Person{}, err
		}
		found, err := ps.PeopleByEmail(ctx, email)
		if err != nil {
			return Person{}, err
		}
		if len(found) == 0 {
			return Person{}, fmt.Errorf("no active person with email %s: %w", email, ErrNotFound)
		}
		return found[0], nil
	}
	p, err := ps.Person(ctx, idOrEmail)
	if err != nil {
		return Person{}, fmt.Errorf("person %s: %w", idOrEmail, err)
	}
	if !p.Active() {
		return Person{}, fmt.Errorf("person %s: %w", idOrEmail, ErrRemoved)
	}
	return p, nil
}

// SetRole changes an active person's role within their side (rewards team or company).
func SetRole(ctx context.Context, ps PeopleStore, by string, p Person, role PersonRole, now time.Time) (Person, error) {
	if !p.Active() {
		return Person{}, ErrRemoved
	}
	if role.Rewards() != p.Role.Rewards() {
		return Person{}, ErrRoleSide
	}
	if role == p.Role {
		return p, nil
	}
	after := p
	after.Role = role
	if err := ps.SavePerson(ctx, &p, after, "role", by, now); err != nil {
		return Person{}, fmt.Errorf("change the role of %s: %w", p.ID, err)
	}
	return after, nil
}

// RemovePerson removes an active person: their sessions end on their next
// request; the row stays for the history.
func RemovePerson(ctx context.Context, ps PeopleStore, by string, p Person, now time.Time) (Person, error) {
	if !p.Active() {
		return Person{}, ErrRemoved
	}
	after := p
	after.Removed = now.UTC().Truncate(time.Second)
	if err := ps.SavePerson(ctx, &p, after, "remove", by, now); err != nil {
		return Person{}, fmt.Errorf("remove %s: %w", p.ID, err)
	}
	return after, nil
}

// BindSubject records the identity-provider account of a person's first sign-in.
func BindSubject(ctx context.Context, ps PeopleStore, p Person, issuer, subject string, now time.Time) (Person, error) {
	after := p
	after.Issuer, after.Subject = issuer, subject
	if err := ps.SavePerson(ctx, &p, after, "bind", "sign-in", now); err != nil {
		return Person{}, fmt.Errorf("bind %s to its sign-in: %w", p.ID, err)
	}
	return after, nil
}

// ChangeText is a person's fields as recorded in a change.
func ChangeText(p *Person) string {
	if p == nil {
		return ""
	}
	b, _ := json.Marshal(p) // a struct of strings and times always marshals
	return string(b)
}

// Actor names who makes a change: the person, or the token.
func Actor(p Principal) string {
	switch {
	case p.PersonID != "":
		return p.PersonID
	case p.TokenID != "":
		return "token:" + p.TokenID
	}
	return "unknown"
}

// CanManage reports whether the principal may add, change or remove people
// of company pgaID ("" = the rewards team): the rewards team's admin anyone,
// a partner admin their own company's people.
func CanManage(p Principal, pgaID string) bool {
	if !p.Admin {
		return false
	}
	if p.IsRewards() {
		return true
	}
	return p.IsPartnerAdmin() && p.PGAID != "" && p.PGAID == pgaID
}

// TenantProblem is a tenant listed for more than one company.
type TenantProblem struct {
	TenantID  string
	Companies []string
}

func (tp TenantProblem) Error() string {
	return fmt.Sprintf("tenant %s belongs to %d companies (%s): a tenant belongs to one company; remove it from all but one (insights people tenant remove)",
		tp.TenantID, len(tp.Companies), strings.Join(tp.Companies, ", "))
}

// CheckTenants returns every tenant listed for two companies or more.
func CheckTenants(ctx context.Context, ps PeopleStore) ([]TenantProblem, error) {
	ts, err := ps.Tenants(ctx)
	if err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	by := map[string][]string{}
	for _, t := range ts {
		by[t.TenantID] = append(by[t.TenantID], t.PGAID)
	}
	var out []TenantProblem
	for tenant, pgas := range by {
		if len(pgas) > 1 {
			sort.Strings(pgas)
			out = append(out, TenantProblem{TenantID: tenant, Companies: pgas})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].TenantID < out[j].TenantID })
	return out, nil
}

// TenantCompanies lists the companies a tenant belongs to (normally one, or none).
func TenantCompanies(ctx context.Context, ps PeopleStore, tenantID string) ([]string, error) {
	ts, err := ps.Tenants(ctx)
	if err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	var out []string
	for _, t := range ts {
		if t.TenantID == tenantID {
			out = append(out, t.PGAID)
		}
	}
	sort.Strings(out)
	return out, nil
}
