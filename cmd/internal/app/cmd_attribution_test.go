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
		"usage,attributed charges USD (a shared row once per ID),49.680000\n",
		"campaigns,clicks with campaign invalid,1 (1 campaigns)\n",
		"campaigns,top campaign by page visits,spring: 3\n",
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
