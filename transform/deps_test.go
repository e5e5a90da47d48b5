package transform

import (
	"slices"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/transform/tiers"
)

var fixtureRawTables = []string{"orders", "usage", "customers", "deployments", "clicks", "partners", "offers",
	"tracking_ids", "contacts", "opt_outs", "fx_rates", "qos", "marketplace_insights", "revenue"}

// Which steps an incremental run skips follows from what their SQL reads: a
// day of usage and FX rates leaves the orders, deployments and campaign steps
// alone, and reaches everything that reads usage or converts to USD.
func TestStepsSkippedFollowWhatChanged(t *testing.T) {
	steps := defaultPipeline(t, tiers.Default()).Steps()
	deps, err := dependencies(steps, fixtureRawTables)
	if err != nil {
		t.Fatal(err)
	}
	skippedBy := func(datasets ...string) []string {
		skip := skipBy(deps, datasets)
		var out []string
		for _, s := range steps {
			if skip(s) {
				out = append(out, s.Name)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		changed   []string
		skip, run []string
	}{
		{"a day of usage and FX rates", []string{"usage", "fx_rates"},
			[]string{"010_current_orders", "040_marketplace_deployments", "105_parse_tracking_ids", "110_attribute_deployments", "305_parse_campaigns", "310_campaign_clicks"},
			[]string{"020_resolved_usage", "120_attribute_usage", "140_hidden_customers", "150_visible_rows", "210_billed_sales_parts", "240_tier_unlocks", "400_data_watermarks", "510_report_orders_facts", "520_report_usage_facts", "540_report_deployments_facts"}},
		{"new deployments", []string{"deployments"},
			[]string{"010_current_orders", "020_resolved_usage", "305_parse_campaigns"},
			[]string{"040_marketplace_deployments", "105_parse_tracking_ids", "110_attribute_deployments", "120_attribute_usage", "140_hidden_customers", "540_report_deployments_facts"}},
		{"a tracking-ID registration", []string{"tracking_ids"},
			[]string{"010_current_orders", "020_resolved_usage"},
			[]string{"105_parse_tracking_ids", "110_attribute_deployments", "120_attribute_usage", "540_report_deployments_facts"}},
		{"clicks", []string{"clicks"},
			[]string{"010_current_orders", "020_resolved_usage", "110_attribute_deployments", "120_attribute_usage"},
			[]string{"305_parse_campaigns", "310_campaign_clicks", "320_campaign_performance", "550_report_campaigns_facts"}},
		{"nothing", nil,
			[]string{"010_current_orders", "020_resolved_usage", "120_attribute_usage", "150_visible_rows", "510_report_orders_facts"},
			[]string{"200_load_tier_rules", "240_tier_unlocks", "400_data_watermarks"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := skippedBy(tc.changed...)
			t.Logf("skipped: %s", strings.Join(got, " "))
			for _, s := range tc.skip {
				if !slices.Contains(got, s) {
					t.Errorf("%s runs (reads %v), want it skipped", s, deps[s].reads)
				}
			}
			for _, s := range tc.run {
				if slices.Contains(got, s) {
					t.Errorf("%s skipped (reads %v), want it run", s, deps[s].reads)
				}
			}
		})
	}
}
