// Package mail sends the rewards outbox (package rewards) through SMTP. Messages
// are written to the outbox in the transaction of the action that causes them;
// the sender claims one at a time, sends it and marks it sent, so an action is
// never lost when the mail server is down and a message is not sent again after
// a restart. A temporary failure (the server unreachable, a 4xx answer) is
// retried with exponential back-off; a permanent refusal (5xx) marks the message
// failed with the server's reason, shown on the desk's outbox page, and is never
// retried. With no [smtp] section no sender runs and the outbox is only kept.
package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Config is the [smtp] section, resolved (the password read from its variable).
type Config struct {
	Host     string
	Port     int
	From     string
	StartTLS bool // STARTTLS required; false: plain SMTP (a relay on the same host, a test server)
	User     string
	Password string
	// Poll is how often the outbox is checked for due messages (default 5s).
	Poll time.Duration
	// Lease is how long a claimed message belongs to its sender; a claim older
	// than that is from a sender that died while sending (default 10m).
	Lease time.Duration
	// Backoff is the first retry delay, doubled per attempt up to MaxBackoff
	// (defaults 30s and 1h). MaxAttempts: a message still failing temporarily
	// after that many attempts is marked failed (default 20).
	Backoff, MaxBackoff time.Duration
	MaxAttempts         int
	Timeout             time.Duration // per SMTP conversation (default 30s)
}

// Sender sends the outbox.
type Sender struct {
	cfg   Config
	store *duckstore.Store
	log   *slog.Logger
	now   func() time.Time
}

// New returns a sender of store's outbox.
func New(cfg Config, store *duckstore.Store, log *slog.Logger) *Sender {
	if cfg.Poll <= 0 {
		cfg.Poll = 5 * time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 10 * time.Minute
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 30 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = time.Hour
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 20
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{cfg: cfg, store: store, log: log, now: time.Now}
}

// Run sends due messages until ctx ends, checking the outbox every Poll.
func (s *Sender) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	for {
		if _, err := s.Drain(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("mail outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Drain sends every message due now; it returns how many it handed to the server.
func (s *Sender) Drain(ctx context.Context) (int, error) {
	sent := 0
	for ctx.Err() == nil {
		m, ok, err := rewards.Claim(ctx, s.store, s.now(), s.cfg.Lease)
		if err != nil || !ok {
			return sent, err
		}
		ok, err = s.deliver(ctx, m)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, ctx.Err()
}

// deliver sends one claimed message and records the outcome; sent is true when
// the server accepted it.
func (s *Sender) deliver(ctx context.Context, m rewards.Outbound) (sent bool, err error) {
	// The outcome is recorded even when ctx ends during the conversation.
	rec := context.WithoutCancel(ctx)
	err = s.send(ctx, m)
	switch {
	case err == nil:
		if err := rewards.MarkSent(rec, s.store, m.ID, s.now()); err != nil {
			return false, err
		}
		s.log.Info("mail sent", "message_id", m.ID, "kind", m.Kind, "to", m.To, "attempts", m.Attempts)
		return true, nil
	case permanent(err):
		s.log.Warn("mail refused for good", "message_id", m.ID, "to", m.To, "err", err)
		return false, rewards.MarkFailed(rec, s.store, m.ID, err.Error())
	case m.Attempts >= s.cfg.MaxAttempts:
		s.log.Warn("mail given up", "message_id", m.ID, "to", m.To, "attempts", m.Attempts, "err", err)
		return false, rewards.MarkFailed(rec, s.store, m.ID, fmt.Sprintf("gave up after %d attempts: %v", m.Attempts, err))
	default:
		next := s.now().Add(s.backoff(m.Attempts))
		s.log.Info("mail deferred", "message_id", m.ID, "to", m.To, "attempts", m.Attempts, "next", next, "err", err)
		return false, rewards.MarkRetry(rec, s.store, m.ID, next, err.Error())
	}
}

// backoff is the delay after the n-th failed attempt: Backoff·2^(n-1), at most MaxBackoff.
func (s *Sender) backoff(n int) time.Duration {
	d := s.cfg.Backoff
	for i := 1; i < n && d < s.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.cfg.MaxBackoff)
}

// errRefusedAddress is a recipient the message cannot be built for: permanent.
var errRefusedAddress = errors.New("address refused")

// permanent reports a failure that retrying cannot fix: a 5xx answer of the
// server, or an address go-mail refuses.
func permanent(err error) bool {
	if errors.Is(err, errRefusedAddress) {
		return true
	}
	var se *gomail.SendError
	return errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500
}

func (s *Sender) send(ctx context.Context, m rewards.Outbound) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("from %q: %w", s.cfg.From, err)
	}
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return fmt.Errorf("%w: %q: %v", errRefusedAddress, m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(trimAngles(m.HeaderID))
	msg.SetDate()
	msg.SetGenHeader(gomail.HeaderContentLang, m.Language)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	if s.cfg.StartTLS {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.cfg.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(s.cfg.User), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client for %s: %w", s.cfg.Host, err)
	}
	cctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if err := c.DialAndSendWithContext(cctx, msg); err != nil {
		return fmt.Errorf("send through %s:%d: %w", s.cfg.Host, s.cfg.Port, err)
	}
	return nil
}

func trimAngles(s string) string {
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		return s[1 : len(s)-1]
	}
	return s
}
