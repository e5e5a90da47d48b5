package download

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"

	"github.com/marketplace-insights/insights/serve/auth"
)

// The API answers from memory: tokens and the report manifest are loaded
// once and kept current, so a request costs no database round trip (an
// unknown token included). Two things keep the copy current:
//
//   - a change made in this process (a token created or revoked through any
//     DBCatalog on the store, a job that finished) bumps the store's change
//     generation (Changed); the next request sees it and reloads first, so a
//     revocation holds from the next request on;
//   - a change made by other code (SQL, another process while the service was
//     down) is noticed by a cheap fingerprint query run in the background at
//     most once per poll interval.

// generations counts in-process changes per store.
var generations sync.Map // *duckstore.Store → *atomic.Int64

func generation(s *duckstore.Store) *atomic.Int64 {
	v, _ := generations.LoadOrStore(s, new(atomic.Int64))
	return v.(*atomic.Int64)
}

// Changed tells every cached catalog on store that tokens or the report
// manifest changed: they reload before answering the next request.
func Changed(store *duckstore.Store) { generation(store).Add(1) }

// CachedCatalog is a Catalog that answers tokens and reports from memory.
type CachedCatalog struct {
	db   *DBCatalog
	log  *slog.Logger
	poll time.Duration
	gen  *atomic.Int64

	snap     atomic.Pointer[snapshot]
	stale    atomic.Bool  // the background check found the tables changed
	checking atomic.Bool  // a background check is running
	checked  atomic.Int64 // when the last check started (Unix ns)
	pinged   atomic.Int64 // when the database last answered a health check (Unix ns)
	loads    atomic.Int64 // full loads, for tests and metrics
	mu       sync.Mutex   // one load at a time
}

// snapshot is one consistent copy of the tokens and the manifest.
type snapshot struct {
	gen       int64  // the change generation it was loaded at
	version   string // the tables' fingerprint when it was loaded
	tokens    map[string]auth.StoredToken
	reports   map[string]Report
	byPartner map[string][]Report // partner reports, newest first
	rewards   []Report            // review packs, newest first
}

// NewCachedCatalog serves db's tokens and manifest from memory, checking for
// changes made outside this process at most once per poll (default 1s).
func NewCachedCatalog(db *DBCatalog, log *slog.Logger, poll time.Duration) *CachedCatalog {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if poll <= 0 {
		poll = time.Second
	}
	return &CachedCatalog{db: db, log: log, poll: poll, gen: generation(db.store)}
}

// Invalidate makes the next request reload (for example when a report job ended).
func (c *CachedCatalog) Invalidate() { Changed(c.db.store) }

// Loads is how many times the catalog was read from the database.
func (c *CachedCatalog) Loads() int64 { return c.loads.Load() }

// Load reads the catalog now (at start, so the first request does not wait).
func (c *CachedCatalog) Load(ctx context.Context) error {
	_, err := c.reload(ctx, true)
	return err
}

// current returns an up-to-date snapshot, reloading it if something changed.
func (c *CachedCatalog) current(ctx context.Context) (*snapshot, error) {
	s := c.snap.Load()
	if s != nil && s.gen == c.gen.Load() && !c.stale.Load() {
		c.maybeCheck(s)
		return s, nil
	}
	return c.reload(ctx, false)
}

func (c *CachedCatalog) reload(ctx context.Context, force bool) (*snapshot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.gen.Load()
	if s := c.snap.Load(); !force && s != nil && s.gen == g && !c.stale.Load() {
		return s, nil // another request reloaded meanwhile
	}
	c.stale.Store(false)
	// The fingerprint is read first: a change landing during the load makes
	// the next check differ, and a later reload picks it up.
	version, err := c.db.Version(ctx)
	if err != nil {
		return nil, err
	}
	tokens, err := c.db.Tokens(ctx)
	if err != nil {
		return nil, err
	}
	reports, err := c.db.AllReports(ctx)
	if err != nil {
		return nil, err
	}
	s := &snapshot{gen: g, version: version, tokens: make(map[string]auth.StoredToken, len(tokens)),
		reports: make(map[string]Report, len(reports)), byPartner: map[string][]Report{}}
	for _, t := range tokens {
		s.tokens[t.TokenID] = t
	}
	for _, r := range reports { // newest first, as listed
		s.reports[r.ID] = r
		switch {
		case visibleTo(auth.Principal{Role: auth.RoleRewards}, r):
			s.rewards = append(s.rewards, r)
		case r.Audience == string(auth.RolePartner) && r.PartnerID != "":
			s.byPartner[r.PartnerID] = append(s.byPartner[r.PartnerID], r)
		}
	}
	c.snap.Store(s)
	c.checked.Store(time.Now().UnixNano())
	c.loads.Add(1)
	c.log.Debug("catalog loaded", "tokens", len(tokens), "reports", len(reports))
	return s, nil
}

// maybeCheck starts a background fingerprint check if the last one is older
// than the poll interval. Requests never wait for it.
func (c *CachedCatalog) maybeCheck(s *snapshot) {
	now := time.Now().UnixNano()
	if now-c.checked.Load() < int64(c.poll) || !c.checking.CompareAndSwap(false, true) {
		return
	}
	c.checked.Store(now)
	go func() {
		defer c.checking.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		v, err := c.db.Version(ctx)
		if err != nil {
			c.log.Warn("checking the catalog for changes failed", "err", err)
			return
		}
		if v != s.version {
			c.stale.Store(true)
		}
	}()
}

// Token implements Catalog.
func (c *CachedCatalog) Token(ctx context.Context, tokenID string) (auth.StoredToken, error) {
	s, err := c.current(ctx)
	if err != nil {
		return auth.StoredToken{}, err
	}
	t, ok := s.tokens[tokenID]
	if !ok {
		return auth.StoredToken{}, ErrNotFound
	}
	return t, nil
}

// Reports implements Catalog. The slice is shared: callers must not change it.
func (c *CachedCatalog) Reports(ctx context.Context, p auth.Principal) ([]Report, error) {
	s, err := c.current(ctx)
	if err != nil {
		return nil, err
	}
	var rs []Report
	switch p.Role {
	case auth.RolePartner:
		rs = s.byPartner[p.PartnerID]
	case auth.RoleRewards:
		rs = s.rewards
	}
	if rs == nil {
		rs = []Report{}
	}
	return rs, nil
}

// VisibleReport implements Catalog.
func (c *CachedCatalog) VisibleReport(ctx context.Context, p auth.Principal, id string) (Report, error) {
	return visibleReport(ctx, c.Report, p, id)
}

// Report implements Catalog.
func (c *CachedCatalog) Report(ctx context.Context, id string) (Report, error) {
	s, err := c.current(ctx)
	if err != nil {
		return Report{}, err
	}
	r, ok := s.reports[id]
	if !ok {
		return Report{}, ErrNotFound
	}
	return r, nil
}

// Tier implements Catalog (from the database: it is asked rarely).
func (c *CachedCatalog) Tier(ctx context.Context, partnerID string) (TierStatus, error) {
	return c.db.Tier(ctx, partnerID)
}

// healthFresh is how long a successful database ping answers health checks.
const healthFresh = time.Second

// Ping implements Catalog: the database is asked at most once a second;
// health checks in between get its last good answer.
func (c *CachedCatalog) Ping(ctx context.Context) error {
	if time.Now().UnixNano()-c.pinged.Load() < int64(healthFresh) {
		return nil
	}
	if err := c.db.Ping(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	c.pinged.Store(time.Now().UnixNano())
	return nil
}
