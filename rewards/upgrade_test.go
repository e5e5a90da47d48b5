package rewards_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// lastBeforeWorkspace is the last migration of the release before the rewards workspace.
const lastBeforeWorkspace = 62

// TestUpgradeKeepsDecisionsContactsAndSLA builds a database as the previous release
// made it (its migrations only), fills it as its commands did (landing contacts, a
// transform's tier tables, `insights review decide`), upgrades it in place and checks
// that every decision and contact is kept, that an unlock approved before the upgrade
// counts as approved with its benefits activated at that approve (carried over), and
// that the 7-day and 4-week SLA lists are row for row what they were.
func TestUpgradeKeepsDecisionsContactsAndSLA(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	old, err := duckstore.Open(ctx, duckstore.Config{Path: path, Threads: 1, MemoryLimit: "512MB", MigrateThrough: lastBeforeWorkspace}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := testkit.Str(t, old, `SELECT max(version) FROM schema_migrations`); n != "62" {
		t.Fatalf("old database at migration %s", n)
	}
	for _, q := range []string{
		`INSERT INTO partners VALUES ('P1', 'A', 'Alpha Apps', 'Alpha', 'acc@a.example', 1), ('P2', 'B', 'Beta', 'Beta', 'acc@b.example', 1),
			('P3', 'C', 'Gamma', 'Gamma', 'acc@c.example', 1)`,
		`INSERT INTO offers VALUES ('OA', 'P1', 'Alpha app', 'Transact', NULL, DATE '2025-10-01', 1),
			('OB', 'P2', 'Beta app', 'Transact', NULL, DATE '2025-12-20', 1), ('OC', 'P3', 'Gamma app', 'Transact', NULL, DATE '2026-01-25', 1)`,
		// Landing contacts: A's contacted on 2026-01-20 (late for its approve of the 10th), B's never.
		`INSERT INTO contacts VALUES ('A', 'Ann', 'ann@a.example', '+1 555 0100', 'en', TIMESTAMP '2025-06-01 00:00:00', TIMESTAMP '2026-01-20 09:00:00', 1),
			('B', 'Bo', 'bo@b.example', '+1 555 0101', 'fr', TIMESTAMP '2025-06-01 00:00:00', NULL, 1),
			('C', 'Cy', 'cy@c.example', '+1 555 0102', 'en', TIMESTAMP '2025-06-01 00:00:00', TIMESTAMP '2026-01-26 09:00:00', 1)`,
		`INSERT INTO tier_run VALUES ('run-1', DATE '2026-02-28')`,
		`INSERT INTO tier_benefit_catalog VALUES ('Transact', 'Tier 1', 1, 'Go-to-market consultation', 0, 1)`,
		`INSERT INTO tier_unlocks_data VALUES
			('A:tier-1', 'A', 'Tier 1', 1, 25000, DATE '2025-12-31', 30000, 'Transact', 'Transact: Go-to-market consultation', 1, DATE '2025-12-31', DATE '2026-12-31'),
			('B:tier-1', 'B', 'Tier 1', 1, 25000, DATE '2025-12-31', 30000, 'Transact', 'Transact: Go-to-market consultation', 1, DATE '2025-12-31', DATE '2026-12-31'),
			('C:tier-1', 'C', 'Tier 1', 1, 25000, DATE '2025-12-31', 30000, 'Transact', 'Transact: Go-to-market consultation', 1, DATE '2025-12-31', DATE '2026-12-31')`,
		`INSERT INTO tier_benefit_grants VALUES
			('A:tier-1', 'A', 'Tier 1', 1, DATE '2025-12-31', DATE '2026-12-30', 'Transact', 'Go-to-market consultation', NULL),
			('B:tier-1', 'B', 'Tier 1', 1, DATE '2025-12-31', DATE '2026-12-30', 'Transact', 'Go-to-market consultation', NULL),
			('C:tier-1', 'C', 'Tier 1', 1, DATE '2025-12-31', DATE '2026-12-30', 'Transact', 'Go-to-market consultation', NULL)`,
		`INSERT INTO tier_readiness VALUES ('A', 'Ann', 'ann@a.example', '+1 555 0100', 'en', TIMESTAMP '2025-06-01', true, ''),
			('B', 'Bo', 'bo@b.example', '+1 555 0101', 'fr', TIMESTAMP '2025-06-01', true, ''),
			('C', 'Cy', 'cy@c.example', '+1 555 0102', 'en', TIMESTAMP '2025-06-01', true, '')`,
		// `insights review decide` as the old release recorded it: A deferred then approved
		// (activated on the 10th by the old rule) and approved again; B approved on the
		// 5th; C approved then rejected (no activation).
		`INSERT INTO review_decisions (unlock_id, pga_id, tier, decision, decided_by, decided_at, note, recorded_at) VALUES
			('A:tier-1', 'A', 'Tier 1', 'approve', 'ann', TIMESTAMP '2026-01-05 09:00:00', 'first', TIMESTAMP '2026-01-05 09:00:01'),
			('A:tier-1', 'A', 'Tier 1', 'defer', 'bob', TIMESTAMP '2026-01-06 09:00:00', 'check', TIMESTAMP '2026-01-06 09:00:01'),
			('A:tier-1', 'A', 'Tier 1', 'approve', 'ann', TIMESTAMP '2026-01-10 09:00:00', 'ok', TIMESTAMP '2026-01-10 09:00:01'),
			('A:tier-1', 'A', 'Tier 1', 'approve', 'cy', TIMESTAMP '2026-01-11 09:00:00', 'again', TIMESTAMP '2026-01-11 09:00:01'),
			('B:tier-1', 'B', 'Tier 1', 'approve', 'ann', TIMESTAMP '2026-01-05 12:00:00', '', TIMESTAMP '2026-01-05 12:00:01'),
			('C:tier-1', 'C', 'Tier 1', 'approve', 'ann', TIMESTAMP '2026-01-02 12:00:00', '', TIMESTAMP '2026-01-02 12:00:01'),
			('C:tier-1', 'C', 'Tier 1', 'reject', 'dee', TIMESTAMP '2026-01-03 12:00:00', 'fraud', TIMESTAMP '2026-01-03 12:00:01')`,
	} {
		testkit.Exec(t, old, q)
	}
	const (
		decisions   = `SELECT * FROM review_decisions ORDER BY decision_id`
		contacts    = `SELECT * FROM contacts ORDER BY pga_id, assigned_at`
		activation  = `SELECT unlock_id, pga_id, tier, activated_at, contact_due_on, contacted_at, status, days_to_contact, as_of FROM sla_activation_contact ORDER BY unlock_id`
		offers      = `SELECT pga_id, partner_id, offer_id, offer_name, listing_type, live_date, contact_due_on, contacted_at, status, days_live_without_contact, as_of FROM sla_offer_contact ORDER BY offer_id`
		reportSLA   = `SELECT unlock_id, activated_at, contact_due_on, contacted_at, status, days_to_contact FROM sla_activation_contact ORDER BY unlock_id`
		latestTable = `SELECT unlock_id, latest_decision, latest_decision_by, decisions FROM tier_unlocks ORDER BY unlock_id`
	)
	before := map[string][]string{}
	for _, q := range []string{decisions, contacts, activation, offers, latestTable} {
		before[q] = testkit.RowsNull(t, old, "NULL", q)
	}
	if got := before[activation]; len(got) != 2 {
		t.Fatalf("the old SLA list should hold A (late) and B (overdue): %q", got)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := duckstore.Open(ctx, duckstore.Config{Path: path, Threads: 1, MemoryLimit: "512MB"}, nil)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer s.Close()
	for q, want := range before {
		if got := testkit.RowsNull(t, s, "NULL", q); !slices.Equal(got, want) {
			t.Errorf("%s changed by the upgrade:\n%q\nwas\n%q", q, got, want)
		}
	}
	got := testkit.RowsNull(t, s, "NULL", `SELECT pga_id, unlock_id, activated_by, strftime(activated_at, '%Y-%m-%d %H:%M'), carried_over,
		decision_id, coalesce(benefit, '*') FROM benefit_activations ORDER BY activation_id`)
	want := []string{"B|B:tier-1|ann|2026-01-05 12:00|true|5|*", "A|A:tier-1|ann|2026-01-10 09:00|true|3|*"}
	if !slices.Equal(got, want) {
		t.Errorf("carried-over activations = %q, want %q", got, want)
	}
	// The benefits of an approved unlock show as activated at the approve, carried over;
	// a rejected unlock's are not offered.
	asOf := time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC)
	for pga, want := range map[string]string{"A": "in-use ann 2026-01-10 true", "B": "activated ann 2026-01-05 true", "C": ""} {
		bs, err := rewards.Benefits(ctx, s, pga, asOf)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, b := range bs {
			out = append(out, strings.Join([]string{b.State, b.ActivatedBy, b.ActivatedAt.Format(time.DateOnly), "true"}, " "))
			if !b.CarriedOver {
				out[len(out)-1] = strings.TrimSuffix(out[len(out)-1], "true") + "false"
			}
		}
		if strings.Join(out, ";") != want {
			t.Errorf("%s benefits = %q, want %q", pga, out, want)
		}
	}
	// Landing contacts stay the contacts until a partner assigns one.
	for _, pga := range []string{"A", "B", "C"} {
		c, ok, err := rewards.CurrentContact(ctx, s, pga)
		if err != nil || !ok || c.Source != "contacts file" {
			t.Errorf("%s's contact after the upgrade = %+v %v %v", pga, c, ok, err)
		}
	}
	// The live 7-day list on the run's date has the same rows as the view had.
	l, err := rewards.SLAActivations(ctx, s, time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var live []string
	for _, a := range l {
		live = append(live, a.UnlockID+" "+a.Status)
	}
	if strings.Join(live, ";") != "B:tier-1 overdue;A:tier-1 late" {
		t.Errorf("live 7-day list = %q", live)
	}
	if r := testkit.RowsNull(t, s, "NULL", reportSLA); len(r) != 2 {
		t.Errorf("report SLA rows = %q", r)
	}
}
