package attribution_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/tiers"
)

var asOf = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

// transformed opens a fresh store, loads testdata/fixture.sql and runs the whole transform.
func transformed(t *testing.T) *duckstore.Store {
	t.Helper()
	s := testkit.Open(t)
	testkit.LoadSQL(t, s, "testdata/fixture.sql")
	runTransform(t, s)
	return s
}

// runTransform runs the declared pipeline as of asOf.
func runTransform(t *testing.T, s *duckstore.Store) {
	t.Helper()
	p, err := transform.Default(tiers.Default())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := transform.NewRunner(s, nil, p).Run(context.Background(), asOf); err != nil {
		t.Fatal(err)
	}
}

// rowsText renders a query's rows as "a|b|c" lines (NULL as ∅).
func rowsText(t *testing.T, s *duckstore.Store, query string, args ...any) []string {
	t.Helper()
	return testkit.RowsNull(t, s, "∅", query, args...)
}

func wantRows(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestDeploymentAttribution(t *testing.T) {
	s := transformed(t)
	got := rowsText(t, s, `
		SELECT deployment_id, source, tracking_id, status, multiple, partner_id, pga_id, offer_id, channel, plan_id
		FROM deployment_attribution
		WHERE deployment_id IS NOT NULL
		ORDER BY deployment_id, tracking_id NULLS LAST`)
	g1, g2 := "pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789", "pid-11111111-2222-3333-4444-555555555555"
	wantRows(t, "deployment_attribution", got, []string{
		"d01|deployment_name|" + g1 + "|attributed|false|P1|G1|O1|arm|∅",                       // same day as registration
		"d02|deployment_name|" + g1 + "|before_registration|false|P1|G1|O1|arm|∅",              // one day before
		"d03|deployment_name|" + g1 + "|attributed|false|P1|G1|O1|terraform|gold",              // the edit applies from its day
		"d04|user_agent|" + g1 + "|attributed|true|P1|G1|O1|terraform|gold",                    // two registered IDs
		"d04|user_agent|" + g2 + "|attributed|true|P2|G1|O2|cli|∅",                             // ... each flagged multiple
		"d05|user_agent|" + g2 + "|attributed|false|P2|G1|O2|cli|∅",                            // one registered ...
		"d05|user_agent|pid-55555555-5555-5555-5555-555555555555|unregistered|false|∅|∅|∅|∅|∅", // ... one not
		"d06|deployment_name|" + g1 + "|attributed|false|P1|G1|O1|terraform|gold",              // braces, upper case
		"d07|user_agent|∅|malformed|false|∅|∅|∅|∅|∅",                                           // 35 characters
		"d08|user_agent|∅|malformed|false|∅|∅|∅|∅|∅",                                           // pid- alone
		"d09|deployment_name|pid-contoso-myoffer-partnercenter|attributed|false|P3|G2|O3|partner_center|∅",
		"d10|deployment_name|pid-Contoso-MyOffer-PartnerCenter|unregistered|false|∅|∅|∅|∅|∅",
		"d11|terraform_partner_id|" + g2 + "|attributed|false|P2|G1|O2|cli|∅",
		"d12|∅|∅|none|false|∅|∅|∅|∅|∅",
		"d15|deployment_name|" + g2 + "|attributed|false|P2|G1|O2|cli|∅", // same ID twice: one row
		"d16|deployment_name|" + g1 + "|attributed|false|P1|G1|O1|terraform|gold",
		"d17|deployment_name|pid-44444444-4444-4444-4444-444444444444|attributed|false|P3|G2|O3|sdk|∅",
		"d18|deployment_name|" + g2 + "|attributed|false|P2|G1|O2|cli|∅", // GUID with a date suffix
		"dA1|deployment_name|" + g2 + "|attributed|false|P2|G1|O2|cli|∅",
		"dA2|deployment_name|pid-contoso-myoffer-partnercenter|attributed|false|P3|G2|O3|partner_center|∅",
		"dA3|deployment_name|" + g1 + "|attributed|false|P1|G1|O1|arm|∅",
		"dB1|deployment_name|" + g2 + "|attributed|false|P2|G1|O2|cli|∅",
	})

	reasons := rowsText(t, s, `SELECT deployment_id, reason FROM deployment_attribution
		WHERE deployment_id IN ('d02', 'd07', 'd08', 'd04') ORDER BY deployment_id, tracking_id`)
	wantRows(t, "reasons", reasons, []string{
		"d02|deployed 2025-03-09, registered from 2025-03-10",
		"d04|one of 2 registered IDs on this deployment; registration version 2 (from 2025-05-01)",
		"d04|one of 2 registered IDs on this deployment; registration version 1 (from 2025-01-01)",
		"d07|last group has 11 digits, want 12",
		"d08|no GUID after pid-",
	})
}

func TestOptedOutCustomersAreNeverAttributedNorShown(t *testing.T) {
	s := transformed(t)
	// d13 (subscription, matched case-insensitively) and d14 (tenant): one masked row each.
	got := rowsText(t, s, `
		SELECT "timestamp", deployment_id, subscription_id, resource_group, source, raw_token, tracking_id,
		       status, partner_id
		FROM deployment_attribution WHERE status = 'opted_out' ORDER BY "timestamp"`)
	wantRows(t, "opted-out rows", got, []string{
		"2025-06-10 10:00:00|∅|∅|∅|∅|∅|∅|opted_out|∅",
		"2025-06-11 10:00:00|∅|∅|∅|∅|∅|∅|opted_out|∅",
	})
	// Their identifiers appear in no partner-facing view.
	for _, view := range []string{"deployment_attribution", "attributed_usage", "attributed_usage_monthly", "tracking_id_issues"} {
		n := rowsText(t, s, fmt.Sprintf(`SELECT count(*) FROM %s v WHERE contains(lower(CAST(v AS VARCHAR)), 'optout')
			OR contains(lower(CAST(v AS VARCHAR)), 'tenant-out')`, duckstore.Ident(view)))
		if n[0] != "0" {
			t.Errorf("%s shows opted-out identifiers in %s rows", view, n[0])
		}
	}
	// g5 appears on d05 and on opted-out d13: the issue list counts d05 only.
	issues := rowsText(t, s, `SELECT deployments, first_seen FROM tracking_id_issues
		WHERE tracking_id = 'pid-55555555-5555-5555-5555-555555555555'`)
	wantRows(t, "g5 issue", issues, []string{"1|2025-06-02 10:00:00"})
}

func TestUsageAttribution(t *testing.T) {
	s := transformed(t)
	got := rowsText(t, s, `
		SELECT reference_id, match_level, deployment_id, tracking_id, multiple, partner_id, offer_id, channel
		FROM attributed_usage ORDER BY reference_id, tracking_id`)
	g1, g2, pc := "pid-0a1b2c3d-4e5f-6789-abcd-ef0123456789", "pid-11111111-2222-3333-4444-555555555555", "pid-contoso-myoffer-partnercenter"
	wantRows(t, "attributed_usage", got, []string{
		// u1: before any deployment; u10, u11: opted out; u12: only a failed deployment — none of them
		"u2|resource_group|dA1|" + g2 + "|false|P2|O2|cli", // same day as the deployment
		"u3|resource_group|dA1|" + g2 + "|false|P2|O2|cli", // own resource group beats a newer one elsewhere
		"u4|resource_group|dA2|" + pc + "|false|P3|O3|partner_center",
		"u5|subscription|dA2|" + pc + "|false|P3|O3|partner_center", // no resource group: most recent in the subscription
		"u6|subscription|dA3|" + g1 + "|false|P1|O1|arm",            // unknown resource group: subscription-level deployment
		"u7|resource_group|dA1|" + g2 + "|false|P2|O2|cli",
		"u8|subscription|dB1|" + g2 + "|false|P2|O2|cli",      // marketplace subscription id fallback
		"u9|subscription|d04|" + g1 + "|true|P1|O1|terraform", // two IDs on the deployment
		"u9|subscription|d04|" + g2 + "|true|P2|O2|cli",
	})
	monthly := rowsText(t, s, `
		SELECT month, partner_id, tracking_id, channel, payout_currency_pc, usage_rows, shared_usage_rows,
		       subscriptions, CAST(estimated_extended_charge_pc AS VARCHAR), typeof(estimated_extended_charge_pc)
		FROM attributed_usage_monthly ORDER BY ALL`)
	wantRows(t, "attributed_usage_monthly", monthly, []string{
		"2025-04-01|P1|" + g1 + "|arm|USD|1|0|1|6.600000|DECIMAL(38,6)",
		"2025-04-01|P2|" + g2 + "|cli|EUR|1|0|1|1.000000|DECIMAL(38,6)",
		"2025-04-01|P2|" + g2 + "|cli|USD|3|0|1|13.200000|DECIMAL(38,6)",
		"2025-04-01|P3|" + pc + "|partner_center|USD|2|0|1|9.900000|DECIMAL(38,6)",
		"2025-06-01|P1|" + g1 + "|terraform|USD|1|1|1|9.990000|DECIMAL(38,6)",
		"2025-06-01|P2|" + g2 + "|cli|USD|1|1|1|9.990000|DECIMAL(38,6)",
	})
}

func TestCampaigns(t *testing.T) {
	s := transformed(t)
	clicks := rowsText(t, s, `
		SELECT session_id, action_kind, cta_type, mktcmpid, campaign_status, src, src_normalized, partner_id
		FROM campaign_clicks ORDER BY "timestamp"`)
	wantRows(t, "campaign_clicks", clicks, []string{
		"s1|page_visit|∅|spring|valid|LinkedIn|linkedin|P1",
		"s1|cta|contact_me|spring|valid|LinkedIn|linkedin|P1",
		"s1|consent|∅|spring|valid|LinkedIn|linkedin|P1",
		"s2|page_visit|∅|spring|valid|linkedin|linkedin|P1",
		"s3|page_visit|∅|spring|valid|LinkedIn|linkedin|P1",
		"s3|cta|free_trial|spring|valid|LinkedIn|linkedin|P1",
		"s3|cta|free_trial|spring|valid|LinkedIn|linkedin|P1",
		"s4|page_visit|∅|_NoCampaign|none|∅|∅|P1",
		"s5|page_visit|∅|abcdefghij1234567|invalid|∅|∅|P1",
		"s6|page_visit|∅|_NoCampaign|none|∅|∅|P3",
	})
	perf := rowsText(t, s, `
		SELECT period, period_start, offer_id, mktcmpid, campaign_status, source, referral_domain,
		       page_visits, clicks, ctas, cta_contact_me, cta_free_trial, cta_other, cta_sessions, consents,
		       CAST(cta_rate AS VARCHAR), CAST(consent_rate AS VARCHAR), typeof(cta_rate)
		FROM campaign_performance WHERE partner_id = 'P1' ORDER BY period, period_start, mktcmpid`)
	wantRows(t, "campaign_performance", perf, []string{
		"day|2025-06-01|O1|spring|valid|linkedin|www.linkedin.com|2|4|1|1|0|0|1|1|0.5000|0.5000|DECIMAL(9,4)",
		"day|2025-06-02|O1|_NoCampaign|none|∅|bing.com|1|1|0|0|0|0|0|0|0.0000|0.0000|DECIMAL(9,4)",
		"day|2025-06-02|O1|abcdefghij1234567|invalid|∅|∅|1|1|0|0|0|0|0|0|0.0000|0.0000|DECIMAL(9,4)",
		"day|2025-06-02|O1|spring|valid|linkedin|www.linkedin.com|1|3|2|0|2|0|1|0|1.0000|0.0000|DECIMAL(9,4)",
		"month|2025-06-01|O1|_NoCampaign|none|∅|bing.com|1|1|0|0|0|0|0|0|0.0000|0.0000|DECIMAL(9,4)",
		"month|2025-06-01|O1|abcdefghij1234567|invalid|∅|∅|1|1|0|0|0|0|0|0|0.0000|0.0000|DECIMAL(9,4)",
		"month|2025-06-01|O1|spring|valid|linkedin|www.linkedin.com|3|7|3|1|2|0|2|1|0.6667|0.3333|DECIMAL(9,4)",
	})
}

func TestTrackingIDIssues(t *testing.T) {
	s := transformed(t)
	got := rowsText(t, s, `SELECT status, tracking_id, kind, reason, sources, deployments, subscriptions, first_seen, last_seen
		FROM tracking_id_issues ORDER BY status, tracking_id`)
	wantRows(t, "tracking_id_issues", got, []string{
		"malformed|pid-|malformed|no GUID after pid-|user_agent|1|1|2025-06-05 10:00:00|2025-06-05 10:00:00",
		"malformed|pid-0a1b2c3d-4e5f-6789-abcd-ef012345678|malformed|last group has 11 digits, want 12|user_agent|1|1|2025-06-04 10:00:00|2025-06-04 10:00:00",
		"unregistered|pid-55555555-5555-5555-5555-555555555555|guid|not registered|user_agent|1|1|2025-06-02 10:00:00|2025-06-02 10:00:00",
		"unregistered|pid-Contoso-MyOffer-PartnerCenter|partner_center|not registered (non-GUID IDs match only exactly as registered)|deployment_name|1|1|2025-06-07 10:00:00|2025-06-07 10:00:00",
	})
}

// Re-running the transform gives identical contents: row for row in table order, except for the
// row-level tables attr_usage and attr_clicks (and their views), stored in no fixed order.
func TestTransformIsIdempotent(t *testing.T) {
	s := transformed(t)
	views := []string{"deployment_attribution", "attributed_usage", "attributed_usage_monthly",
		"tracking_id_issues", "campaign_clicks", "campaign_performance"}
	tables := []string{"attr_tokens", "attr_registry", "attr_deployments", "attr_usage", "attr_clicks", "attr_campaign_urls"}
	snapshot := func() map[string][]string {
		m := map[string][]string{}
		for _, v := range append(views, tables...) {
			q := "SELECT * FROM " + duckstore.Ident(v)
			if v == "attributed_usage" || v == "attr_usage" || v == "campaign_clicks" || v == "attr_clicks" {
				q += " ORDER BY ALL"
			}
			m[v] = rowsText(t, s, q)
		}
		return m
	}
	before := snapshot()
	runTransform(t, s)
	after := snapshot()
	for _, v := range append(views, tables...) {
		if len(before[v]) == 0 {
			t.Errorf("%s is empty", v)
		}
		wantRows(t, v+" after a second run", after[v], before[v])
	}
}
