package download

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"

	"github.com/marketplace-insights/insights/serve/auth"
)

// DBCatalog is the Catalog on the insights database (report_files, api_tokens,
// tier_status), plus the token and secret management the CLI uses.
type DBCatalog struct {
	store *duckstore.Store
	now   func() time.Time
}

// NewDBCatalog returns a catalog on store.
func NewDBCatalog(store *duckstore.Store) *DBCatalog {
	return &DBCatalog{store: store, now: time.Now}
}

// dir holds this package's queries (sql/serve/download).
const dir = "serve/download/"

func query(name string) (string, error) { return sqlfiles.Query(dir + name) }

// Token implements Catalog.
func (c *DBCatalog) Token(ctx context.Context, tokenID string) (auth.StoredToken, error) {
	q, err := query("token_get")
	if err != nil {
		return auth.StoredToken{}, err
	}
	var t auth.StoredToken
	var role string
	err = c.store.QueryRow(ctx, q, tokenID).Scan(&t.TokenID, &t.SHA256, &role, &t.PartnerID, &t.Revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.StoredToken{}, ErrNotFound
	}
	if err != nil {
		return auth.StoredToken{}, fmt.Errorf("read token %s: %w", tokenID, err)
	}
	t.Role = auth.Role(role)
	return t, nil
}

// Tokens returns every stored token (revoked ones included).
func (c *DBCatalog) Tokens(ctx context.Context) ([]auth.StoredToken, error) {
	var out []auth.StoredToken
	err := duckstore.QueryNamed(ctx, c.store, dir+"tokens_all", func(rows *sql.Rows) error {
		var t auth.StoredToken
		var role string
		if err := rows.Scan(&t.TokenID, &t.SHA256, &role, &t.PartnerID, &t.Revoked); err != nil {
			return err
		}
		t.Role = auth.Role(role)
		out = append(out, t)
		return nil
	})
	return out, err
}

// AllReports returns the whole manifest, newest first.
func (c *DBCatalog) AllReports(ctx context.Context) ([]Report, error) {
	out := []Report{}
	err := duckstore.QueryNamed(ctx, c.store, dir+"reports_all", func(rows *sql.Rows) error {
		r, err := scanReport(rows)
		out = append(out, r)
		return err
	})
	return out, err
}

// Version is a fingerprint of the tokens and the manifest: it changes with
// any of their rows.
func (c *DBCatalog) Version(ctx context.Context) (string, error) {
	var v string
	return v, duckstore.QueryRowNamed(ctx, c.store, dir+"catalog_version", nil, &v)
}

// Reports implements Catalog.
func (c *DBCatalog) Reports(ctx context.Context, p auth.Principal) ([]Report, error) {
	all, err := c.AllReports(ctx)
	if err != nil {
		return nil, err
	}
	out := []Report{}
	for _, r := range all {
		if visibleTo(p, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// VisibleReport implements Catalog.
func (c *DBCatalog) VisibleReport(ctx context.Context, p auth.Principal, id string) (Report, error) {
	return visibleReport(ctx, c.Report, p, id)
}

// visibleReport is report id from get if p may see it, else ErrNotFound.
func visibleReport(ctx context.Context, get func(context.Context, string) (Report, error), p auth.Principal, id string) (Report, error) {
	r, err := get(ctx, id)
	if err != nil {
		return Report{}, err
	}
	if !visibleTo(p, r) {
		return Report{}, ErrNotFound
	}
	return r, nil
}

// visibleTo is the one visibility rule of the download service: partners see
// their own partner reports, the rewards team the review packs.
func visibleTo(p auth.Principal, r Report) bool {
	switch p.Role {
	case auth.RolePartner:
		return r.Audience == string(auth.RolePartner) && p.PartnerID != "" && r.PartnerID == p.PartnerID
	case auth.RoleRewards:
		return r.Audience == string(auth.RoleRewards)
	}
	return false
}

// Report implements Catalog.
func (c *DBCatalog) Report(ctx context.Context, id string) (Report, error) {
	q, err := query("report_get")
	if err != nil {
		return Report{}, err
	}
	r, err := scanReport(c.store.QueryRow(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Report{}, ErrNotFound
	}
	if err != nil {
		return Report{}, fmt.Errorf("read report %s: %w", id, err)
	}
	return r, nil
}

func scanReport(row interface{ Scan(...any) error }) (Report, error) {
	var r Report
	var asOf, created sql.NullTime
	if err := row.Scan(&r.ID, &r.PartnerID, &r.Audience, &asOf, &r.Period, &r.Name, &r.Format, &r.Path,
		&r.Size, &r.SHA256, &created, &r.ModTimeNS); err != nil {
		return Report{}, err
	}
	r.AsOf, r.CreatedAt = asOf.Time, created.Time
	return r, nil
}

// Tier implements Catalog.
func (c *DBCatalog) Tier(ctx context.Context, partnerID string) (TierStatus, error) {
	q, err := query("tier")
	if err != nil {
		return TierStatus{}, err
	}
	var t TierStatus
	var tier, next, gap, projected sql.NullString
	err = c.store.QueryRow(ctx, q, partnerID).Scan(&t.PGAID, &t.AsOf, &t.TTMBilledSalesUSD, &tier, &next, &gap, &projected)
	if errors.Is(err, sql.ErrNoRows) {
		return TierStatus{}, ErrNotFound
	}
	if err != nil {
		return TierStatus{}, fmt.Errorf("tier status of partner %s: %w", partnerID, err)
	}
	t.Tier, t.NextTier, t.GapUSD, t.ProjectedMonth = strPtr(tier), strPtr(next), strPtr(gap), strPtr(projected)
	return t, nil
}

func strPtr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

// Ping implements Catalog.
func (c *DBCatalog) Ping(ctx context.Context) error {
	var one int
	return c.store.QueryRow(ctx, `SELECT 1`).Scan(&one)
}

// CreateToken stores a new token for role (partnerID for auth.RolePartner, "" for
// auth.RoleRewards) and returns it. This is the only time the token exists in clear.
func (c *DBCatalog) CreateToken(ctx context.Context, role auth.Role, partnerID, note string) (token string, info TokenInfo, err error) {
	switch {
	case role == auth.RolePartner && partnerID == "":
		return "", TokenInfo{}, errors.New("a partner token needs a partner id")
	case role == auth.RoleRewards && partnerID != "":
		return "", TokenInfo{}, errors.New("a rewards token belongs to no partner")
	case role != auth.RolePartner && role != auth.RoleRewards:
		return "", TokenInfo{}, fmt.Errorf("unknown role %q", role)
	}
	token, id, err := auth.NewToken()
	if err != nil {
		return "", TokenInfo{}, err
	}
	q, err := query("token_insert")
	if err != nil {
		return "", TokenInfo{}, err
	}
	var partner, noteArg any
	if partnerID != "" {
		partner = partnerID
	}
	if note != "" {
		noteArg = note
	}
	now := c.now().UTC()
	if _, err := c.store.Exec(ctx, q, id, auth.HashToken(token), string(role), partner, noteArg, now); err != nil {
		return "", TokenInfo{}, fmt.Errorf("store token: %w", err)
	}
	Changed(c.store)
	return token, TokenInfo{ID: id, Role: role, PartnerID: partnerID, Note: note, CreatedAt: now}, nil
}

// TokenInfo describes a stored token (never the token itself).
type TokenInfo struct {
	ID        string
	Role      auth.Role
	PartnerID string
	Note      string
	CreatedAt time.Time
}

// RevokeToken revokes an active token; ErrNotFound if there is none with that id.
func (c *DBCatalog) RevokeToken(ctx context.Context, tokenID string) error {
	q, err := query("token_revoke")
	if err != nil {
		return err
	}
	n, err := c.store.Exec(ctx, q, tokenID, c.now().UTC())
	if err != nil {
		return fmt.Errorf("revoke token %s: %w", tokenID, err)
	}
	Changed(c.store) // before returning: the revocation holds from the next request on
	if n == 0 {
		return fmt.Errorf("token %s: %w (or already revoked)", tokenID, ErrNotFound)
	}
	return nil
}

// LinkSecret returns the key that signs download links: the one stored in the
// database, generated and stored on first use, so links survive restarts.
func (c *DBCatalog) LinkSecret(ctx context.Context) ([]byte, error) {
	get, err := query("secret_get")
	if err != nil {
		return nil, err
	}
	put, err := query("secret_insert")
	if err != nil {
		return nil, err
	}
	const name = "link_signing_key"
	var v string
	err = c.store.QueryRow(ctx, get, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("generate link secret: %w", err)
		}
		// ON CONFLICT keeps a secret stored meanwhile; read back whichever won.
		if _, err := c.store.Exec(ctx, put, name, hex.EncodeToString(b), c.now().UTC()); err != nil {
			return nil, fmt.Errorf("store link secret: %w", err)
		}
		err = c.store.QueryRow(ctx, get, name).Scan(&v)
	}
	if err != nil {
		return nil, fmt.Errorf("read link secret: %w", err)
	}
	key, err := hex.DecodeString(v)
	if err != nil || len(key) < 32 {
		return nil, errors.New("stored link secret is malformed")
	}
	return key, nil
}
