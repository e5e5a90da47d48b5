package attribution_test

import (
	"context"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/attribution"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// TestTemplatePatternsAttribution: pid-<GUID>-<suffix> and pid-<GUID>_<v>_…
// attribute to their registered GUID (and say so) unless the whole token is
// registered byte for byte; the Terraform providers' default ID is a platform
// ID (never unregistered, never "multiple"); a Go SDK token cut to 24
// characters is reported as truncated.
func TestTemplatePatternsAttribution(t *testing.T) {
	const g1, g2, g9 = "0a1b2c3d-4e5f-6789-abcd-ef0123456789", "11111111-2222-3333-4444-555555555555", "99999999-9999-9999-9999-999999999999"
	s := testkit.Open(t)
	testkit.Exec(t, s, `
		INSERT INTO partners (partner_id, pga_id, _file_id) VALUES ('P1', 'G1', 1), ('P2', 'G2', 1), ('P3', 'G3', 1);
		INSERT INTO tracking_ids (tracking_id, partner_id, registered_at, _file_id) VALUES
			('pid-`+g1+`', 'P1', TIMESTAMP '2025-01-01', 1),
			('pid-`+g2+`-partnercenter', 'P2', TIMESTAMP '2025-01-01', 1),
			('`+g2+`', 'P3', TIMESTAMP '2025-01-01', 1);
		INSERT INTO deployments (deployment_id, "timestamp", subscription_id, deployment_name, user_agent, _file_id) VALUES
			('d1', TIMESTAMP '2025-06-01 10:00:00', 's1', 'pid-`+g1+`-q7zcoa4fk2ium', NULL, 1),
			('d2', TIMESTAMP '2025-06-01 10:00:00', 's1', 'pid-`+g1+`_v5_caf', NULL, 1),
			('d3', TIMESTAMP '2025-06-01 10:00:00', 's1', 'pid-`+g2+`-partnercenter', NULL, 1),
			('d4', TIMESTAMP '2025-06-01 10:00:00', 's1', 'pid-`+g1+`', 'Terraform/1.5.0 terraform-provider-azurerm/3.70.0 pid-222c6c49-1b0a-5959-a213-6608f9eb8820', 1),
			('d5', TIMESTAMP '2025-06-01 10:00:00', 's1', NULL, 'azsdk-go-pid-b6addd8f-5ff4-4fc0-a azsdk-go-armresources/v1.2.0 (go1.22.1; linux)', 1),
			('d6', TIMESTAMP '2025-06-01 10:00:00', 's1', 'pid-`+g9+`-q7zcoa4fk2ium', NULL, 1),
			('d7', TIMESTAMP '2025-06-01 10:00:00', 's1', NULL, 'terraform-provider-azapi/1.9.0 pid-222c6c49-1b0a-5959-a213-6608f9eb8820', 1);`)
	runTransform(t, s)
	got := rowsText(t, s, `SELECT deployment_id, raw_token, tracking_id, status, multiple, partner_id, reason
		FROM deployment_attribution ORDER BY deployment_id, tracking_id`)
	wantRows(t, "deployments", got, []string{
		"d1|pid-" + g1 + "-q7zcoa4fk2ium|pid-" + g1 + "|attributed|false|P1|registration version 1 (from 2025-01-01); pid-" + g1 + "-q7zcoa4fk2ium is not registered but its GUID is: matched by the GUID (Microsoft's templates append -q7zcoa4fk2ium to it)",
		"d2|pid-" + g1 + "_v5_caf|pid-" + g1 + "|attributed|false|P1|registration version 1 (from 2025-01-01); pid-" + g1 + "_v5_caf is not registered but its GUID is: matched by the GUID (Microsoft's templates append _v5_caf to it)",
		"d3|pid-" + g2 + "-partnercenter|pid-" + g2 + "-partnercenter|attributed|false|P2|registration version 1 (from 2025-01-01)",
		"d4|pid-" + g1 + "|pid-" + g1 + "|attributed|false|P1|registration version 1 (from 2025-01-01)",
		"d4|pid-222c6c49-1b0a-5959-a213-6608f9eb8820|pid-222c6c49-1b0a-5959-a213-6608f9eb8820|platform|false|∅|a Microsoft platform ID, not a partner's: Terraform azurerm/azapi provider default partner ID (partner_id unset)",
		"d5|pid-b6addd8f-5ff4-4fc0-a|∅|truncated|false|∅|cut to 24 characters: the Azure SDK for Go keeps only the first 24 characters of its telemetry application ID, so pid-<GUID> cannot travel there whole; the partner should put the tracking ID in the deployment name (or a user-agent part the SDK does not cut)",
		"d6|pid-" + g9 + "-q7zcoa4fk2ium|pid-" + g9 + "-q7zcoa4fk2ium|unregistered|false|∅|not registered, nor is its GUID",
		"d7|pid-222c6c49-1b0a-5959-a213-6608f9eb8820|pid-222c6c49-1b0a-5959-a213-6608f9eb8820|platform|false|∅|a Microsoft platform ID, not a partner's: Terraform azurerm/azapi provider default partner ID (partner_id unset)",
	})
	issues := rowsText(t, s, `SELECT status, tracking_id, deployments FROM tracking_id_issues ORDER BY status, tracking_id`)
	wantRows(t, "issues", issues, []string{
		"truncated|pid-b6addd8f-5ff4-4fc0-a|1",
		"unregistered|pid-" + g9 + "-q7zcoa4fk2ium|1",
	})
}

// TestPlatformIDsAreConfiguration: the list passed to the pipeline replaces
// the default one.
func TestPlatformIDsAreConfiguration(t *testing.T) {
	const own = "pid-abababab-abab-abab-abab-abababababab"
	s := testkit.Open(t)
	testkit.Exec(t, s, `INSERT INTO deployments (deployment_id, "timestamp", subscription_id, user_agent, _file_id) VALUES
		('d1', TIMESTAMP '2025-06-01 10:00:00', 's1', 'tool/1.0 `+own+`', 1),
		('d2', TIMESTAMP '2025-06-01 10:00:00', 's1', 'terraform-provider-azurerm/3.70.0 pid-222c6c49-1b0a-5959-a213-6608f9eb8820', 1)`)
	p, err := transform.Default(tiers.Default(), transform.WithPlatformIDs([]attribution.PlatformID{{ID: strings.ToUpper(own)}}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := transform.NewRunner(s, nil, p).Run(context.Background(), asOf); err != nil {
		t.Fatal(err)
	}
	wantRows(t, "statuses", rowsText(t, s, `SELECT deployment_id, status, reason FROM deployment_attribution ORDER BY 1`), []string{
		"d1|platform|a Microsoft platform ID, not a partner's: configured in attribution.platform_ids",
		"d2|unregistered|not registered",
	})
}

// TestOptOutListShapes: opt-outs listed by subscription and tenant columns
// (opt_out_ids) hide deployments just as Kind,Id rows do.
func TestOptOutListShapes(t *testing.T) {
	s := testkit.Open(t)
	testkit.Exec(t, s, `
		INSERT INTO opt_outs (subscription_id, tenant_id, _file_id) VALUES ('SUB-1', NULL, 1), (NULL, 'tenant-2', 1);
		INSERT INTO deployments (deployment_id, "timestamp", subscription_id, customer_tenant_id, deployment_name, _file_id) VALUES
			('d1', TIMESTAMP '2025-06-01 10:00:00', 'sub-1', 't-x', 'pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789', 1),
			('d2', TIMESTAMP '2025-06-01 10:00:00', 'sub-2', 'TENANT-2', 'pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789', 1),
			('d3', TIMESTAMP '2025-06-01 10:00:00', 'sub-3', 't-y', 'pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789', 1)`)
	runTransform(t, s)
	wantRows(t, "statuses", rowsText(t, s, `SELECT status, reason FROM attr_deployments ORDER BY deployment_id`), []string{
		"opted_out|customer opted out of tracking (subscription)",
		"opted_out|customer opted out of tracking (tenant)",
		"unregistered|not registered",
	})
}
