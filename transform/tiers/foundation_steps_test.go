package tiers_test

import (
	"slices"
	"testing"
)

// Tests of the foundation's transform steps 010_current_orders and 020_resolved_usage,
// which billed sales build on.

func TestCurrentOrdersKeepTheHighestOrderVersion(t *testing.T) {
	e := newEnv(t)
	e.partner("P1", "G", "owner@g.example")
	e.order(ord{asset: "A1", version: 1, publisher: "P1", month: "2026-01", amount: "10"})
	e.order(ord{asset: "A1", version: 3, publisher: "P1", month: "2026-01", amount: "30", status: "Canceled"})
	e.order(ord{asset: "A1", version: 2, publisher: "P1", month: "2026-01", amount: "20"})
	e.order(ord{asset: "A1", line: "L2", version: 1, publisher: "P1", month: "2026-01", amount: "7"})
	e.order(ord{asset: "A2", version: 5, publisher: "P1", month: "2026-01", amount: "1"})
	e.mustRun("2026-01-31")
	got := e.rows(`SELECT asset_id, purchase_record_line_item_id, order_version, estimated_charges, order_status FROM current_orders ORDER BY 1, 2`)
	want := []string{"A1|L1|3|30.000000|Canceled", "A1|L2|1|7.000000|Active", "A2|L1|5|1.000000|Active"}
	if !slices.Equal(got, want) {
		t.Errorf("current_orders = %q, want %q", got, want)
	}
}

func TestPartnerResolution(t *testing.T) {
	tests := []struct {
		name                        string
		publisher, offer, offerName string
		partner, pga                string
	}{
		{"by publisher id", "P1", "P2-offer", "", "P1", "G"},
		{"by offer id", "", "P2-offer", "", "P2", "H"},
		{"by unique offer name", "", "", "P2-offer name", "P2", "H"},
		{"ambiguous offer name stays unresolved", "", "", "Shared name", "", ""},
		{"unknown offer stays unresolved", "", "nope", "P2-offer name", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.partner("P1", "G", "owner@g.example")
			e.partner("P2", "H", "owner@h.example")
			e.exec(`INSERT INTO offers (offer_id, partner_id, offer_name, listing_type, _file_id) VALUES
				('S1', 'P1', 'Shared name', 'List', 0), ('S2', 'P2', 'Shared name', 'List', 0)`)
			e.order(ord{asset: "A1", publisher: tc.publisher, offer: tc.offer, offerName: tc.offerName, month: "2026-01", amount: "1"})
			e.exec(`INSERT INTO usage (marketplace_subscription_id, usage_date, reference_id, publisher_id, offer_id, offer_name, _file_id)
				VALUES ('S', DATE '2026-01-02', 'R1', ?, ?, ?, 0)`, nullable(tc.publisher), nullable(tc.offer), nullable(tc.offerName))
			e.mustRun("2026-01-31")
			want := tc.partner + "|" + tc.pga
			if got := e.rows(`SELECT partner_id, pga_id FROM current_orders`); !slices.Equal(got, []string{want}) {
				t.Errorf("current_orders partner|pga = %q, want %q", got, want)
			}
			if got := e.rows(`SELECT partner_id, pga_id FROM resolved_usage`); !slices.Equal(got, []string{want}) {
				t.Errorf("resolved_usage partner|pga = %q, want %q", got, want)
			}
		})
	}
}

func TestResolvedUsageMarksOptedOutSubscriptions(t *testing.T) {
	e := newEnv(t)
	e.partner("P1", "G", "owner@g.example")
	e.exec(`INSERT INTO usage (marketplace_subscription_id, azure_subscription_id, usage_date, reference_id, publisher_id, _file_id) VALUES
		('MS-1', 'AZ-1', DATE '2026-01-02', 'R1', 'P1', 0),
		('MS-2', 'AZ-2', DATE '2026-01-02', 'R2', 'P1', 0),
		('MS-3', 'AZ-3', DATE '2026-01-02', 'R3', 'P1', 0)`)
	e.exec(`INSERT INTO opt_outs (kind, id, opted_out_at, _file_id) VALUES ('subscription', 'az-1', NULL, 0), ('subscription', 'MS-2', NULL, 0)`)
	e.mustRun("2026-01-31")
	got := e.rows(`SELECT reference_id, opted_out FROM resolved_usage ORDER BY 1`)
	if want := []string{"R1|true", "R2|true", "R3|false"}; !slices.Equal(got, want) {
		t.Errorf("opted_out = %q, want %q", got, want)
	}
}
