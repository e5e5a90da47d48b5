package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// attributionDB loads the attribution package's fixture into a fresh database.
func attributionDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "insights.duckdb")
	ctx := context.Background()
	s, err := duckstore.Open(ctx, duckstore.Config{Path: path, Threads: 1, MemoryLimit: "1GB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fixture, err := os.ReadFile(filepath.Join("..", "..", "..", "transform", "attribution", "testdata", "fixture.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Exec(ctx, string(fixture)); err != nil {
		t.Fatal(err)
	}
	return path
}

func attrRun(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Execute(context.Background(), append([]string{"--threads", "1", "--memory-limit", "1GB", "--log-level", "error"}, args...), &out, &errOut)
	if code != 0 {
		t.Fatalf("insights %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
	return out.String()
}

func TestAttributionCommands(t *testing.T) {
	db := attributionDB(t)
	attrRun(t, "--db", db, "transform", "--as-of", "2025-06-30")

	summary := attrRun(t, "--db", db, "attribution", "summary", "--format", "csv")
	for _, want := range []string{
		"deployments,total,22\n",
		"deployments,with status attributed,\"15 deployments, 16 IDs\"\n",
		"deployments,with status opted_out,\"2 deployments, 2 IDs\"\n",
		"deployments,with several registered IDs (multiple),1\n",
		"tracking IDs,issues: malformed,2\n",
		"usage,usage rows attributed / not opted out,8 / 10\n",
		"usage,attributed charges USD (a shared row once per ID),49.68\n",
		"campaigns,clicks with campaign invalid,1 (1 campaigns)\n",
		"campaigns,top campaign by page visits,spring: 3\n",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}

	// Money reads with its currency's decimals, never the six of the column's scale.
	s, err := duckstore.Open(context.Background(), duckstore.Config{Path: db, Threads: 1, MemoryLimit: "1GB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Exec(context.Background(), `INSERT INTO attr_usage_monthly (month, partner_id, tracking_id, usage_rows, shared_usage_rows, subscriptions,
			payout_currency_pc, estimated_extended_charge_pc)
		SELECT DATE '2025-06-01', 'p-x', 'pid-x', 1, 0, 1, c, v
		FROM (VALUES ('EUR', 23840.8), ('JPY', 1200.4), ('KWD', 12.3456)) t(c, v)`); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	summary = attrRun(t, "--db", db, "attribution", "summary", "--format", "csv")
	for _, want := range []string{
		"usage,attributed charges EUR (a shared row once per ID),23841.80\n", // the fixture has EUR 1.00 too
		"usage,attributed charges JPY (a shared row once per ID),1200\n",
		"usage,attributed charges KWD (a shared row once per ID),12.346\n",
		"usage,attributed charges USD (a shared row once per ID),49.68\n",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}

	var issues []map[string]any
	out := attrRun(t, "--db", db, "attribution", "issues", "--format", "json")
	if err := json.Unmarshal([]byte(out), &issues); err != nil {
		t.Fatalf("issues json: %v\n%s", err, out)
	}
	if len(issues) != 4 || issues[0]["status"] != "malformed" || issues[3]["tracking_id"] != "pid-Contoso-MyOffer-PartnerCenter" {
		t.Errorf("issues = %v", issues)
	}
	csv := attrRun(t, "--db", db, "attribution", "issues", "--status", "unregistered", "--limit", "1", "--format", "csv")
	if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[0], "status,tracking_id,") {
		t.Errorf("issues csv:\n%s", csv)
	}
}
