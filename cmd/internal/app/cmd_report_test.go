package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// reportsConfig writes a configuration whose [reports] section is body (out
// defaults to a fresh folder) and returns its path and the out folder.
func reportsConfig(t *testing.T, body string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if !strings.Contains(body, "out =") {
		body = "out = " + `"` + filepath.ToSlash(out) + `"` + "\n" + body
	}
	path := filepath.Join(dir, "insights.toml")
	if err := os.WriteFile(path, []byte("[reports]\n"+body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, out
}

func TestReportCommands(t *testing.T) {
	db := tiersDB(t)
	cfg, out := reportsConfig(t, "")
	mustRun(t, "--db", db, "transform", "--as-of", "2026-03-05")

	all := mustRun(t, "--config", cfg, "--db", db, "report", "--all")
	for _, p := range []string{"P1", "P2", "P3"} {
		wb := filepath.Join(out, "2026-03-05", p, "insights_2026-02_6m.xlsx")
		if _, err := os.Stat(wb); err != nil {
			t.Errorf("report --all: %v\n%s", err, all)
		}
	}
	if !strings.Contains(all, "69 files for 3 partner(s), 2025-09 to 2026-02 (6 months), as of 2026-03-05") {
		t.Errorf("report --all said:\n%s", all)
	}

	one := mustRun(t, "--config", cfg, "--db", db, "report", "--partner", "P1", "--period", "2026-01", "--trend", "3m", "--format", "csv")
	if strings.Count(one, ".csv\t") != 18 || strings.Contains(one, ".xlsx") || !strings.Contains(one, "orders_monthly_2026-01_3m.csv") {
		t.Errorf("report --partner P1 --format csv listed:\n%s", one)
	}
	orders, err := os.ReadFile(filepath.Join(out, "2026-03-05", "P1", "orders_monthly_2026-01_3m.csv"))
	if err != nil || string(orders) != "Month,New orders,of which trials,Renewed orders,Canceled orders,Active orders,Active quantity\r\n"+
		"2025-11,0,0,0,0,0,0\r\n2025-12,0,0,0,0,0,0\r\n2026-01,0,0,0,0,1,0\r\n" {
		t.Errorf("orders_monthly of P1: %q, %v", orders, err)
	}

	// --lang writes the workbook in that language; the data files stay as they are.
	fr := mustRun(t, "--config", cfg, "--db", db, "report", "--partner", "P1", "--period", "2026-01", "--trend", "3m", "--lang", "fr")
	if !strings.Contains(fr, "insights_2026-01_3m.xlsx") {
		t.Errorf("report --lang fr listed:\n%s", fr)
	}
	wb, err := excelize.OpenFile(filepath.Join(out, "2026-03-05", "P1", "insights_2026-01_3m.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if sheets := wb.GetSheetList(); sheets[0] != "Synthèse" || sheets[len(sheets)-1] != "Métadonnées" {
		t.Errorf("report --lang fr: sheets %q", sheets)
	}
	_ = wb.Close()
	again, err := os.ReadFile(filepath.Join(out, "2026-03-05", "P1", "orders_monthly_2026-01_3m.csv"))
	if err != nil || !bytes.Equal(again, orders) {
		t.Errorf("orders_monthly of P1 after --lang fr: %q, %v", again, err)
	}

	pack := mustRun(t, "--config", cfg, "--db", db, "review-pack")
	if !strings.Contains(pack, filepath.Join(out, "2026-03-05", "_rewards", "review_pack.xlsx")) {
		t.Errorf("review-pack listed:\n%s", pack)
	}
	if got := mustRun(t, "--config", cfg, "--db", db, "run", "reports", "--as-of", "2026-03-05"); !strings.Contains(got, "reports as of 2026-03-05 succeeded") || !strings.Contains(got, "69 rows") {
		t.Errorf("run reports said:\n%s", got)
	}

	list := mustRun(t, "report", "--list")
	for _, want := range []string{"sql/reports/customers_detail.sql", "Customers detail", "email:text", "estimated_charges_usd:money"} {
		if !strings.Contains(list, want) {
			t.Errorf("report --list lacks %q", want)
		}
	}
}

func TestReportErrors(t *testing.T) {
	db := tiersDB(t)
	cfg, _ := reportsConfig(t, "")
	mustRun(t, "--db", db, "transform", "--as-of", "2026-03-05")
	bad5, _ := reportsConfig(t, `trend = "5m"`)
	badFormat, _ := reportsConfig(t, `formats = ["pdf"]`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"neither partner nor all", []string{"--config", cfg, "--db", db, "report"}, "give --partner ID or --all"},
		{"other as-of", []string{"--config", cfg, "--db", db, "report", "--all", "--as-of", "2026-03-06"}, "transform --as-of 2026-03-06"},
		{"unknown partner", []string{"--config", cfg, "--db", db, "report", "--partner", "P9"}, `no partner "P9"`},
		{"bad trend flag", []string{"--config", cfg, "--db", db, "report", "--all", "--trend", "2m"}, "want one of 1, 3, 6 or 12"},
		{"bad format flag", []string{"--config", cfg, "--db", db, "report", "--all", "--format", "pdf"}, `format "pdf"`},
		{"bad trend config", []string{"--config", bad5, "--db", db, "report", "--all"}, "reports.trend"},
		{"bad format config", []string{"--config", badFormat, "--db", db, "report", "--all"}, "reports.formats"},
		{"language not offered", []string{"--config", cfg, "--db", db, "report", "--all", "--lang", "de"}, `--lang "de": want en, fr or zh-Hans`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, tc.args...)
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q (stdout %q), want an error with %q", code, errOut, out, tc.want)
			}
		})
	}
}
