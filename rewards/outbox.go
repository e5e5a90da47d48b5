package rewards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// The outbox: every message is written in the transaction of the action that causes
// it, so an action is never recorded without its message nor a message queued for an
// action that was not. A sender (serve/mail) claims one message at a time, sends it,
// and marks it sent, retried later or failed. The claim and each mark are single
// conditional updates, so a message is handed out once; one that stays claimed longer
// than the lease belonged to a sender that died while sending and is taken again (the
// only window in which a server may receive it twice: after it accepted the message and
// before the mark; the Message-ID header stays the same so mail systems can tell).

// Outbound is a message to send.
type Outbound struct {
	ID       int64
	Kind     string
	PGAID    string
	To       string
	ToName   string
	Language string
	Subject  string
	Text     string
	HTML     string
	HeaderID string // the Message-ID header
	Status   string
	Attempts int
	QueuedAt time.Time
}

// Outbox lists every message, unsent first.
func Outbox(ctx context.Context, s *duckstore.Store) (duckstore.Table, error) {
	return s.TableNamed(ctx, "rewards/outbox_list")
}

// Claim takes the next message due at now (or claimed before now-lease) for sending;
// ok is false when there is none.
func Claim(ctx context.Context, s *duckstore.Store, now time.Time, lease time.Duration) (m Outbound, ok bool, err error) {
	now = now.UTC()
	err = s.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		var id int64
		var status string
		var claimed *time.Time
		err := duckstore.QueryRowNamed(ctx, tx, "rewards/outbox_next", []any{now, now.Add(-lease)}, &id, &status, &claimed)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		var c any
		if claimed != nil {
			c = *claimed
		}
		n, err := duckstore.ExecNamed(ctx, tx, "rewards/outbox_claim", now, id, status, c)
		if err != nil || n != 1 {
			return err
		}
		err = duckstore.QueryRowNamed(ctx, tx, "rewards/outbox_message", []any{id}, &m.ID, &m.Kind, &m.PGAID, &m.To,
			&m.ToName, &m.Language, &m.Subject, &m.Text, &m.HTML, &m.HeaderID, &m.Status, &m.Attempts, &m.QueuedAt)
		ok = err == nil
		return err
	})
	if err != nil {
		return Outbound{}, false, fmt.Errorf("claim the next message: %w", err)
	}
	return m, ok, nil
}

// MarkSent records that the server accepted a claimed message.
func MarkSent(ctx context.Context, s *duckstore.Store, id int64, at time.Time) error {
	return mark(ctx, s, "rewards/outbox_sent", id, at.UTC(), id)
}

// MarkRetry puts a claimed message back in the queue, due again at next.
func MarkRetry(ctx context.Context, s *duckstore.Store, id int64, next time.Time, reason string) error {
	return mark(ctx, s, "rewards/outbox_retry", id, next.UTC(), reason, id)
}

// MarkFailed records a permanent refusal: the message is never retried.
func MarkFailed(ctx context.Context, s *duckstore.Store, id int64, reason string) error {
	return mark(ctx, s, "rewards/outbox_failed", id, reason, id)
}

func mark(ctx context.Context, s *duckstore.Store, name string, id int64, args ...any) error {
	n, err := duckstore.ExecNamed(ctx, s, name, args...)
	if err != nil {
		return fmt.Errorf("message %d: %w", id, err)
	}
	if n != 1 {
		return fmt.Errorf("message %d: not claimed by this sender any more", id)
	}
	return nil
}
