package rewards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// OpenActivation is one activation with its contact due date and, once reached, when.
type OpenActivation struct {
	ID          int64
	PGAID       string
	Company     string
	UnlockID    string
	Tier        string
	Benefit     string
	ActivatedBy string
	ActivatedAt time.Time
	CarriedOver bool
	Contact     string // the address the instructions went to
	DueOn       time.Time
	ContactedAt *time.Time
	DaysOverdue int // past DueOn as of the date asked (0 when not yet due)
}

// Overdue reports whether it is past its due date without contact.
func (a OpenActivation) Overdue() bool { return a.ContactedAt == nil && a.DaysOverdue > 0 }

func activations(ctx context.Context, q duckstore.Querier, asOf time.Time) ([]OpenActivation, error) {
	var out []OpenActivation
	day := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	err := duckstore.QueryNamed(ctx, q, "rewards/activations", func(rows *sql.Rows) error {
		var a OpenActivation
		var asOfDay time.Time
		if err := rows.Scan(&a.ID, &a.PGAID, &a.Company, &a.UnlockID, &a.Tier, &a.Benefit, &a.ActivatedBy, &a.ActivatedAt,
			&a.CarriedOver, &a.Contact, &a.DueOn, &a.ContactedAt, &asOfDay); err != nil {
			return err
		}
		if d := int(day.Sub(a.DueOn).Hours() / 24); d > 0 {
			a.DaysOverdue = d
		}
		out = append(out, a)
		return nil
	}, day)
	if err != nil {
		return nil, fmt.Errorf("activations: %w", err)
	}
	return out, nil
}

// ToContact is the rewards team's queue as of a date: activations not contacted yet,
// overdue first (most overdue first), then by due date.
func ToContact(ctx context.Context, q duckstore.Querier, asOf time.Time) ([]OpenActivation, error) {
	all, err := activations(ctx, q, asOf)
	if err != nil {
		return nil, err
	}
	var out []OpenActivation
	for _, a := range all {
		if a.ContactedAt == nil {
			out = append(out, a)
		}
	}
	// Stable: already in activation order, so the oldest (most overdue) comes first;
	// the due date is the activation's + 7 days for every row.
	return out, nil
}

// SLAActivation is the 7-day list as of a date: activations not contacted within 7 days of
// the partner's activation (overdue, or contacted late). A contact on day 7 is on time.
type SLAActivation struct {
	OpenActivation
	Status        string // overdue, late
	DaysToContact int
}

// SLAActivations computes the 7-day list as of a date, most overdue first.
func SLAActivations(ctx context.Context, q duckstore.Querier, asOf time.Time) ([]SLAActivation, error) {
	all, err := activations(ctx, q, asOf)
	if err != nil {
		return nil, err
	}
	day := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	var out []SLAActivation
	for _, a := range all {
		act := time.Date(a.ActivatedAt.Year(), a.ActivatedAt.Month(), a.ActivatedAt.Day(), 0, 0, 0, 0, time.UTC)
		switch {
		case a.ContactedAt == nil && day.After(a.DueOn):
			out = append(out, SLAActivation{a, "overdue", int(day.Sub(act).Hours() / 24)})
		case a.ContactedAt != nil:
			c := time.Date(a.ContactedAt.Year(), a.ContactedAt.Month(), a.ContactedAt.Day(), 0, 0, 0, 0, time.UTC)
			if c.After(a.DueOn) {
				out = append(out, SLAActivation{a, "late", int(c.Sub(act).Hours() / 24)})
			}
		}
	}
	for i := 1; i < len(out); i++ { // most days first, then activation id: a total order
		for j := i; j > 0 && (out[j].DaysToContact > out[j-1].DaysToContact ||
			(out[j].DaysToContact == out[j-1].DaysToContact && out[j].ID < out[j-1].ID)); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// SLAOffers is the 4-week list as of a date: offers live more than 28 days with no
// contact of their company, with the offer's owner.
func SLAOffers(ctx context.Context, s *duckstore.Store, asOf time.Time) (duckstore.Table, error) {
	return s.TableNamed(ctx, "rewards/sla_offers", asOf)
}

// ContactRecord is a contact to record: the rewards team reached the company about an
// activation (closing its clock) or, with ActivationID 0, in general.
type ContactRecord struct {
	ActivationID int64
	PGAID        string // needed when ActivationID is 0
	By           string
	At           time.Time // zero: now
	Note         string
}

// ErrUnknownActivation means no activation has the id.
var ErrUnknownActivation = errors.New("unknown activation")

// RecordContact appends a recorded contact and returns its id.
func RecordContact(ctx context.Context, s *duckstore.Store, in ContactRecord) (int64, error) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	at := in.At.UTC().Truncate(time.Microsecond)
	if in.At.IsZero() {
		at = now
	}
	fe := FieldErrors{}
	if strings.TrimSpace(in.By) == "" {
		fe["by"] = "who made the contact is missing"
	}
	if at.After(now.Add(time.Minute)) {
		fe["at"] = "a contact cannot be in the future"
	}
	if in.ActivationID == 0 && strings.TrimSpace(in.PGAID) == "" {
		fe["activation"] = "say which activation (or company) was contacted"
	}
	if len(fe) > 0 {
		return 0, fe
	}
	var id int64
	err := s.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		var act any
		pga := strings.TrimSpace(in.PGAID)
		if in.ActivationID != 0 {
			var benefit string
			var activated time.Time
			err := duckstore.QueryRowNamed(ctx, tx, "rewards/activation", []any{in.ActivationID}, new(int64), &pga, &benefit, &activated)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w %d", ErrUnknownActivation, in.ActivationID)
			}
			if err != nil {
				return err
			}
			if at.Before(activated) {
				return FieldErrors{"at": fmt.Sprintf("the contact is before the activation (%s)", activated.UTC().Format("2006-01-02 15:04 UTC"))}
			}
			act = in.ActivationID
		} else if _, known, err := Company(ctx, tx, pga); err != nil {
			return err
		} else if !known {
			return fmt.Errorf("%w %q", ErrUnknownPGA, pga)
		}
		return duckstore.QueryRowNamed(ctx, tx, "rewards/contact_record_insert",
			[]any{pga, act, strings.TrimSpace(in.By), at, strings.TrimSpace(in.Note), now}, &id)
	})
	return id, err
}
