package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestDataWatermarks: the transform records what the data covers, defaults its
// as-of to it, and reports refuse to pass it unless --allow-empty.
// tiersDB has orders in January (P1, P2) and February 2026 (P3), nothing else.
func TestDataWatermarks(t *testing.T) {
	db := tiersDB(t)
	cfg, out := reportsConfig(t, "")

	got := mustRun(t, "--db", db, "transform")
	if !strings.Contains(got, "as of 2026-02-28 (the data's latest date; --as-of to choose another)") ||
		!strings.Contains(got, "data through 2026-02-28 (latest complete month 2026-02)") {
		t.Fatalf("transform without --as-of said:\n%s", got)
	}
	marks := mustRun(t, "--db", db, "sql", "--format", "csv",
		"SELECT dataset, data_through, complete_month, rows, partners FROM data_watermarks ORDER BY dataset")
	if want := "dataset,data_through,complete_month,rows,partners\n" +
		"clicks,,,0,0\ncustomers,,,0,0\ndeployments,,,0,0\ninsights,,,0,0\n" +
		"orders,2026-02-28,2026-02-01,3,3\nqos,,,0,0\nreports,2026-02-28,2026-02-01,3,3\nusage,,,0,0\n"; marks != want {
		t.Errorf("data_watermarks:\n%s\nwant\n%s", marks, want)
	}
	months := mustRun(t, "--db", db, "sql", "--format", "csv", "SELECT partner_id, dataset, month FROM partner_data_months ORDER BY ALL")
	if want := "partner_id,dataset,month\nP1,orders,2026-01-01\nP2,orders,2026-01-01\nP3,orders,2026-02-01\n"; months != want {
		t.Errorf("partner_data_months:\n%s\nwant\n%s", months, want)
	}

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"a month after the data", []string{"report", "--partner", "P1", "--period", "2026-03"},
			"insights: report month 2026-03 is after the data's last complete month 2026-02 (data through 2026-02-28)"},
		{"a partner without data in the window", []string{"report", "--partner", "P3", "--period", "2026-01", "--trend", "1m"},
			"insights: partner P3 has no data at all in 2026-01 (data through 2026-02-28)"},
		{"every partner, some without data", []string{"report", "--all", "--period", "2026-01", "--trend", "1m"},
			"partner P3 has no data at all in 2026-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := run(t, append([]string{"--config", cfg, "--db", db}, tc.args...)...)
			if code != 1 || stdout != "" || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "--allow-empty") {
				t.Fatalf("exit %d\nstdout %q\nstderr %q\nwant %q", code, stdout, stderr, tc.want)
			}
		})
	}

	t.Run("--allow-empty writes it, marked", func(t *testing.T) {
		stdout, stderr, code := run(t, "--config", cfg, "--db", db, "report", "--partner", "P1", "--period", "2026-03", "--allow-empty", "--format", "xlsx")
		if code != 0 || !strings.Contains(stderr, "writing anyway (allow-empty), although report month 2026-03 is after") {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		wb := filepath.Join(out, "2026-02-28", "P1", "insights_2026-03_6m.xlsx")
		meta := metadataSheet(t, wb)
		if meta["Data through"] != "2026-02-28 (latest complete month 2026-02)" ||
			!strings.HasPrefix(meta["Coverage"], "Written with --allow-empty although report month 2026-03 is after") {
			t.Errorf("Metadata of %s: %q", wb, meta)
		}
	})
	t.Run("a covered report says what the data covers", func(t *testing.T) {
		stdout := mustRun(t, "--config", cfg, "--db", db, "report", "--partner", "P1", "--period", "2026-02", "--format", "xlsx")
		if !strings.Contains(stdout, "data through 2026-02-28 (latest complete month 2026-02)") {
			t.Errorf("report said:\n%s", stdout)
		}
		wb := filepath.Join(out, "2026-02-28", "P1", "insights_2026-02_6m.xlsx")
		meta := metadataSheet(t, wb)
		if _, marked := meta["Coverage"]; marked || meta["Data through"] == "" {
			t.Errorf("Metadata: %q", meta)
		}
		if got := sheetPairs(t, wb, "Summary")["Data through"]; got != "2026-02-28 (latest complete month 2026-02)" {
			t.Errorf("Summary title block: Data through = %q", got)
		}
	})
	t.Run("the report month defaults to the data, not the clock", func(t *testing.T) {
		mustRun(t, "--db", db, "transform", "--as-of", "2026-05-31")
		stdout := mustRun(t, "--config", cfg, "--db", db, "report", "--partner", "P3", "--format", "csv")
		if !strings.Contains(stdout, "report month 2026-02: the data's latest complete month (data through 2026-02-28)") ||
			!strings.Contains(stdout, "2025-09 to 2026-02 (6 months), as of 2026-05-31") {
			t.Errorf("report without --period said:\n%s", stdout)
		}
	})
	t.Run("the reports job refuses too", func(t *testing.T) {
		stdout, stderr, code := run(t, "--config", cfg, "--db", db, "run", "reports", "--as-of", "2026-05-31")
		if code != 1 || !strings.Contains(stdout, "reports as of 2026-05-31 failed") ||
			!strings.Contains(stderr, "report month 2026-05 is after the data's last complete month 2026-02 (data through 2026-02-28)") {
			t.Errorf("run reports: exit %d\n%s%s", code, stdout, stderr)
		}
	})
}

// metadataSheet reads a workbook's Metadata sheet as name → value.
func metadataSheet(t *testing.T, path string) map[string]string {
	t.Helper()
	return sheetPairs(t, path, "Metadata")
}

// sheetPairs reads a sheet's first two columns as label → value (the
// Metadata sheet, the Summary's title block).
func sheetPairs(t *testing.T, path, sheet string) map[string]string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range rows {
		if len(r) >= 2 {
			m[r[0]] = r[1]
		}
	}
	return m
}
