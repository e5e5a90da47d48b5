package app

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/mail/mailpit"
)

// TestServeKilledBetweenQueueingAndSending: `insights serve` runs with [smtp]; the mail
// server is down when a benefit is activated (the command goes through the service),
// so the message stays queued; the service is killed with SIGKILL; the mail server
// comes back and the service restarts: the message arrives once, and a further
// restart does not send it again.
func TestServeKilledBetweenQueueingAndSending(t *testing.T) {
	if testing.Short() {
		t.Skip("starts service processes")
	}
	smtp := mailpit.Start(t)
	smtp.Stop()
	dir := serviceFixture(t, tiersDB(t))
	cfg, db := filepath.Join(dir, "insights.toml"), filepath.Join(dir, "insights.duckdb")
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "[smtp]\nhost = \"127.0.0.1\"\nport = %d\nfrom = \"rewards@insights.example\"\nstarttls = false\npoll = \"200ms\"\nbackoff = \"1s\"\n", smtp.SMTPPort)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := Execute(context.Background(), append([]string{"--config", cfg, "--db", db, "--log-level", "warn"}, args...), &out, &errOut); code != 0 {
			t.Fatalf("insights %v: exit %d\n%s%s", args, code, out.String(), errOut.String())
		}
		return out.String()
	}
	cli("transform", "--as-of", "2026-02-28")
	cli("review", "decide", "G:tier-1", "approve", "--by", "rita")

	srv := startServe(t, cfg, db)
	cli("benefits", "activate", "G", "G:tier-1:1:Transact:Go-to-market consultation", "--by", "ops")
	waitFor(t, "a failed attempt", func() bool { return strings.Contains(cli("outbox", "--format", "csv"), ",queued,1,") })
	if err := srv.cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	<-srv.done
	srv.done <- nil

	smtp.Restart()
	srv = startServe(t, cfg, db)
	waitFor(t, "the message at the mail server", func() bool { return len(smtp.Messages()) == 1 })
	srv.stop(t)
	srv = startServe(t, cfg, db)
	time.Sleep(2 * time.Second) // several polls of the outbox
	if out := cli("outbox", "--format", "csv"); !strings.Contains(out, ",sent,2,") {
		t.Errorf("outbox after the restarts:\n%s", out)
	}
	srv.stop(t)
	if msgs := smtp.Messages(); len(msgs) != 1 || msgs[0].To[0].Address != "mia@g.example" {
		t.Fatalf("the mail server received %d messages, want 1 to mia@g.example", len(msgs))
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
