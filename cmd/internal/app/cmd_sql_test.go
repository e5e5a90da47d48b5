package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSQLIsReadOnlyForFiles: `insights sql` can neither write nor read files
// unless --allow-files is given (issue 15 item 7).
func TestSQLIsReadOnlyForFiles(t *testing.T) {
	dir := t.TempDir()
	cfg := svcConfig(t, dir)
	svcStore(t, dir).Close() // create and migrate the database

	secret := filepath.Join(dir, "secret.csv")
	if err := os.WriteFile(secret, []byte("password\nhunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "written.csv")
	lit := func(p string) string { return "'" + filepath.ToSlash(p) + "'" }
	refused := []struct{ name, query string }{
		{"COPY TO", "COPY (SELECT 1 AS x) TO " + lit(target) + " (FORMAT csv)"},
		{"read_csv", "SELECT * FROM read_csv(" + lit(secret) + ")"},
		{"read_text", "SELECT content FROM read_text(" + lit(secret) + ")"},
		{"bare file path", "SELECT * FROM " + lit(secret)},
		{"glob", "SELECT file FROM glob(" + lit(filepath.Join(dir, "*")) + ")"},
		{"ATTACH", "ATTACH " + lit(filepath.Join(dir, "other.duckdb")) + " AS other"},
		{"turning access back on", "SET enable_external_access = true"},
	}
	for _, tc := range refused {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			out, errOut, code := svcExec(t, cfg, "sql", "--format", "csv", tc.query)
			if code == 0 {
				t.Fatalf("accepted: %s", out)
			}
			if strings.Contains(out, "hunter2") {
				t.Fatal("read the file")
			}
			if !strings.Contains(strings.ToLower(errOut), "external access") && !strings.Contains(strings.ToLower(errOut), "permission") &&
				!strings.Contains(errOut, "enable_external_access") {
				t.Fatalf("unclear refusal: %s", errOut)
			}
		})
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatalf("COPY TO wrote a file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "other.duckdb")); !os.IsNotExist(err) {
		t.Fatalf("ATTACH created a file: %v", err)
	}

	t.Run("queries of the database still work", func(t *testing.T) {
		out, errOut, code := svcExec(t, cfg, "sql", "--format", "csv", "SELECT count(*) AS n FROM job_runs")
		if code != 0 || out != "n\n0\n" {
			t.Fatalf("exit %d: %q %s", code, out, errOut)
		}
	})
	t.Run("--allow-files reads and writes files", func(t *testing.T) {
		out, errOut, code := svcExec(t, cfg, "sql", "--allow-files", "--format", "csv", "SELECT * FROM read_csv("+lit(secret)+")")
		if code != 0 || !strings.Contains(out, "hunter2") {
			t.Fatalf("exit %d: %q %s", code, out, errOut)
		}
		if _, errOut, code := svcExec(t, cfg, "sql", "--allow-files", "COPY (SELECT 1 AS x) TO "+lit(target)+" (FORMAT csv)"); code != 0 {
			t.Fatalf("COPY TO with --allow-files: exit %d %s", code, errOut)
		}
		if _, err := os.Stat(target); err != nil {
			t.Fatal(err)
		}
	})
}
