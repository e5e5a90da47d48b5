package download

import (
	"context"
	"time"

	"github.com/marketplace-insights/insights/serve/auth"
)

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

// ErrNotFound is returned by a Catalog for anything that does not exist (the
// same error as auth.ErrNotFound, so a Catalog is an auth.TokenStore).
var ErrNotFound = auth.ErrNotFound

// Catalog is everything the API reads. DBCatalog implements it on the store.
type Catalog interface {
	// Token returns the token with this public id, or ErrNotFound.
	Token(ctx context.Context, tokenID string) (auth.StoredToken, error)
	// Reports lists what p may download, newest first.
	Reports(ctx context.Context, p auth.Principal) ([]Report, error)
	// VisibleReport returns report id if p may download it, else ErrNotFound.
	VisibleReport(ctx context.Context, p auth.Principal, id string) (Report, error)
	// Report returns report id whoever it belongs to (for signed links), or ErrNotFound.
	Report(ctx context.Context, id string) (Report, error)
	// Tier returns the latest tier status of the partner's PGA, or ErrNotFound.
	Tier(ctx context.Context, partnerID string) (TierStatus, error)
	// Ping checks the catalog can answer.
	Ping(ctx context.Context) error
}
