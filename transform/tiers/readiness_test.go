package tiers_test

import (
	"slices"
	"testing"
)

func TestReadinessOfTheMarketingContact(t *testing.T) {
	tests := []struct {
		name      string
		contacts  func(e *env)
		readiness string
	}{
		{"valid contact", func(e *env) {
			e.contact("G", "mia@g.example", "+1 555 0100", "en-US", "2025-06-01", "")
		}, "ready"},
		{"email equals the account email", func(e *env) {
			e.contact("G", " Owner@G.example ", "+1 555 0100", "en-US", "2025-06-01", "")
		}, "missing: a contact email other than the account email"},
		{"email equals another publisher profile's account email", func(e *env) {
			e.contact("G", "owner2@g.example", "+1 555 0100", "en-US", "2025-06-01", "")
		}, "missing: a contact email other than the account email"},
		{"phone and language missing", func(e *env) {
			e.contact("G", "mia@g.example", " ", "", "2025-06-01", "")
		}, "missing: contact phone; contact language"},
		{"email missing", func(e *env) {
			e.contact("G", "", "+1", "fr", "2025-06-01", "")
		}, "missing: contact email"},
		{"no contact", func(e *env) {}, "missing: marketing contact"},
		{"the latest assigned contact counts", func(e *env) {
			e.contact("G", "mia@g.example", "+1", "en", "2025-06-01", "")
			e.contact("G", "owner@g.example", "+1", "en", "2025-09-01", "")
		}, "missing: a contact email other than the account email"},
		{"a contact assigned after the as-of date does not count yet", func(e *env) {
			e.contact("G", "mia@g.example", "+1", "en", "2025-06-01", "")
			e.contact("G", "owner@g.example", "+1", "en", "2026-09-01", "")
		}, "ready"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.partner("P1", "G", "owner@g.example")
			e.partner("P2", "G", "owner2@g.example")
			e.order(ord{asset: "A1", publisher: "P1", month: "2026-01", amount: "25000"})
			tc.contacts(e)
			e.mustRun("2026-01-31")
			if got := e.str(`SELECT readiness FROM tier_unlocks WHERE unlock_id = 'G:tier-1'`); got != tc.readiness {
				t.Errorf("readiness = %q, want %q", got, tc.readiness)
			}
		})
	}
}

func TestSLAs(t *testing.T) {
	e := newEnv(t)
	e.partner("P1", "G", "owner@g.example") // offer P1-offer live 2024-01-01
	e.partner("P2", "H", "owner@h.example")
	e.partner("P3", "K", "owner@k.example")
	e.offer("H-new", "P2", "Trial", "2026-01-10") // 21 days live on 2026-01-31: not yet due
	e.offer("K-old", "P3", "List", "2025-12-01")  // contacted late
	e.order(ord{asset: "A1", publisher: "P1", month: "2025-12", amount: "30000"})
	e.order(ord{asset: "A2", publisher: "P2", month: "2025-12", amount: "30000"})
	e.order(ord{asset: "A3", publisher: "P3", month: "2025-12", amount: "30000"})
	e.contact("G", "mia@g.example", "+1", "en", "2023-01-01", "2023-06-01 10:00:00")
	e.contact("H", "hal@h.example", "+1", "en", "2023-01-01", "2026-01-05 10:00:00")
	e.contact("K", "kay@k.example", "+1", "en", "2023-01-01", "2026-01-20 09:00:00")
	e.mustRun("2026-01-31")

	// Activations (the partner's, since the rewards workspace; migration 0070): G activated
	// 2026-01-02, never contacted since: overdue. H activated 2025-12-30 and contacted
	// 2026-01-05: on time. K activated 2026-01-10, contacted 2026-01-20: late.
	e.exec(`INSERT INTO benefit_activations (benefit_key, pga_id, unlock_id, tier, period, listing_type, benefit, activated_by, activated_at) VALUES
		('G:tier-1:1:Transact:Go-to-market consultation', 'G', 'G:tier-1', 'Tier 1', 1, 'Transact', 'Go-to-market consultation', 'ann', TIMESTAMP '2026-01-02 09:00:00'),
		('H:tier-1:1:Transact:Go-to-market consultation', 'H', 'H:tier-1', 'Tier 1', 1, 'Transact', 'Go-to-market consultation', 'ann', TIMESTAMP '2025-12-30 09:00:00'),
		('K:tier-1:1:Transact:Go-to-market consultation', 'K', 'K:tier-1', 'Tier 1', 1, 'Transact', 'Go-to-market consultation', 'ann', TIMESTAMP '2026-01-10 09:00:00')`)
	got := e.rows(`SELECT unlock_id, activated_at, contact_due_on, contacted_at, status, days_to_contact FROM sla_activation_contact ORDER BY unlock_id`)
	want := []string{
		"G:tier-1|2026-01-02 09:00:00|2026-01-09||overdue|29",
		"K:tier-1|2026-01-10 09:00:00|2026-01-17|2026-01-20 09:00:00|late|10",
	}
	if !slices.Equal(got, want) {
		t.Errorf("sla_activation_contact =\n%q\nwant\n%q", got, want)
	}

	got = e.rows(`SELECT offer_id, live_date, contact_due_on, contacted_at, status, days_live_without_contact FROM sla_offer_contact ORDER BY offer_id`)
	want = []string{
		"K-old|2025-12-01|2025-12-29|2026-01-20 09:00:00|late|50",
		"P1-offer|2024-01-01|2024-01-29||overdue|761",
		"P2-offer|2024-01-01|2024-01-29|2026-01-05 10:00:00|late|735",
		"P3-offer|2024-01-01|2024-01-29|2026-01-20 09:00:00|late|750",
	}
	if !slices.Equal(got, want) {
		t.Errorf("sla_offer_contact =\n%q\nwant\n%q", got, want)
	}
}
