package rewards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Technical assistance: a partner admin asks for help in one phase of its project; the
// rewards team moves the request new → in-progress → done, with notes. Both are
// append-only; the latest update is the status.

// Phases a request is about (the program's form).
var Phases = []string{"pre-sales", "design", "deployment", "app-development"}

// Statuses of a request.
var Statuses = []string{"new", "in-progress", "done"}

// MaxDescription is the longest description a request takes, in characters.
const MaxDescription = 4000

// AssistInput is a request to record.
type AssistInput struct {
	PGAID, PartnerID, Phase, OfferID, Description, ContactName, ContactEmail, By string
	At                                                                           time.Time
}

// AssistRequest is one request with its status in force.
type AssistRequest struct {
	ID           int64
	PGAID        string
	Company      string
	Phase        string
	OfferID      string
	Description  string
	ContactName  string
	ContactEmail string
	RequestedBy  string
	RequestedAt  time.Time
	Status       string
	Note         string
	UpdatedBy    string
	UpdatedAt    *time.Time
}

// RequestAssistance validates and records a request.
func RequestAssistance(ctx context.Context, s *duckstore.Store, in AssistInput) (int64, error) {
	at := in.At.UTC().Truncate(time.Microsecond)
	if in.At.IsZero() {
		at = time.Now().UTC().Truncate(time.Microsecond)
	}
	fe := FieldErrors{}
	if !slices.Contains(Phases, in.Phase) {
		fe["phase"] = "choose a phase: " + strings.Join(Phases, ", ")
	}
	d := strings.TrimSpace(in.Description)
	switch n := utf8.RuneCountInString(d); {
	case n == 0:
		fe["description"] = "describe what you need"
	case n > MaxDescription:
		fe["description"] = fmt.Sprintf("at most %d characters (this one has %d)", MaxDescription, n)
	}
	if strings.TrimSpace(in.ContactName) == "" {
		fe["contact_name"] = "who should the team reach?"
	}
	email, err := checkAddress(in.ContactEmail)
	if err != nil {
		fe["contact_email"] = err.Error()
	}
	if strings.TrimSpace(in.By) == "" {
		fe["by"] = "who asks is missing"
	}
	if len(fe) > 0 {
		return 0, fe
	}
	var id int64
	err = s.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		if _, known, err := Company(ctx, tx, in.PGAID); err != nil {
			return err
		} else if !known {
			return fmt.Errorf("%w %q", ErrUnknownPGA, in.PGAID)
		}
		return duckstore.QueryRowNamed(ctx, tx, "rewards/assist_insert", []any{in.PGAID, in.PartnerID, in.Phase,
			strings.TrimSpace(in.OfferID), d, strings.TrimSpace(in.ContactName), email, strings.TrimSpace(in.By), at}, &id)
	})
	return id, err
}

// ErrUnknownRequest means no request has the id.
var ErrUnknownRequest = errors.New("unknown assistance request")

// UpdateAssistance appends a request's new status with a note.
func UpdateAssistance(ctx context.Context, s *duckstore.Store, id int64, status, note, by string) error {
	fe := FieldErrors{}
	if !slices.Contains(Statuses, status) {
		fe["status"] = "choose a status: " + strings.Join(Statuses, ", ")
	}
	if strings.TrimSpace(by) == "" {
		fe["by"] = "who updates is missing"
	}
	if len(fe) > 0 {
		return fe
	}
	return s.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM assist_requests WHERE request_id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w %d", ErrUnknownRequest, id)
		}
		return duckstore.QueryRowNamed(ctx, tx, "rewards/assist_update_insert",
			[]any{id, status, strings.TrimSpace(note), strings.TrimSpace(by), time.Now().UTC().Truncate(time.Microsecond)}, new(int64))
	})
}

// AssistRequests lists requests of a company ("" = all) with a status ("" = all):
// new first, then in progress, then done; oldest first within each.
func AssistRequests(ctx context.Context, q duckstore.Querier, pga, status string) ([]AssistRequest, error) {
	var out []AssistRequest
	err := duckstore.QueryNamed(ctx, q, "rewards/assist_list", func(rows *sql.Rows) error {
		var r AssistRequest
		if err := rows.Scan(&r.ID, &r.PGAID, &r.Company, &r.Phase, &r.OfferID, &r.Description, &r.ContactName,
			&r.ContactEmail, &r.RequestedBy, &r.RequestedAt, &r.Status, &r.Note, &r.UpdatedBy, &r.UpdatedAt); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	}, pga, pga, status, status)
	return out, err
}
