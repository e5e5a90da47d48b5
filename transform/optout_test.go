package transform

import (
	"context"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// Opt-outs reach deployments by subscription or by tenant, whatever the case
// and spacing of either side, and an id listed as one kind never matches the
// other (040 and 110 join them as two equality joins, not one join on an OR).
func TestDeploymentsOptedOutBySubscriptionOrTenant(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	if _, err := s.Exec(ctx, `
		INSERT INTO opt_outs (kind, id, _file_id) VALUES
			('subscription', 'sub-a', 1), ('tenant', ' ten-b ', 1),
			('tenant', 'sub-c', 1), ('subscription', 'sub-d', 1), ('tenant', 'ten-d', 1);
		INSERT INTO qos (offer_id, deployment_correlation_id, subscription_id, customer_tenant_id, start_time, _file_id) VALUES
			('o1', 'd1', ' SUB-A', 'ten-x', '2025-06-01', 2),
			('o1', 'd2', 'sub-x', 'TEN-B ', '2025-06-01', 2),
			('o1', 'd3', 'sub-c', 'ten-c', '2025-06-01', 2),
			('o1', 'd4', 'sub-d', 'ten-d', '2025-06-01', 2),
			('o1', 'd4', 'sub-d', 'ten-d', '2025-06-01', 2),
			('o1', 'd5', NULL, NULL, '2025-06-01', 2);
		INSERT INTO deployments (deployment_id, "timestamp", subscription_id, customer_tenant_id, _file_id)
		SELECT DISTINCT deployment_correlation_id, start_time, subscription_id, customer_tenant_id, 3 FROM qos;`); err != nil {
		t.Fatal(err)
	}
	if _, err := NewRunner(s, nil, defaultPipeline(t, tiers.Default())).RunFull(ctx, fixtureAsOf); err != nil {
		t.Fatal(err)
	}
	want := "d1:true d2:true d3:false d4:true d5:false"
	if got := testkit.Str(t, s, `SELECT string_agg(deployment_correlation_id || ':' || opted_out, ' ' ORDER BY deployment_correlation_id)
		FROM marketplace_deployments`); got != want {
		t.Errorf("marketplace_deployments opted_out: %s, want %s", got, want)
	}
	want = "d1:opted_out:customer opted out of tracking (subscription) " +
		"d2:opted_out:customer opted out of tracking (tenant) " +
		"d3:none:- " +
		"d4:opted_out:customer opted out of tracking (subscription) " +
		"d5:none:-"
	if got := testkit.Str(t, s, `SELECT string_agg(deployment_id || ':' || status || ':' || CASE WHEN opted_out THEN reason ELSE '-' END, ' ' ORDER BY deployment_id)
		FROM attr_deployments`); got != want {
		t.Errorf("attr_deployments:\n%s\nwant\n%s", got, want)
	}
}
