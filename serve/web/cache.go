package web

import (
	"context"
	"database/sql"
	"sync"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// runCache keeps views derived from the transform's output (the attribution
// of a partner) in memory until the next successful transform run: they
// cannot change before it, and the partner's unregistered IDs need a scan of
// every usage row. One cheap query (sql/serve/web/transform_key.sql) tells whether a run
// happened since.
type runCache struct {
	mu sync.Mutex
	m  map[string]cachedView
}

type cachedView struct {
	run string
	v   attributionView
}

// maxCached bounds the memory: past it the cache starts over.
const maxCached = 10000

func transformKey(ctx context.Context, s *duckstore.Store) (string, error) {
	var key string
	err := queryRows(ctx, s, "transform_key", func(rows *sql.Rows) error { return rows.Scan(&key) })
	return key, err
}

// attribution returns the partner's attribution view, from memory when no
// transform ran since it was computed.
func (c *runCache) attribution(ctx context.Context, s *duckstore.Store, partner string) (attributionView, error) {
	run, err := transformKey(ctx, s)
	if err != nil {
		return attributionView{}, err
	}
	c.mu.Lock()
	hit, ok := c.m[partner]
	c.mu.Unlock()
	if ok && hit.run == run {
		return hit.v, nil
	}
	v, err := partnerAttribution(ctx, s, partner)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCached {
		c.m = map[string]cachedView{}
	}
	c.m[partner] = cachedView{run: run, v: v}
	return v, nil
}
