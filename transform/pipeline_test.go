package transform

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform/tiers"
)

func defaultPipeline(t *testing.T, rules *tiers.Rules) Pipeline {
	t.Helper()
	p, err := Default(rules)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The declared pipeline holds every SQL file and every Go step, in name order.
func TestDefaultPipelineIsOrderedAndComplete(t *testing.T) {
	p := defaultPipeline(t, tiers.Default())
	names := p.Names()
	if !slices.IsSorted(names) {
		t.Fatalf("steps out of order: %v", names)
	}
	files, err := sqlfiles.TransformSteps()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !slices.Contains(names, strings.TrimSuffix(f.Name, ".sql")) {
			t.Errorf("SQL step %s missing", f.Name)
		}
	}
	for _, g := range []string{"105_parse_tracking_ids", "200_load_tier_rules", "215_check_fx_rates", "230_tier_status", "305_parse_campaigns"} {
		if !slices.Contains(names, g) {
			t.Errorf("Go step %s missing", g)
		}
	}
	if len(names) != len(files)+5 {
		t.Errorf("%d steps, want %d SQL + 5 Go", len(names), len(files))
	}
}

// The run id changes when any definition that shapes the output changes, and
// only then.
func TestRunIDHashesEveryDefinition(t *testing.T) {
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	migrations, err := sqlfiles.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	base := defaultPipeline(t, tiers.Default()).Steps()
	inputs := []string{"aaa", "bbb"}
	id := runID(asOf, inputs, migrations, base)
	if again := runID(asOf, inputs, migrations, defaultPipeline(t, tiers.Default()).Steps()); again != id {
		t.Fatalf("same definitions gave %s and %s", id, again)
	}

	editStep := func(name string, edit func(*Step)) []Step {
		steps := slices.Clone(base)
		for i := range steps {
			if steps[i].Name == name {
				steps[i].Defs = slices.Clone(steps[i].Defs)
				edit(&steps[i])
				return steps
			}
		}
		t.Fatalf("no step %s", name)
		return nil
	}
	otherRules, err := tiers.Parse("test", strings.Replace(tiers.DefaultsTOML(), "threshold_usd = 25000\n", "threshold_usd = 30000\n", 1))
	if err != nil {
		t.Fatal(err)
	}
	if otherRules.Text == tiers.Default().Text {
		t.Fatal("the edited rules are the defaults")
	}
	editedMigration := slices.Clone(migrations)
	editedMigration[len(editedMigration)-1].Text += "\n-- edited"
	cases := []struct {
		name string
		id   string
	}{
		{"another as-of date", runID(asOf.AddDate(0, 0, 1), inputs, migrations, base)},
		{"another input file", runID(asOf, []string{"aaa", "ccc"}, migrations, base)},
		{"one input fewer", runID(asOf, inputs[:1], migrations, base)},
		{"an edited migration", runID(asOf, inputs, editedMigration, base)},
		{"an edited step SQL", runID(asOf, inputs, migrations, editStep("010_current_orders", func(s *Step) { s.SQL += " " }))},
		{"an edited SQL file a Go step runs", runID(asOf, inputs, migrations, editStep("230_tier_status", func(s *Step) { s.Defs[0] += " " }))},
		{"a new parser version", runID(asOf, inputs, migrations, editStep("105_parse_tracking_ids", func(s *Step) { s.Defs[0] += "x" }))},
		{"other tier rules", runID(asOf, inputs, migrations, defaultPipeline(t, otherRules).Steps())},
		{"a step more", runID(asOf, inputs, migrations, append(slices.Clone(base), Step{Name: "999_more", SQL: "SELECT 1"}))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.id == id {
				t.Fatalf("run id %s unchanged", id)
			}
		})
	}
}

// The Go step that runs a report query carries that query's text, so editing
// sql/reports/tiers_status.sql changes the run id.
func TestTierStatusStepCarriesItsQuery(t *testing.T) {
	q, err := tiers.StatusQuery()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range defaultPipeline(t, tiers.Default()).Steps() {
		if s.Name == "230_tier_status" {
			if len(s.Defs) != 1 || !strings.Contains(s.Defs[0], q) {
				t.Fatalf("230_tier_status defs do not hold tiers_status.sql")
			}
			return
		}
	}
	t.Fatal("no 230_tier_status")
}

// The default pipeline runs on an empty database, and the run id read from
// the store changes when an input file is loaded.
func TestRunnerRunIDFollowsInputs(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	r := NewRunner(s, nil, defaultPipeline(t, tiers.Default()))
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	first, err := r.Run(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Exec(t, s, `INSERT INTO ingest_files VALUES (1, 'sha-x', 'x.csv', 'orders', 'csv', 0, 0, 0, 0, TIMESTAMP '2026-03-01 00:00:00')`)
	second, err := r.Run(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == second.ID {
		t.Fatal("a new input file kept the run id")
	}
}
