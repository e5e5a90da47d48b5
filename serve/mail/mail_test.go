package mail

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/serve/mail/mailpit"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// company writes a company (PGA1) whose Tier 1 is approved, with two sales and
// marketing benefits and a marketing contact (email, language) into a database file.
func company(t *testing.T, path, email, lang string) *duckstore.Store {
	t.Helper()
	s := open(t, path)
	testkit.Exec(t, s, `INSERT INTO partners VALUES ('P1', 'PGA1', 'Contoso Apps', 'Contoso Ltd', 'accounts@contoso.example', 1)`)
	testkit.Exec(t, s, `INSERT INTO tier_benefit_catalog (listing_type, tier, tier_rank, benefit, expires_after_months, position, category) VALUES
		('Transact', 'Tier 1', 1, 'Go-to-market consultation', 0, 1, 'sales-marketing'),
		('Transact', 'Tier 1', 1, 'Co-marketing campaign support', 0, 2, 'sales-marketing')`)
	testkit.Exec(t, s, `INSERT INTO tier_unlocks_data VALUES ('PGA1:tier-1', 'PGA1', 'Tier 1', 1, 25000, DATE '2026-01-31', 30000, 'Transact', '', 1, DATE '2026-01-31', DATE '2027-01-31')`)
	testkit.Exec(t, s, `INSERT INTO tier_benefit_grants VALUES
		('PGA1:tier-1', 'PGA1', 'Tier 1', 1, DATE '2026-01-31', DATE '2027-01-30', 'Transact', 'Go-to-market consultation', NULL),
		('PGA1:tier-1', 'PGA1', 'Tier 1', 1, DATE '2026-01-31', DATE '2027-01-30', 'Transact', 'Co-marketing campaign support', NULL)`)
	testkit.Exec(t, s, `INSERT INTO review_decisions (unlock_id, pga_id, tier, decision, decided_by, decided_at, note, recorded_at)
		VALUES ('PGA1:tier-1', 'PGA1', 'Tier 1', 'approve', 'Dana', TIMESTAMP '2026-02-01 09:00:00', '', TIMESTAMP '2026-02-01 09:00:00')`)
	if _, err := rewards.AssignContact(context.Background(), s, rewards.ContactInput{PGAID: "PGA1", Name: "Wei Zhang", Email: email,
		Phone: "+86 10 6552 9988", Language: lang, By: "admin", At: time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return s
}

func open(t *testing.T, path string) *duckstore.Store {
	t.Helper()
	s, err := duckstore.Open(context.Background(), duckstore.Config{Path: path, Threads: 1, MemoryLimit: "256MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var at = time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)

func activate(t *testing.T, s *duckstore.Store, benefit string) rewards.Activation {
	t.Helper()
	a, err := rewards.Activate(context.Background(), s, rewards.ActivateInput{PGAID: "PGA1",
		Key: "PGA1:tier-1:1:Transact:" + benefit, By: "admin", At: at})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func sender(s *duckstore.Store, srv *mailpit.Server) *Sender {
	return New(Config{Host: "127.0.0.1", Port: srv.SMTPPort, From: "rewards@insights.example", Backoff: time.Minute, Timeout: 5 * time.Second}, s, nil)
}

func outbox(t *testing.T, s *duckstore.Store) []string {
	t.Helper()
	return testkit.RowsNull(t, s, "", `SELECT message_id, status, attempts, coalesce(last_error <> '', false) FROM mail_outbox ORDER BY message_id`)
}

func TestMessageArrivesInTheContactsLanguage(t *testing.T) {
	srv := mailpit.Start(t)
	for _, tc := range []struct {
		lang, subject, text string
	}{
		{"zh-Hans", "市场奖励：Go-to-market consultation 已激活", "2026年2月10日"},
		{"fr", "Récompenses de la Place de marché\u00a0: Go-to-market consultation est activé", "10 février 2026"},
		{"en", "Marketplace Rewards: Go-to-market consultation is activated", "10 February 2026"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			s := company(t, filepath.Join(t.TempDir(), "db.duckdb"), "wei."+tc.lang+"@contoso.example", tc.lang)
			defer s.Close()
			activate(t, s, "Go-to-market consultation")
			n, err := sender(s, srv).Drain(context.Background())
			if err != nil || n != 1 {
				t.Fatalf("drain: %d %v", n, err)
			}
			var got *mailpit.Message
			for _, m := range srv.Messages() {
				if len(m.To) == 1 && m.To[0].Address == "wei."+tc.lang+"@contoso.example" {
					got = &m
				}
			}
			if got == nil {
				t.Fatal("the message did not arrive")
			}
			if got.Subject != tc.subject || !strings.Contains(got.Text, tc.text) || !strings.Contains(got.HTML, `lang="`+tc.lang+`"`) ||
				!strings.Contains(got.HTML, tc.text) || got.Headers["Content-Language"][0] != tc.lang {
				t.Errorf("message = %q\n%s\n%s\n%v", got.Subject, got.Text, got.HTML, got.Headers)
			}
		})
	}
}

// The SMTP server is down during an activation: the action is recorded, the
// message retried with back-off, and sent once when the server is back.
func TestSMTPDownDuringActivation(t *testing.T) {
	ctx := context.Background()
	srv := mailpit.Start(t)
	s := company(t, filepath.Join(t.TempDir(), "db.duckdb"), "wei@contoso.example", "en")
	defer s.Close()
	srv.Stop()
	a := activate(t, s, "Go-to-market consultation")
	snd := sender(s, srv)
	clock := time.Now()
	snd.now = func() time.Time { return clock }
	if n, err := snd.Drain(ctx); err != nil || n != 0 {
		t.Fatalf("drain with the server down: %d %v", n, err)
	}
	if got := outbox(t, s); strings.Join(got, ";") != "1|queued|1|true" {
		t.Fatalf("outbox after a failed attempt = %v", got)
	}
	if n := testkit.Str(t, s, `SELECT count(*) FROM benefit_activations WHERE activation_id = ?`, a.ID); n != "1" {
		t.Fatal("the activation was not recorded")
	}
	// Not due before the back-off (1 minute): nothing is attempted.
	clock = clock.Add(30 * time.Second)
	if _, err := snd.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := outbox(t, s); strings.Join(got, ";") != "1|queued|1|true" {
		t.Fatalf("retried before its back-off: %v", got)
	}
	srv.Restart()
	clock = clock.Add(time.Minute)
	if n, err := snd.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain with the server back: %d %v", n, err)
	}
	clock = clock.Add(time.Hour)
	if n, err := snd.Drain(ctx); err != nil || n != 0 {
		t.Fatalf("drain again: %d %v", n, err)
	}
	if got := outbox(t, s); strings.Join(got, ";") != "1|sent|2|false" {
		t.Fatalf("outbox = %v", got)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("the server received %d messages, want 1", n)
	}
}

// The process is killed after the activation queued its message and before it was
// sent (or while sending: the claim is left behind): after a restart the message is
// sent once, never twice.
func TestKilledBetweenQueueingAndSending(t *testing.T) {
	ctx := context.Background()
	srv := mailpit.Start(t)
	path := filepath.Join(t.TempDir(), "db.duckdb")
	s := company(t, path, "wei@contoso.example", "fr")
	activate(t, s, "Go-to-market consultation")
	activate(t, s, "Co-marketing campaign support")
	// The first message was claimed by a sender that then died.
	if _, ok, err := rewards.Claim(ctx, s, time.Now(), time.Minute); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if err := s.Close(); err != nil { // the process ends
		t.Fatal(err)
	}
	s = open(t, path) // restart
	defer s.Close()
	snd := sender(s, srv)
	if n, err := snd.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain after the restart: %d %v (the claimed one waits for its lease)", n, err)
	}
	later := time.Now().Add(11 * time.Minute) // past the default 10-minute lease
	snd.now = func() time.Time { return later }
	if n, err := snd.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain after the lease: %d %v", n, err)
	}
	for range 2 { // again, and again after another restart: nothing more
		if n, err := snd.Drain(ctx); err != nil || n != 0 {
			t.Fatalf("drain again: %d %v", n, err)
		}
	}
	if got := outbox(t, s); strings.Join(got, ";") != "1|sent|2|false;2|sent|1|false" {
		t.Fatalf("outbox = %v", got)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 || msgs[0].Subject == msgs[1].Subject {
		t.Fatalf("the server received %d messages, want the two, once each", len(msgs))
	}
}

// A recipient the server refuses for good is marked failed with the reason, and
// never retried.
func TestPermanentRefusalIsMarkedFailed(t *testing.T) {
	ctx := context.Background()
	srv := mailpit.Start(t, "--smtp-allowed-recipients", `@allowed\.example$`)
	s := company(t, filepath.Join(t.TempDir(), "db.duckdb"), "wei@contoso.example", "en")
	defer s.Close()
	activate(t, s, "Go-to-market consultation")
	snd := sender(s, srv)
	if n, err := snd.Drain(ctx); err != nil || n != 0 {
		t.Fatalf("drain: %d %v", n, err)
	}
	reason := testkit.Str(t, s, `SELECT status || ' ' || attempts || ' ' || last_error FROM mail_outbox`)
	if !strings.HasPrefix(reason, "failed 1 ") || !strings.Contains(reason, "550") {
		t.Fatalf("outbox = %s", reason)
	}
	snd.now = func() time.Time { return time.Now().Add(48 * time.Hour) }
	if _, err := snd.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := testkit.Str(t, s, `SELECT attempts FROM mail_outbox`); got != "1" {
		t.Errorf("a failed message was retried: %s attempts", got)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages arrived", n)
	}
}

func TestBackoffDoubles(t *testing.T) {
	s := New(Config{Backoff: time.Minute, MaxBackoff: 10 * time.Minute}, nil, nil)
	var got []time.Duration
	for n := 1; n <= 6; n++ {
		got = append(got, s.backoff(n))
	}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("backoff = %v, want %v", got, want)
		}
	}
}
