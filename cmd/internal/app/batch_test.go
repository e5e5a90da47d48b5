package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBatchEndToEnd runs what `make demo` runs — gen, then the whole batch
// through `insights run` — and checks that the outputs exist, are recorded,
// and that running the batch again for the same inputs changes nothing.
func TestBatchEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end batch in -short mode")
	}
	dir := t.TempDir()
	landing := filepath.Join(dir, "landing")
	out := filepath.Join(dir, "out")
	cfg := filepath.Join(dir, "insights.toml")
	db := filepath.Join(dir, "insights.duckdb")
	body := fmt.Sprintf("[store]\npath = %q\n[ingest]\nlanding = %q\nquarantine = %q\n[reports]\nout = %q\n[schedules]\nretries = 0\n",
		db, landing, filepath.Join(dir, "quarantine"), out)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}

	genOut := mustRun(t, "gen", "--out", landing, "--scale", "1", "--seed", "3")
	for _, f := range []string{"orders.csv", "usage.csv", "clicks.jsonl", "fx_rates.tsv", "tracking_ids.csv"} {
		if !strings.Contains(genOut, f) {
			t.Errorf("gen summary does not list %s:\n%s", f, genOut)
		}
	}

	first := mustRun(t, "--config", cfg, "run", "batch", "--as-of", "2026-10-31")
	if !strings.Contains(first, "batch as of 2026-10-31 succeeded") {
		t.Fatalf("run batch said:\n%s", first)
	}
	before := hashOutputs(t, out, ".csv", ".parquet")
	if len(before) == 0 {
		t.Fatal("the batch wrote no CSV or Parquet files")
	}

	partners := mustRun(t, "--config", cfg, "sql", "--format", "csv", "SELECT count(*) FROM partners")
	workbooks := mustRun(t, "--config", cfg, "sql", "--format", "csv",
		"SELECT count(*) FILTER (audience = 'partner'), count(*) FILTER (audience = 'rewards') FROM report_files WHERE format = 'xlsx'")
	if p, w := lastLine(partners), lastLine(workbooks); w != p+",1" {
		t.Fatalf("xlsx workbooks (partner,rewards) = %s, want one per partner (%s) and one review pack", w, p)
	}
	for rel := range hashOutputs(t, out, ".xlsx") {
		if _, err := os.Stat(filepath.Join(out, rel)); err != nil {
			t.Fatal(err)
		}
	}

	second := mustRun(t, "--config", cfg, "run", "batch", "--as-of", "2026-10-31")
	if !strings.Contains(second, "succeeded") {
		t.Fatalf("second run said:\n%s", second)
	}
	loaded := mustRun(t, "--config", cfg, "sql", "--format", "csv",
		"SELECT row_count FROM job_runs WHERE job = 'batch' ORDER BY run_id")
	after := hashOutputs(t, out, ".csv", ".parquet")
	if len(after) != len(before) {
		t.Fatalf("second run wrote %d files, first %d", len(after), len(before))
	}
	for rel, sum := range before {
		if after[rel] != sum {
			t.Errorf("%s changed on a re-run of the same inputs", rel)
		}
	}
	runs := mustRun(t, "--config", cfg, "runs", "--job", "batch", "--format", "csv")
	if strings.Count(runs, "succeeded") != 2 {
		t.Errorf("runs lists %d succeeded batch runs, want 2:\n%s\n%s", strings.Count(runs, "succeeded"), runs, loaded)
	}
}

// hashOutputs maps every file under root with one of exts to its SHA-256.
func hashOutputs(t *testing.T, root string, exts ...string) map[string]string {
	t.Helper()
	sums := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		for _, ext := range exts {
			if strings.HasSuffix(path, ext) {
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				h := sha256.Sum256(b)
				rel, _ := filepath.Rel(root, path)
				sums[rel] = hex.EncodeToString(h[:])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
