// Package rewards is the rewards team's review of tier unlocks: an append-only history
// of decisions (approve, reject, defer) with who, when and a note. Nothing here updates or
// deletes a decision; the latest one (by decision time, then by id) is the one in force.
// Approving an unlock confirms it: its benefits become activatable by the partner
// (workspace.go); it still needs a valid marketing contact, checked live.
package rewards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// The decisions a reviewer can take.
const (
	Approve = "approve"
	Reject  = "reject"
	Defer   = "defer"
)

// Decisions lists the valid decisions.
var Decisions = []string{Approve, Reject, Defer}

// Decision is one recorded decision.
type Decision struct {
	ID         int64
	UnlockID   string
	PGAID      string
	Tier       string
	Decision   string
	By         string
	At         time.Time // when the decision was taken (UTC)
	Note       string
	RecordedAt time.Time // when it was written (UTC)
}

// Request is a decision to record.
type Request struct {
	UnlockID string
	Decision string
	By       string
	Note     string
	At       time.Time // zero: now
}

// ErrUnknownUnlock means the unlock id is not in tier_unlocks (as of the last transform).
var ErrUnknownUnlock = errors.New("unknown unlock id")

// ErrAlreadyApproved means an approve was refused: the decision in force is already an approve.
var ErrAlreadyApproved = errors.New("already approved")

// ErrNotReady means an approve was refused: the PGA has no valid marketing contact.
var ErrNotReady = errors.New("not ready for activation")

// Decide validates and appends one decision. An approve needs the unlock to be ready
// (a valid marketing contact, see tier_unlocks.readiness).
func Decide(ctx context.Context, s *duckstore.Store, req Request) (Decision, error) {
	d := Decision{
		UnlockID: strings.TrimSpace(req.UnlockID),
		Decision: strings.ToLower(strings.TrimSpace(req.Decision)),
		By:       strings.TrimSpace(req.By),
		Note:     strings.TrimSpace(req.Note),
		At:       req.At.UTC().Truncate(time.Microsecond), // the store keeps microseconds
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	if req.At.IsZero() {
		d.At = now
	}
	d.RecordedAt = now
	var problems []string
	if !valid(d.Decision) {
		problems = append(problems, fmt.Sprintf("decision %q: want %s", req.Decision, strings.Join(Decisions, ", ")))
	}
	if d.By == "" {
		problems = append(problems, "who decided is missing (--by)")
	}
	if d.UnlockID == "" {
		problems = append(problems, "unlock id is missing")
	}
	if len(problems) > 0 {
		return d, errors.New(strings.Join(problems, "; "))
	}
	err := s.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		var ready bool
		var readiness string
		err := tx.QueryRow(ctx, `SELECT pga_id, tier, ready, readiness FROM tier_unlocks WHERE unlock_id = ?`, d.UnlockID).
			Scan(&d.PGAID, &d.Tier, &ready, &readiness)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w %q (see `insights review list`; unlocks come from the last `insights transform`)", ErrUnknownUnlock, d.UnlockID)
		}
		if err != nil {
			return err
		}
		if d.Decision == Approve {
			// A second approve would record a duplicate activation; show the one in force instead.
			q, err := sqlfiles.Report("tiers_latest_decision")
			if err != nil {
				return err
			}
			var prev Decision
			err = tx.QueryRow(ctx, q, d.UnlockID).Scan(&prev.ID, &prev.Decision, &prev.By, &prev.At, &prev.Note)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("latest decision on %s: %w", d.UnlockID, err)
			}
			if err == nil && prev.Decision == Approve {
				note := ""
				if prev.Note != "" {
					note = fmt.Sprintf(" (%q)", prev.Note)
				}
				return fmt.Errorf("cannot approve %s: %w by %s on %s, decision %d%s; nothing recorded",
					d.UnlockID, ErrAlreadyApproved, prev.By, prev.At.UTC().Format("2006-01-02 15:04:05 UTC"), prev.ID, note)
			}
			// Ready as of the last transform, or now: a contact assigned in the
			// workspace since the last run counts at once.
			if !ready {
				if _, missing, err := Readiness(ctx, tx, d.PGAID); err != nil {
					return err
				} else if len(missing) > 0 {
					return fmt.Errorf("cannot approve %s: %w (%s)", d.UnlockID, ErrNotReady, readiness)
				}
			}
		}
		return tx.QueryRow(ctx, `INSERT INTO review_decisions
				(unlock_id, pga_id, tier, decision, decided_by, decided_at, note, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING decision_id`,
			d.UnlockID, d.PGAID, d.Tier, d.Decision, d.By, d.At, d.Note, d.RecordedAt).Scan(&d.ID)
	})
	return d, err
}

func valid(decision string) bool {
	for _, v := range Decisions {
		if v == decision {
			return true
		}
	}
	return false
}

// History returns the decisions of one unlock ("" = every unlock), oldest first.
func History(ctx context.Context, s *duckstore.Store, unlockID string) ([]Decision, error) {
	q, err := sqlfiles.Report("tiers_decision_history")
	if err != nil {
		return nil, err
	}
	rows, err := s.Query(ctx, q, unlockID, unlockID)
	if err != nil {
		return nil, fmt.Errorf("review history: %w", err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		if err := rows.Scan(&d.ID, &d.UnlockID, &d.PGAID, &d.Tier, &d.Decision, &d.By, &d.At, &d.Note, &d.RecordedAt); err != nil {
			return nil, fmt.Errorf("review history: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Latest returns the decision in force for an unlock; ok is false when there is none.
func Latest(ctx context.Context, s *duckstore.Store, unlockID string) (d Decision, ok bool, err error) {
	h, err := History(ctx, s, unlockID)
	if err != nil || len(h) == 0 || unlockID == "" {
		return Decision{}, false, err
	}
	return h[len(h)-1], true, nil
}
