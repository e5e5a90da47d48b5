package rewards_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// store returns a transformed store with two unlocks: READY:tier-1 (valid contact) and
// NOCONTACT:tier-1 (no marketing contact).
func store(t *testing.T) *duckstore.Store {
	t.Helper()
	ctx := context.Background()
	s := testkit.Open(t)
	for _, q := range []string{
		`INSERT INTO partners (partner_id, pga_id, account_email, _file_id) VALUES ('P1', 'READY', 'a@r.example', 0), ('P2', 'NOCONTACT', 'a@n.example', 0)`,
		`INSERT INTO offers (offer_id, partner_id, listing_type, _file_id) VALUES ('O1', 'P1', 'Transact', 0), ('O2', 'P2', 'Transact', 0)`,
		`INSERT INTO orders (asset_id, purchase_record_line_item_id, order_version, publisher_id, month_start_date, estimated_charges,
			currency, order_status, marketplace_license_type, _file_id) VALUES
			('A1', 'L1', 1, 'P1', DATE '2026-01-01', 30000, 'USD', 'Active', 'Billed through Azure', 0),
			('A2', 'L1', 1, 'P2', DATE '2026-01-01', 30000, 'USD', 'Active', 'Billed through Azure', 0)`,
		`INSERT INTO contacts VALUES ('READY', 'Mia', 'mia@r.example', '+1', 'en', TIMESTAMP '2025-01-01', NULL, 0)`,
	} {
		if _, err := s.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	p, err := transform.Default(tiers.Default())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := transform.NewRunner(s, nil, p).Run(ctx, time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDecideValidates(t *testing.T) {
	ctx := context.Background()
	s := store(t)
	tests := []struct {
		name string
		req  rewards.Request
		want string
		is   error
	}{
		{"bad decision and no reviewer", rewards.Request{UnlockID: "READY:tier-1", Decision: "maybe"}, `decision "maybe": want approve, reject, defer; who decided is missing (--by)`, nil},
		{"unknown unlock", rewards.Request{UnlockID: "READY:tier-9", Decision: "defer", By: "ann"}, `unknown unlock id "READY:tier-9"`, rewards.ErrUnknownUnlock},
		{"approve without a valid contact", rewards.Request{UnlockID: "NOCONTACT:tier-1", Decision: "approve", By: "ann"}, "cannot approve NOCONTACT:tier-1: not ready for activation (missing: marketing contact)", rewards.ErrNotReady},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rewards.Decide(ctx, s, tc.req)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want errors.Is %v", err, tc.is)
			}
		})
	}
	if h, err := rewards.History(ctx, s, ""); err != nil || len(h) != 0 {
		t.Fatalf("refused decisions were recorded: %+v %v", h, err)
	}
	// Rejecting or deferring an unlock that is not ready is fine.
	if _, err := rewards.Decide(ctx, s, rewards.Request{UnlockID: "NOCONTACT:tier-1", Decision: "Defer", By: "ann", Note: "waiting for a contact"}); err != nil {
		t.Fatal(err)
	}
}

func TestDecisionHistoryIsAppendOnlyAndTheLatestIsShown(t *testing.T) {
	ctx := context.Background()
	s := store(t)
	at := func(day int) time.Time { return time.Date(2026, 2, day, 9, 0, 0, 0, time.UTC) }
	steps := []struct {
		req    rewards.Request
		latest string // decision|by|note shown in tier_unlocks afterwards
	}{
		{rewards.Request{UnlockID: "READY:tier-1", Decision: "defer", By: "ann", Note: "check sales", At: at(2)}, "defer|ann|check sales"},
		{rewards.Request{UnlockID: "READY:tier-1", Decision: "approve", By: "bob", Note: "ok", At: at(5)}, "approve|bob|ok"},
		{rewards.Request{UnlockID: "READY:tier-1", Decision: "reject", By: "cy", Note: "fraud review", At: at(9)}, "reject|cy|fraud review"},
		// recorded later but taken earlier: history grows, the latest stays
		{rewards.Request{UnlockID: "READY:tier-1", Decision: "approve", By: "dee", Note: "late entry", At: at(7)}, "reject|cy|fraud review"},
	}
	var first rewards.Decision
	for i, st := range steps {
		d, err := rewards.Decide(ctx, s, st.req)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if i == 0 {
			first = d
		}
		var got string
		if err := s.QueryRow(ctx, `SELECT latest_decision || '|' || latest_decision_by || '|' || latest_decision_note || '|' || decisions
			FROM tier_unlocks WHERE unlock_id = 'READY:tier-1'`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := st.latest + "|" + string(rune('1'+i)); got != want {
			t.Errorf("after step %d tier_unlocks shows %q, want %q", i, got, want)
		}
	}
	h, err := rewards.History(ctx, s, "READY:tier-1")
	if err != nil {
		t.Fatal(err)
	}
	var seq []string
	for _, d := range h {
		seq = append(seq, d.Decision+"@"+d.At.Format("02")+" by "+d.By)
	}
	if got, want := strings.Join(seq, ", "), "defer@02 by ann, approve@05 by bob, approve@07 by dee, reject@09 by cy"; got != want {
		t.Errorf("history = %s, want %s", got, want)
	}
	if h[0] != first || h[0].PGAID != "READY" || h[0].Tier != "Tier 1" || h[0].RecordedAt.IsZero() {
		t.Errorf("first decision changed or incomplete: %+v vs %+v", h[0], first)
	}
	latest, ok, err := rewards.Latest(ctx, s, "READY:tier-1")
	if err != nil || !ok || latest.Decision != "reject" {
		t.Errorf("latest = %+v %v %v", latest, ok, err)
	}
	if _, ok, _ := rewards.Latest(ctx, s, "NOCONTACT:tier-1"); ok {
		t.Error("undecided unlock has a latest decision")
	}
}

func TestApprovingAnApprovedUnlockIsRefused(t *testing.T) {
	ctx := context.Background()
	s := store(t)
	at := time.Date(2026, 2, 5, 9, 0, 0, 0, time.UTC)
	first, err := rewards.Decide(ctx, s, rewards.Request{UnlockID: "READY:tier-1", Decision: "approve", By: "bob", Note: "ok", At: at})
	if err != nil {
		t.Fatal(err)
	}
	_, err = rewards.Decide(ctx, s, rewards.Request{UnlockID: "READY:tier-1", Decision: "Approve", By: "ann"})
	if !errors.Is(err, rewards.ErrAlreadyApproved) {
		t.Fatalf("second approve: err = %v, want ErrAlreadyApproved", err)
	}
	want := fmt.Sprintf(`cannot approve READY:tier-1: already approved by bob on 2026-02-05 09:00:00 UTC, decision %d ("ok"); nothing recorded`, first.ID)
	if err.Error() != want {
		t.Errorf("error = %q\nwant     %q", err, want)
	}
	h, err := rewards.History(ctx, s, "READY:tier-1")
	if err != nil || len(h) != 1 {
		t.Fatalf("history after the refused approve: %d decisions (%v), want 1", len(h), err)
	}
	// Once the approval is no longer in force, approving again is a new decision.
	if _, err := rewards.Decide(ctx, s, rewards.Request{UnlockID: "READY:tier-1", Decision: "defer", By: "cy", At: at.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := rewards.Decide(ctx, s, rewards.Request{UnlockID: "READY:tier-1", Decision: "approve", By: "cy", At: at.Add(2 * time.Hour)}); err != nil {
		t.Fatalf("approve after a defer: %v", err)
	}
}

func TestTierStatusOfAnUnknownPGAIsAnError(t *testing.T) {
	ctx := context.Background()
	s := store(t)
	asOf := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	all, err := rewards.TierStatus(ctx, s, asOf, "")
	if err != nil || len(all.Rows) != 2 {
		t.Fatalf("every PGA: %d rows, %v", len(all.Rows), err)
	}
	one, err := rewards.TierStatus(ctx, s, asOf, "READY")
	if err != nil || len(one.Rows) != 1 || one.Rows[0][0] != "READY" {
		t.Fatalf("one PGA: %v, %v", one.Rows, err)
	}
	_, err = rewards.TierStatus(ctx, s, asOf, "UNKNOWN")
	if !errors.Is(err, rewards.ErrUnknownPGA) || !strings.Contains(err.Error(), `"UNKNOWN"`) {
		t.Fatalf("unknown PGA: err = %v", err)
	}
}
