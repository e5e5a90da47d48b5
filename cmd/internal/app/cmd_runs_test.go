package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// TestRunsSayWhatTheTransformRecomputed: `insights runs` shows, for each run of
// the transform (job transform or batch), what the transform recomputed and
// why; `insights runs --transform` lists every transform run, by hand too; and
// the run's log line says the same as the history.
func TestRunsSayWhatTheTransformRecomputed(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end transform runs in -short mode")
	}
	dir := t.TempDir()
	landing := filepath.Join(dir, "landing")
	db := filepath.Join(dir, "insights.duckdb")
	mustRun(t, "gen", "--out", landing, "--scale", "1", "--seed", "3", "--months", "2", "--end", "2026-10")
	mustRun(t, "--db", db, "ingest", "--quarantine", filepath.Join(dir, "quarantine"), landing)
	const asOf = "2026-10-31"
	mustRun(t, "--db", db, "run", "transform", "--as-of", asOf)

	// A late usage file for September: one month of usage changed, in one file.
	late := filepath.Join(dir, "deliveries", "usage_late.csv")
	if err := os.MkdirAll(filepath.Dir(late), 0o755); err != nil {
		t.Fatal(err)
	}
	withStore(t, db, func(s *duckstore.Store) {
		q := fmt.Sprintf(`COPY (SELECT * EXCLUDE (_file_id) REPLACE (reference_id || '-late' AS reference_id)
			FROM usage WHERE usage_date = DATE '2026-09-10' AND reference_id IS NOT NULL) TO %s (HEADER, DELIMITER ',')`, duckstore.Literal(late))
		if _, err := s.Exec(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	})
	mustRun(t, "--db", db, "ingest", "--quarantine", filepath.Join(dir, "quarantine"), late)

	// The batch's transform, with its log at info level.
	var out, logs bytes.Buffer
	if code := Execute(context.Background(), []string{"--threads", "1", "--memory-limit", "1GB", "--log-level", "info",
		"--db", db, "run", "transform", "--as-of", asOf}, &out, &logs); code != 0 {
		t.Fatalf("run transform: exit %d\n%s%s", code, out.String(), logs.String())
	}
	mustRun(t, "--db", db, "transform", "--full", "--as-of", asOf) // by hand: not a job run

	var jobs []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "runs", "--format", "json")), &jobs); err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 2 {
		t.Fatalf("%d job runs, want the two runs of job transform: %v", len(jobs), jobs)
	}
	incremental := jobs[0]["recomputed"].(string)
	tests := []struct {
		name, got string
		want      []string
	}{
		{"the first run: full, and why", jobs[1]["recomputed"].(string),
			[]string{"full: ", "Full run: no earlier run of the incremental transform"}},
		{"the run after the late file", incremental,
			[]string{"incremental: ", "changed: usage 2026-09: 1 file", "resolved_usage 2026-09", "attr_usage(_monthly) 2026-09"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, w := range tc.want {
				if !strings.Contains(tc.got, w) {
					t.Errorf("recomputed %q lacks %q", tc.got, w)
				}
			}
		})
	}
	t.Run("the run's log line says the same", func(t *testing.T) {
		var line string
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "transform finished") {
				line = l
			}
		}
		text := strings.TrimPrefix(incremental, "incremental: ")
		if !strings.Contains(line, "mode=incremental") || !strings.Contains(line, fmt.Sprintf("recomputed=%q", text)) {
			t.Errorf("log line %q does not say %q", line, text)
		}
	})
	t.Run("every transform run, by hand too", func(t *testing.T) {
		var runs []map[string]any
		if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "runs", "--transform", "--format", "json")), &runs); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range runs {
			got = append(got, fmt.Sprintf("%s %s", r["status"], r["mode"]))
		}
		if strings.Join(got, ",") != "succeeded full,succeeded incremental,succeeded full" {
			t.Fatalf("transform runs (newest first): %v", got)
		}
		if r := runs[0]["recomputed"].(string); !strings.Contains(r, "Full run: asked for (--full)") {
			t.Errorf("the --full run says %q", r)
		}
		if r := runs[1]["recomputed"].(string); "incremental: "+r != incremental {
			t.Errorf("the incremental run says %q in --transform, %q in the job history", r, incremental)
		}
	})
	t.Run("--transform with --job", func(t *testing.T) {
		if _, errOut, code := run(t, "--db", db, "runs", "--transform", "--job", "batch"); code == 0 || !strings.Contains(errOut, "--job") {
			t.Errorf("exit %d: %s", code, errOut)
		}
	})
}
