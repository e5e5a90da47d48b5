package server

import (
	"context"
	"errors"
	"time"
)

// Role is what a token may see.
type Role string

const (
	RolePartner Role = "partner" // one partner's reports and tier status
	RoleRewards Role = "rewards" // the rewards team's review packs
)

// Principal is an authenticated caller.
type Principal struct {
	TokenID   string
	Role      Role
	PartnerID string // for RolePartner
}

// StoredToken is a token's row: the hash to compare and whose it is.
type StoredToken struct {
	Principal
	SHA256  string // hex SHA-256 of the whole token
	Revoked bool
}

// Report is one generated file in the report manifest.
type Report struct {
	ID        string
	PartnerID string // "" for the review pack
	Audience  string // "partner" | "rewards"
	AsOf      time.Time
	Period    string
	Name      string // file base name
	Format    string // xlsx | csv | parquet
	Path      string // relative to the out root; never shown to callers
	Size      int64
	SHA256    string
	CreatedAt time.Time
	ModTimeNS int64 // the file's modification time when SHA256 was taken (Unix ns; 0 = not recorded)
}

// TierStatus is a PGA's tier status. Money stays text so it is exact.
type TierStatus struct {
	PGAID             string  `json:"pga_id"`
	AsOf              string  `json:"as_of"`
	TTMBilledSalesUSD string  `json:"ttm_billed_sales_usd"`
	Tier              *string `json:"tier"`
	NextTier          *string `json:"next_tier"`
	GapUSD            *string `json:"gap_usd"`
	ProjectedMonth    *string `json:"projected_month"`
}

// ErrNotFound is returned by a Catalog for anything that does not exist.
var ErrNotFound = errors.New("not found")

// Catalog is everything the API reads. DBCatalog implements it on the store.
type Catalog interface {
	// Token returns the token with this public id, or ErrNotFound.
	Token(ctx context.Context, tokenID string) (StoredToken, error)
	// Reports lists what p may download, newest first.
	Reports(ctx context.Context, p Principal) ([]Report, error)
	// VisibleReport returns report id if p may download it, else ErrNotFound.
	VisibleReport(ctx context.Context, p Principal, id string) (Report, error)
	// Report returns report id whoever it belongs to (for signed links), or ErrNotFound.
	Report(ctx context.Context, id string) (Report, error)
	// Tier returns the latest tier status of the partner's PGA, or ErrNotFound.
	Tier(ctx context.Context, partnerID string) (TierStatus, error)
	// Ping checks the catalog can answer.
	Ping(ctx context.Context) error
}
