package attribution

import (
	"context"
	"fmt"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// The statuses of tracking_id_issues.
const (
	IssueUnregistered = "unregistered"
	IssueMalformed    = "malformed"
)

// Summary is the last transform's attribution and campaign summary (area,
// measure, value) that `insights attribution summary` prints.
func Summary(ctx context.Context, s *duckstore.Store) (duckstore.Table, error) {
	return s.ReportTable(ctx, "attribution_summary")
}

// Issues lists the unregistered and malformed tracking IDs seen (status ""
// for both), most frequent first; limit 0 means all.
func Issues(ctx context.Context, s *duckstore.Store, status string, limit int) (duckstore.Table, error) {
	if status != "" && status != IssueUnregistered && status != IssueMalformed {
		return duckstore.Table{}, fmt.Errorf("status %q: want %s or %s", status, IssueUnregistered, IssueMalformed)
	}
	if limit < 0 {
		return duckstore.Table{}, fmt.Errorf("limit %d: want 0 (no limit) or more", limit)
	}
	var n any
	if limit > 0 {
		n = limit
	}
	return s.ReportTable(ctx, "attribution_issues", status, status, n)
}
