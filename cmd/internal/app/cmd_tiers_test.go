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

// tiersDB writes a small marketplace straight into the raw tables: PGA G (two publisher
// profiles, USD 30,000 billed in January 2026, a valid contact) and PGA H (USD 100,000 in
// February, its contact's email is the account email).
func tiersDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "insights.duckdb")
	ctx := context.Background()
	s, err := duckstore.Open(ctx, duckstore.Config{Path: path, Threads: 1, MemoryLimit: "1GB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{
		`INSERT INTO partners (partner_id, pga_id, account_email, company_name, _file_id) VALUES
			('P1', 'G', 'owner@g.example', 'Gamma', 0), ('P2', 'G', 'other@g.example', 'Gamma', 0), ('P3', 'H', 'owner@h.example', 'Hotel', 0)`,
		`INSERT INTO offers (offer_id, partner_id, offer_name, listing_type, live_date, _file_id) VALUES
			('O1', 'P1', 'G app', 'Transact', DATE '2025-06-01', 0), ('O2', 'P2', 'G trial', 'Trial', DATE '2025-06-01', 0),
			('O3', 'P3', 'H app', 'Transact', DATE '2025-06-01', 0)`,
		`INSERT INTO orders (asset_id, purchase_record_line_item_id, order_version, publisher_id, month_start_date, estimated_charges,
			currency, order_status, marketplace_license_type, _file_id) VALUES
			('A1', 'L1', 1, 'P1', DATE '2026-01-01', 20000, 'USD', 'Active', 'Billed through Azure', 0),
			('A2', 'L1', 1, 'P2', DATE '2026-01-01', 9090.909091, 'EUR', 'Active', 'Billed through Azure', 0),
			('A3', 'L1', 1, 'P3', DATE '2026-02-01', 100000, 'USD', 'Active', 'Billed through Azure', 0)`,
		`INSERT INTO fx_rates VALUES ('EUR', DATE '2026-01-01', 1.1, 0)`,
		`INSERT INTO contacts VALUES ('G', 'Mia', 'mia@g.example', '+1 555', 'en', TIMESTAMP '2025-01-01', NULL, 0),
			('H', 'Hal', 'OWNER@h.example', '+1 555', 'en', TIMESTAMP '2025-01-01', NULL, 0)`,
	} {
		if _, err := s.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Execute(context.Background(), append([]string{"--threads", "1", "--memory-limit", "1GB", "--log-level", "error"}, args...), &out, &errOut)
	return out.String(), errOut.String(), code
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := run(t, args...)
	if code != 0 {
		t.Fatalf("insights %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// lines splits table output into rows of space-separated fields.
func fields(out string) [][]string {
	var rows [][]string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		rows = append(rows, strings.Fields(l))
	}
	return rows
}

func TestTiersUnlocksAndReviewCommands(t *testing.T) {
	db := tiersDB(t)
	mustRun(t, "--db", db, "transform", "--as-of", "2026-02-28")

	t.Run("tiers table", func(t *testing.T) {
		out := mustRun(t, "--db", db, "tiers", "--as-of", "2026-02-28")
		want := []string{
			"pga_id company_name as_of window_start window_end ttm_billed_sales_usd tier next_tier gap_usd run_rate_usd projected_month",
			"G Gamma 2026-02-28 2025-03-01 2026-02-28 30000.00 Tier 1 Tier 2 70000.00 10000.00 2026-09",
			"H Hotel 2026-02-28 2025-03-01 2026-02-28 100000.00 Tier 2 Tier 3 900000.00 33333.33 not at current pace",
		}
		got := strings.Split(strings.TrimSpace(out), "\n")
		for i := range got {
			got[i] = strings.Join(strings.Fields(got[i]), " ")
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("insights tiers:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("errors print no table", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			args []string
			want string
		}{
			{"unknown PGA", []string{"tiers", "--pga", "UNKNOWN"}, `insights: unknown partner global account "UNKNOWN": it has no publisher profile in the partners reference data and no billed sales (` + "`insights tiers`" + ` lists every account)` + "\n"},
			{"bad format", []string{"tiers", "--format", "xml"}, `insights: --format "xml": want table, csv or json` + "\n"},
			{"unknown unlock", []string{"review", "history", "NOPE:tier-9"}, `insights: review history: unknown unlock id "NOPE:tier-9" (` + "`insights review list --all`" + ` lists every unlock; unlocks come from the last ` + "`insights transform`" + `)` + "\n"},
			{"bad SQL", []string{"sql", "SELECT 1 AS a UNION ALL SELECT error('boom')"}, ""},
			{"a write", []string{"sql", "DELETE FROM partners"}, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				out, errOut, code := run(t, append([]string{"--db", db}, tc.args...)...)
				if code == 0 || out != "" {
					t.Fatalf("exit %d, stdout %q (want an error and nothing on stdout)", code, out)
				}
				if tc.want != "" && errOut != tc.want {
					t.Errorf("stderr %q\nwant   %q", errOut, tc.want)
				}
				if strings.Count(errOut, "\n") != 1 {
					t.Errorf("stderr is not one line: %q", errOut)
				}
			})
		}
	})
	t.Run("a company with no tier reads none yet", func(t *testing.T) {
		out := mustRun(t, "--db", db, "tiers", "--as-of", "2026-01-31", "--pga", "H")
		if rows := fields(out); len(rows) != 2 || strings.Join(rows[1][:10], " ") != "H Hotel 2026-01-31 2025-02-01 2026-01-31 0.00 none yet Tier 1" {
			t.Errorf("tiers --as-of 2026-01-31 --pga H:\n%s", out)
		}
	})
	t.Run("tiers at an earlier date, one PGA, JSON", func(t *testing.T) {
		out := mustRun(t, "--db", db, "tiers", "--as-of", "2026-01-31", "--pga", "H", "--format", "json")
		var got []map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if len(got) != 1 || got[0]["pga_id"] != "H" || got[0]["company_name"] != "Hotel" || got[0]["ttm_billed_sales_usd"] != "0.00" || got[0]["tier"] != nil ||
			got[0]["next_tier"] != "Tier 1" || got[0]["gap_usd"] != "25000.00" || got[0]["projected_month"] != "not at current pace" {
			t.Errorf("json = %v", got)
		}
	})
	t.Run("tiers csv", func(t *testing.T) {
		out := mustRun(t, "--db", db, "tiers", "--as-of", "2026-02-28", "--format", "csv", "--pga", "G")
		if want := "pga_id,company_name,as_of,window_start,window_end,ttm_billed_sales_usd,tier,next_tier,gap_usd,run_rate_usd,projected_month\n" +
			"G,Gamma,2026-02-28,2025-03-01,2026-02-28,30000.00,Tier 1,Tier 2,70000.00,10000.00,2026-09\n"; out != want {
			t.Errorf("csv:\n%s\nwant\n%s", out, want)
		}
	})
	t.Run("unlocks", func(t *testing.T) {
		out := mustRun(t, "--db", db, "unlocks", "--format", "csv")
		for _, want := range []string{
			"unlock_id,pga_id,tier,unlocked_on,ttm_at_unlock_usd,benefit_period,next_refresh_on,benefits,readiness,latest_decision",
			"G:tier-1,G,Tier 1,2026-01-31,30000.00,1,2027-01-31,Transact: Azure sponsorship USD 5,000; Transact: Go-to-market consultation,ready,pending",
			"H:tier-1,H,Tier 1,2026-02-28,100000.00,1,2027-02-28",
			"H:tier-2,H,Tier 2,2026-02-28,100000.00,1,2027-02-28,",
			"missing: a contact email other than the account email,pending",
		} {
			if !strings.Contains(strings.ReplaceAll(out, `"`, ""), want) {
				t.Errorf("unlocks csv lacks %q:\n%s", want, out)
			}
		}
		out = mustRun(t, "--db", db, "unlocks", "--since", "2026-02-01")
		if rows := fields(out); len(rows) != 3 || rows[1][0] != "H:tier-1" || rows[2][0] != "H:tier-2" {
			t.Errorf("unlocks --since 2026-02-01:\n%s", out)
		}
	})
	t.Run("review", func(t *testing.T) {
		out := mustRun(t, "--db", db, "review", "list")
		if rows := fields(out); len(rows) != 4 {
			t.Fatalf("review list: %d rows\n%s", len(rows), out)
		}
		_, errOut, code := run(t, "--db", db, "review", "decide", "H:tier-2", "approve", "--by", "ann")
		if code == 0 || !strings.Contains(errOut, "cannot approve H:tier-2: not ready for activation (missing: a contact email other than the account email)") {
			t.Errorf("approving a not-ready unlock: exit %d, %s", code, errOut)
		}
		_, errOut, code = run(t, "--db", db, "review", "decide", "G:tier-1", "approve")
		if code == 0 || !strings.Contains(errOut, `"by" not set`) {
			t.Errorf("decide without --by: exit %d, %s", code, errOut)
		}
		out = mustRun(t, "--db", db, "review", "decide", "G:tier-1", "defer", "--by", "ann", "--note", "check the EUR order", "--at", "2026-03-02T09:00")
		if want := "recorded decision 1: defer G:tier-1 (G, Tier 1) by ann at 2026-03-02 09:00:00 UTC\n"; out != want {
			t.Errorf("decide: %q, want %q", out, want)
		}
		mustRun(t, "--db", db, "review", "decide", "G:tier-1", "approve", "--by", "bob", "--note", "ok", "--at", "2026-03-03T10:30")
		mustRun(t, "--db", db, "review", "decide", "H:tier-1", "reject", "--by", "bob", "--note", "no contact", "--at", "2026-03-03")
		out, errOut, code = run(t, "--db", db, "review", "decide", "G:tier-1", "approve", "--by", "cy")
		if want := "insights: cannot approve G:tier-1: already approved by bob on 2026-03-03 10:30:00 UTC, decision 2 (\"ok\"); nothing recorded\n"; code != 1 || out != "" || errOut != want {
			t.Errorf("approving an approved unlock: exit %d, stdout %q, stderr %q, want %q", code, out, errOut, want)
		}

		out = mustRun(t, "--db", db, "review", "list")
		if rows := fields(out); len(rows) != 2 || rows[1][0] != "H:tier-2" {
			t.Errorf("pending after decisions:\n%s", out)
		}
		out = mustRun(t, "--db", db, "review", "list", "--all", "--format", "json")
		var all []map[string]any
		if err := json.Unmarshal([]byte(out), &all); err != nil {
			t.Fatal(err)
		}
		latest := map[string]string{}
		for _, r := range all {
			latest[r["unlock_id"].(string)] = r["latest_decision"].(string)
		}
		if latest["G:tier-1"] != "approve" || latest["H:tier-1"] != "reject" || latest["H:tier-2"] != "pending" || len(all) != 3 {
			t.Errorf("review list --all: %v", latest)
		}
		if out := mustRun(t, "--db", db, "review", "history", "H:tier-2"); out != "no decisions on H:tier-2 yet: it is pending\n" {
			t.Errorf("history of an unlock without decisions: %q", out)
		}
		out = mustRun(t, "--db", db, "review", "history", "--format", "csv")
		if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 4 || !strings.Contains(lines[1], ",G:tier-1,") ||
			!strings.Contains(lines[2], ",G:tier-1,") || !strings.Contains(lines[3], ",H:tier-1,") {
			t.Errorf("history of every unlock, grouped by unlock:\n%s", out)
		}
		out = mustRun(t, "--db", db, "review", "history", "G:tier-1", "--format", "csv")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[1], "1,G:tier-1,G,Tier 1,defer,ann,2026-03-02 09:00:00,check the EUR order,") ||
			!strings.HasPrefix(lines[2], "2,G:tier-1,G,Tier 1,approve,bob,2026-03-03 10:30:00,ok,") {
			t.Errorf("history:\n%s", out)
		}
		// Decisions survive a new transform run.
		mustRun(t, "--db", db, "transform", "--as-of", "2026-03-31")
		out = mustRun(t, "--db", db, "sql", "SELECT latest_decision, decisions FROM tier_unlocks WHERE unlock_id = 'G:tier-1'")
		if rows := fields(out); len(rows) != 2 || rows[1][0] != "approve" || rows[1][1] != "2" {
			t.Errorf("after a new run:\n%s", out)
		}
	})
}

// TestReviewHistoryHelp: the help says what the command prints: grouped by
// unlock, oldest first within each, and that an unknown id is an error.
func TestReviewHistoryHelp(t *testing.T) {
	out := mustRun(t, "review", "history", "--help")
	for _, want := range []string{"grouped by unlock", "oldest first within each", "An unknown\nunlock id is an error"} {
		if !strings.Contains(out, want) {
			t.Errorf("review history --help lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Show every decision taken, oldest first") {
		t.Errorf("review history --help still says oldest first overall:\n%s", out)
	}
}

func TestTiersRulesFileErrorsAndDefaults(t *testing.T) {
	dir := t.TempDir()
	db := tiersDB(t)
	out := mustRun(t, "--db", db, "tiers", "rules")
	if !strings.Contains(out, "threshold_usd = 4000000") || !strings.Contains(out, "window_months = 12") {
		t.Errorf("tiers rules:\n%s", out)
	}
	rules := filepath.Join(dir, "tiers.toml")
	if err := os.WriteFile(rules, []byte(`
[[tiers]]
name = "Low"
threshold_usd = 5000
[[tiers]]
name = "High"
threshold_usd = 5000
[[benefits]]
listing_type = "Consult"
name = "x"
`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "insights.toml")
	if err := os.WriteFile(cfg, []byte("[tiers]\nrules = "+strings.ReplaceAll(`"`+rules+`"`, `\`, `\\`)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "--config", cfg, "--db", db, "transform", "--as-of", "2026-02-28")
	if code == 0 {
		t.Fatal("transform with an invalid rules file succeeded")
	}
	for _, want := range []string{"3 problem(s)", `"High": threshold_usd USD 5,000 is not above "Low"'s USD 5,000`,
		`top tier "High" starts at USD 5,000`, `unknown listing_type "Consult"`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("error lacks %q:\n%s", want, errOut)
		}
	}
	_, errOut, code = run(t, "--db", db, "tiers")
	if code == 0 || !strings.Contains(errOut, "run `insights transform` first") {
		t.Errorf("tiers before any transform: exit %d %s", code, errOut)
	}
}
