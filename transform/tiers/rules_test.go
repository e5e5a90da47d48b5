package tiers_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/transform/tiers"
)

func TestDefaultRules(t *testing.T) {
	r := tiers.Default()
	if r.WindowMonths != 12 || r.RunRateMonths != 3 {
		t.Errorf("window %d run rate %d", r.WindowMonths, r.RunRateMonths)
	}
	want := []tiers.Tier{{"Tier 1", "tier-1", 25_000_00}, {"Tier 2", "tier-2", 100_000_00}, {"Tier 3", "tier-3", 1_000_000_00}, {"Tier 4", "tier-4", 4_000_000_00}}
	if len(r.Tiers) != len(want) {
		t.Fatalf("tiers = %+v", r.Tiers)
	}
	for i := range want {
		if r.Tiers[i] != want[i] {
			t.Errorf("tier %d = %+v, want %+v", i, r.Tiers[i], want[i])
		}
	}
	perType := map[string]int{}
	for _, b := range r.Benefits {
		perType[b.ListingType]++
		if b.ListingType == "Trial" && b.ExpiresAfterMonths != 3 {
			t.Errorf("trial benefit %q expires after %d months", b.Name, b.ExpiresAfterMonths)
		}
		if (b.ListingType == "Transact") != (b.Tier != "") {
			t.Errorf("benefit %+v: Transact benefits are per tier, List and Trial one-time", b)
		}
	}
	if perType["List"] == 0 || perType["Trial"] == 0 || perType["Transact"] < 4 {
		t.Errorf("catalog per type = %v", perType)
	}
}

func TestParseRules(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		problems []string // each must appear; nil = valid
	}{
		{
			name: "valid minimal file with amounts as strings and floats",
			text: `
window_months = 6
[[tiers]]
name = "Bronze"
threshold_usd = "10,000.50"
[[tiers]]
name = "Gold"
threshold_usd = 4000000.0
[[benefits]]
listing_type = "transact"
tier = "gold"
name = "Lounge access"`,
		},
		{
			name: "every problem is listed",
			text: `
window_months = 0
run_rate_months = 7
colour = "blue"
[[tiers]]
name = "Tier 1"
threshold_usd = 50000
[[tiers]]
name = "Tier 2"
threshold_usd = 50000
[[tiers]]
name = "tier 1"
threshold_usd = -5
[[tiers]]
name = ""
threshold_usd = "12.345"
[[tiers]]
name = "Top"
threshold_usd = 3000000
[[benefits]]
listing_type = "Consulting"
name = "Free lunch"
[[benefits]]
listing_type = "Transact"
tier = "Tier 9"
name = "Yacht"
expires_after_months = -1
[[benefits]]
listing_type = ""
name = ""`,
			problems: []string{
				`unknown key "colour"`,
				"window_months = 0: must be 1 to 120",
				"run_rate_months = 7: must be 1 to window_months (0)",
				`tiers[2] "Tier 2": threshold_usd USD 50,000 is not above "Tier 1"'s USD 50,000 (thresholds must increase)`,
				`tiers[3] "tier 1": name repeats tiers[1]`,
				`tiers[3] "tier 1": threshold_usd USD -5 must be positive`,
				`tiers[4]: name is empty`,
				`tiers[4]: threshold_usd "12.345" is not an amount with at most two decimals`,
				`top tier "Top" starts at USD 3,000,000: the program's top tier starts at USD 4,000,000`,
				`benefits[1] "Free lunch": unknown listing_type "Consulting" (want List, Trial, Transact)`,
				`benefits[2] "Yacht": unknown tier "Tier 9"`,
				`benefits[2] "Yacht": expires_after_months = -1: must be 0 (never) or more`,
				`benefits[3]: name is empty`,
				`benefits[3]: listing_type is empty`,
			},
		},
		{
			name:     "thresholds not increasing",
			text:     "[[tiers]]\nname = \"A\"\nthreshold_usd = 4000000\n[[tiers]]\nname = \"B\"\nthreshold_usd = 100\n",
			problems: []string{`tiers[2] "B": threshold_usd USD 100 is not above "A"'s USD 4,000,000`, `top tier "B" starts at USD 100`},
		},
		{
			name:     "unknown benefit category",
			text:     "[[tiers]]\nname = \"A\"\nthreshold_usd = 4000000\n[[benefits]]\nlisting_type = \"Transact\"\ntier = \"A\"\nname = \"Help\"\ncategory = \"support\"\n",
			problems: []string{`benefits[1] "Help": unknown category "support" (want sales-marketing or technical)`},
		},
		{
			name:     "no tiers",
			text:     "window_months = 12\n",
			problems: []string{"no tiers"},
		},
		{
			name:     "missing threshold and a name with the same id",
			text:     "[[tiers]]\nname = \"Tier-1\"\n[[tiers]]\nname = \"tier 1!\"\nthreshold_usd = 4000000\n",
			problems: []string{`tiers[1] "Tier-1": threshold_usd is missing`, `tiers[2] "tier 1!": name gives the same id "tier-1" as tiers[1]`},
		},
		{
			name:     "not TOML",
			text:     "window_months = = 3",
			problems: []string{"tier rules test.toml: 1 problem(s)"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tiers.Parse("test.toml", tc.text)
			if tc.problems == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if r.WindowMonths != 6 || r.Tiers[0].ThresholdCents != 10_000_50 || r.Benefits[0].ListingType != "Transact" || r.Benefits[0].Tier != "Gold" {
					t.Fatalf("parsed %+v", r)
				}
				return
			}
			var re *tiers.RulesError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a *RulesError", err)
			}
			for _, p := range tc.problems {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error does not list %q:\n%v", p, err)
				}
			}
			if len(tc.problems) > 3 && len(re.Problems) != len(tc.problems) {
				t.Errorf("%d problems listed, want %d:\n%v", len(re.Problems), len(tc.problems), err)
			}
		})
	}
}

func TestLoadRulesFile(t *testing.T) {
	if r, err := tiers.Load(""); err != nil || r.Source != tiers.DefaultsSource {
		t.Fatalf("defaults: %v %v", r, err)
	}
	path := filepath.Join(t.TempDir(), "tiers.toml")
	if err := os.WriteFile(path, []byte("[[tiers]]\nname = \"Only\"\nthreshold_usd = 4_000_000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := tiers.Load(path)
	if err != nil || r.Source != path || len(r.Tiers) != 1 {
		t.Fatalf("load: %+v %v", r, err)
	}
	if r.Fingerprint() == tiers.Default().Fingerprint() {
		t.Error("different rules, same fingerprint")
	}
	if _, err := tiers.Load(filepath.Join(t.TempDir(), "missing.toml")); err == nil {
		t.Error("missing file loaded")
	}
}

func TestCustomRulesDriveTheTransform(t *testing.T) {
	e := newEnv(t)
	r, err := tiers.Parse("custom", "window_months = 2\nrun_rate_months = 1\n[[tiers]]\nname = \"Silver\"\nthreshold_usd = \"100.00\"\n[[tiers]]\nname = \"Gold\"\nthreshold_usd = 4000000\n"+
		"[[benefits]]\nlisting_type = \"Transact\"\ntier = \"Silver\"\nname = \"Badge\"\n")
	if err != nil {
		t.Fatal(err)
	}
	e.rules = r
	e.partner("P1", "G", "owner@g.example")
	e.order(ord{asset: "A1", publisher: "P1", month: "2026-01", amount: "60"})
	e.order(ord{asset: "A2", publisher: "P1", month: "2026-02", amount: "40"})
	e.order(ord{asset: "A3", publisher: "P1", month: "2026-03", amount: "10"})
	e.mustRun("2026-03-31")
	if got := e.unlocks("G"); !slices.Equal(got, []string{"Silver|2026-02-28|100.00"}) {
		t.Errorf("unlocks = %q", got)
	}
	if got, want := e.status("G"), "50.00|Silver|Gold|3999950.00|not at current pace"; got != want {
		t.Errorf("status = %q, want %q", got, want)
	}
	if got := e.str(`SELECT unlock_id || ' ' || benefits FROM tier_unlocks`); got != "G:silver Transact: Badge" {
		t.Errorf("unlock = %q", got)
	}
}
