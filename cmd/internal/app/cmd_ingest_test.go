package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/ingest"
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

// TestIngestBadInputThroughTheCLI: the bad-input corpus of the ingest
// package, with a good file, through the command: exit status 2, every bad
// file quarantined with its reason in the summary, the good rows loaded; and
// the limits come from the configuration.
func TestIngestBadInputThroughTheCLI(t *testing.T) {
	files := map[string]string{"fx.csv": "Currency,Month,RateToUsd\nEUR,2025-06-01,1.08\nGBP,2025-06-01,1.27\n"}
	corpus := filepath.Join("..", "..", "..", "ingest", "testdata", "badinput")
	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(corpus, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	files["partners_long_row.csv"] = "PartnerId,PgaId,PartnerName\np-1,100," + strings.Repeat("x", 5000) + "\np-2,200,Short\n"
	dir := writeIngestLanding(t, files)
	cfg := filepath.Join(t.TempDir(), "insights.toml")
	if err := os.WriteFile(cfg, []byte("[ingest]\nmax_row_bytes = 4096\nmax_field_bytes = 1024\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	q := filepath.Join(t.TempDir(), "q")
	code, out, errOut := runIngestCLI(t, "--config", cfg, "--db", filepath.Join(t.TempDir(), "i.duckdb"), "ingest", "--quarantine", q, dir)
	if code != 2 {
		t.Fatalf("exit %d, want 2\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"binary data, not text", "gzip-compressed data", "UTF-16 (little-endian) text with a byte-order mark",
		"the header is not valid UTF-8", "a JSON array, not JSON lines",
		"row longer than the 4 KiB limit (ingest.max_row_bytes)",
		"5 file(s) could not be read at all and were quarantined",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if !strings.Contains(errOut, "5 file(s) could not be read and were quarantined") {
		t.Errorf("stderr: %s", errOut)
	}
	// fx: 2 rows; partners: p-4 and p-6 of the CR-only file, p-2 of the long row's.
	if !strings.Contains(out, "rows loaded 5, rejected 2") {
		t.Errorf("totals:\n%s", out)
	}
}

func TestIngestLimitsConfiguration(t *testing.T) {
	c := DefaultConfig()
	if errs := c.Ingest.validate(); len(errs) != 0 {
		t.Fatalf("defaults: %v", errs)
	}
	if got := c.Ingest.Limits(); got != ingest.DefaultLimits() {
		t.Errorf("default limits %+v", got)
	}
	c.Ingest.MaxColumns, c.Ingest.MaxFieldBytes, c.Ingest.MaxRowBytes = 0, 2<<20, 128<<20
	var msgs []string
	for _, err := range c.Ingest.validate() {
		msgs = append(msgs, err.Error())
	}
	want := []string{
		"ingest.max_columns must be positive, not 0",
		"ingest.max_row_bytes (134217728) is over 67108864: DuckDB's reader keeps buffers of four rows per thread",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q\nwant %q", msgs, want)
	}
	c = DefaultConfig()
	c.Ingest.MaxFieldBytes = c.Ingest.MaxRowBytes + 1
	if errs := c.Ingest.validate(); len(errs) != 1 || !strings.Contains(errs[0].Error(), "a value is part of a row") {
		t.Errorf("field over row: %v", errs)
	}
}
