package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeIngestLanding(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "landing")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runIngestCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Execute(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestIngestCommandExitCodes(t *testing.T) {
	const fx = "Currency,Month,RateToUsd\nEUR,2025-06-01,1.08\nXYZ,2025-06-01,1\n"
	t.Run("all files readable: 0, with the summary on stdout", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "i.duckdb")
		dir := writeIngestLanding(t, map[string]string{"fx.csv": fx})
		code, out, errOut := runIngestCLI(t, "--db", db, "ingest", "--quarantine", filepath.Join(t.TempDir(), "q"), dir)
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
		for _, want := range []string{"fx_rates", "rows loaded 1, rejected 1", "unknown currency"} {
			if !strings.Contains(out, want) {
				t.Errorf("summary lacks %q:\n%s", want, out)
			}
		}
		code, out, _ = runIngestCLI(t, "--db", db, "ingest", "--quarantine", filepath.Join(t.TempDir(), "q"), dir)
		if code != 0 || !strings.Contains(out, "already ingested") {
			t.Errorf("second run: exit %d\n%s", code, out)
		}
	})
	t.Run("an unreadable file: 2, quarantined, the rest loaded", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "i.duckdb")
		q := filepath.Join(t.TempDir(), "q")
		dir := writeIngestLanding(t, map[string]string{"fx.csv": fx, "usage.parquet": "PAR1 not really parquet"})
		code, out, errOut := runIngestCLI(t, "--db", db, "ingest", "--quarantine", q, dir)
		if code != 2 {
			t.Fatalf("exit %d, want 2\n%s\n%s", code, out, errOut)
		}
		if _, err := os.Stat(filepath.Join(q, "usage.parquet")); err != nil {
			t.Errorf("not quarantined: %v", err)
		}
		if !strings.Contains(errOut, "1 file(s) could not be read") || !strings.Contains(out, "rows loaded 1") {
			t.Errorf("stdout:\n%s\nstderr:\n%s", out, errOut)
		}
	})
	t.Run("quarantine folder from the configuration", func(t *testing.T) {
		q := filepath.Join(t.TempDir(), "from-config")
		cfg := filepath.Join(t.TempDir(), "insights.toml")
		if err := os.WriteFile(cfg, []byte("[ingest]\nquarantine = "+tomlString(q)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		dir := writeIngestLanding(t, map[string]string{"bad.csv": "foo,bar\n1,2\n"})
		code, _, errOut := runIngestCLI(t, "--config", cfg, "--db", filepath.Join(t.TempDir(), "i.duckdb"), "ingest", dir)
		if code != 2 {
			t.Fatalf("exit %d\n%s", code, errOut)
		}
		if _, err := os.Stat(filepath.Join(q, "bad.csv")); err != nil {
			t.Errorf("not in the configured quarantine: %v", err)
		}
	})
	t.Run("usage errors: 1", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "i.duckdb")
		dir := writeIngestLanding(t, map[string]string{"fx.csv": fx})
		if code, _, errOut := runIngestCLI(t, "--db", db, "ingest", "--dataset", "prices", dir); code != 1 || !strings.Contains(errOut, `unknown dataset "prices"`) {
			t.Errorf("unknown dataset: exit %d: %s", code, errOut)
		}
		if code, _, errOut := runIngestCLI(t, "--db", db, "ingest", filepath.Join(dir, "missing.csv")); code != 1 || !strings.Contains(errOut, "missing.csv") {
			t.Errorf("missing path: exit %d: %s", code, errOut)
		}
	})
}

func tomlString(s string) string { return `'` + s + `'` }
