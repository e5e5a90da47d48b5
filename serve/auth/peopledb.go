package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// DBPeople is the PeopleStore on the database (people, people_changes,
// company_tenants; queries under sql/serve/auth/).
type DBPeople struct{ s *duckstore.Store }

// NewDBPeople returns the people store on s.
func NewDBPeople(s *duckstore.Store) *DBPeople { return &DBPeople{s: s} }

func scanPerson(rows interface{ Scan(...any) error }) (Person, error) {
	var p Person
	var removed sql.NullTime
	var role string
	if err := rows.Scan(&p.ID, &p.Email, &p.Name, &p.PGAID, &role, &p.Issuer, &p.Subject, &p.Created, &removed); err != nil {
		return Person{}, err
	}
	p.Role = PersonRole(role)
	if removed.Valid {
		p.Removed = removed.Time
	}
	return p, nil
}

func (d *DBPeople) list(ctx context.Context, name string, args ...any) ([]Person, error) {
	var out []Person
	err := duckstore.QueryNamed(ctx, d.s, "serve/auth/"+name, func(rows *sql.Rows) error {
		p, err := scanPerson(rows)
		out = append(out, p)
		return err
	}, args...)
	return out, err
}

func (d *DBPeople) one(ctx context.Context, name string, args ...any) (Person, error) {
	ps, err := d.list(ctx, name, args...)
	if err != nil {
		return Person{}, err
	}
	if len(ps) == 0 {
		return Person{}, ErrNotFound
	}
	return ps[0], nil
}

// Person implements PeopleStore.
func (d *DBPeople) Person(ctx context.Context, id string) (Person, error) {
	return d.one(ctx, "person_get", id)
}

// PersonBySubject implements PeopleStore.
func (d *DBPeople) PersonBySubject(ctx context.Context, issuer, subject string) (Person, error) {
	return d.one(ctx, "person_by_subject", issuer, subject)
}

// PeopleByEmail implements PeopleStore.
func (d *DBPeople) PeopleByEmail(ctx context.Context, email string) ([]Person, error) {
	return d.list(ctx, "people_by_email", email)
}

// People implements PeopleStore.
func (d *DBPeople) People(ctx context.Context, pgaID string, removed bool) ([]Person, error) {
	return d.list(ctx, "people_list", pgaID, removed)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// SavePerson implements PeopleStore: the row and its change in one transaction.
func (d *DBPeople) SavePerson(ctx context.Context, before *Person, after Person, action, by string, at time.Time) error {
	return d.s.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		var err error
		if before == nil {
			_, err = duckstore.ExecNamed(ctx, tx, "serve/auth/person_insert", after.ID, after.Email, after.Name,
				nullable(after.PGAID), string(after.Role), after.Created.UTC())
		} else {
			_, err = duckstore.ExecNamed(ctx, tx, "serve/auth/person_update", after.ID, after.Name, string(after.Role),
				nullable(after.Issuer), nullable(after.Subject), nullTime(after.Removed))
		}
		if err != nil {
			return err
		}
		if action == "remove" {
			if _, err := duckstore.ExecNamed(ctx, tx, "serve/auth/sessions_end_person", after.ID); err != nil {
				return err
			}
		}
		_, err = duckstore.ExecNamed(ctx, tx, "serve/auth/change_insert", after.ID, action, by, at.UTC(),
			nullable(ChangeText(before)), ChangeText(&after))
		return err
	})
}

// Changes implements PeopleStore.
func (d *DBPeople) Changes(ctx context.Context, personID string) ([]Change, error) {
	var out []Change
	err := duckstore.QueryNamed(ctx, d.s, "serve/auth/changes_list", func(rows *sql.Rows) error {
		var c Change
		err := rows.Scan(&c.ID, &c.PersonID, &c.Action, &c.By, &c.At, &c.Before, &c.After)
		out = append(out, c)
		return err
	}, personID)
	return out, err
}

// Tenants implements PeopleStore.
func (d *DBPeople) Tenants(ctx context.Context) ([]Tenant, error) {
	var out []Tenant
	err := duckstore.QueryNamed(ctx, d.s, "serve/auth/tenants_list", func(rows *sql.Rows) error {
		var t Tenant
		err := rows.Scan(&t.PGAID, &t.TenantID, &t.Added, &t.By)
		out = append(out, t)
		return err
	})
	return out, err
}

// SetTenant implements PeopleStore.
func (d *DBPeople) SetTenant(ctx context.Context, t Tenant, add bool) error {
	if add {
		_, err := duckstore.ExecNamed(ctx, d.s, "serve/auth/tenant_insert", t.PGAID, t.TenantID, t.Added.UTC(), t.By)
		return err
	}
	_, err := duckstore.ExecNamed(ctx, d.s, "serve/auth/tenant_delete", t.PGAID, t.TenantID)
	return err
}

// CompanyKnown implements PeopleStore.
func (d *DBPeople) CompanyKnown(ctx context.Context, pgaID string) (bool, error) {
	var ok bool
	err := duckstore.QueryRowNamed(ctx, d.s, "serve/auth/company_known", []any{pgaID}, &ok)
	return ok, err
}

// CompanyPartners lists a company's publisher profiles.
func (d *DBPeople) CompanyPartners(ctx context.Context, pgaID string) ([]string, error) {
	var out []string
	err := duckstore.QueryNamed(ctx, d.s, "serve/auth/company_partners", func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		out = append(out, id)
		return err
	}, pgaID)
	return out, err
}

// PartnerCompany is the company of a publisher profile ("" when unknown).
func (d *DBPeople) PartnerCompany(ctx context.Context, partnerID string) (string, error) {
	var pga string
	err := duckstore.QueryRowNamed(ctx, d.s, "serve/auth/partner_company", []any{partnerID}, &pga)
	return pga, err
}

// Login is an OpenID Connect sign-in in flight.
type Login struct {
	Nonce, Verifier, Next string
	Created               time.Time
}

// SaveLogin records a sign-in sent to the provider under its state's hash,
// and drops those older than maxAge.
func (d *DBPeople) SaveLogin(ctx context.Context, state string, l Login, maxAge time.Duration) error {
	if _, err := duckstore.ExecNamed(ctx, d.s, "serve/auth/oidc_logins_expire", l.Created.Add(-maxAge).UTC()); err != nil {
		return err
	}
	_, err := duckstore.ExecNamed(ctx, d.s, "serve/auth/oidc_login_insert", HashToken(state), l.Nonce, l.Verifier, l.Next, l.Created.UTC())
	return err
}

// TakeLogin returns and deletes the sign-in of a state: ErrNotFound when
// there is none (never sent, already used, or dropped).
func (d *DBPeople) TakeLogin(ctx context.Context, state string) (Login, error) {
	var l Login
	err := duckstore.QueryRowNamed(ctx, d.s, "serve/auth/oidc_login_take", []any{HashToken(state)}, &l.Nonce, &l.Verifier, &l.Next, &l.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return Login{}, ErrNotFound
	}
	if err != nil {
		return Login{}, fmt.Errorf("take sign-in: %w", err)
	}
	return l, nil
}
