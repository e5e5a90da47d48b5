package reports_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// fixtureAsOf is the as-of date of the fixtures: the report month is June 2025.
var fixtureAsOf = time.Date(2025, 7, 5, 0, 0, 0, 0, time.UTC)

// fixtureStore loads testdata/fixtures/<table>.csv into the raw tables and
// runs the declared transform, Go steps included, as of fixtureAsOf.
func fixtureStore(t testing.TB) (*duckstore.Store, transform.Run) {
	t.Helper()
	s := testkit.Open(t)
	testkit.LoadCSVDir(t, s, filepath.Join("testdata", "fixtures"), "review_decisions") // decisions are written by people
	return s, runTransform(t, s, fixtureAsOf)
}

// runTransform runs the declared transform with the default tier rules.
func runTransform(t testing.TB, s *duckstore.Store, asOf time.Time) transform.Run {
	t.Helper()
	p, err := transform.Default(tiers.Default())
	if err != nil {
		t.Fatal(err)
	}
	run, err := transform.NewRunner(s, nil, p).Run(context.Background(), asOf)
	if err != nil {
		t.Fatalf("transform: %v", err)
	}
	return run
}

// fixturePeriod is the period the golden files are for: June 2025 with the
// default six-month trend.
func fixturePeriod(t testing.TB) reports.Period {
	t.Helper()
	p, err := reports.NewPeriod(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), reports.DefaultTrend)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// generator returns a generator writing under a fresh folder, and that folder.
func generator(t testing.TB, s *duckstore.Store, opt reports.Options) (*reports.Generator, string) {
	t.Helper()
	out := t.TempDir()
	g, err := reports.New(s, nil, out, opt)
	if err != nil {
		t.Fatal(err)
	}
	return g, out
}

// contosoReports writes p-contoso's reports for the fixture period into a
// fresh folder with the default options: the store, run, folder and files.
func contosoReports(t testing.TB) (*duckstore.Store, reports.Run, string, []reports.File) {
	t.Helper()
	s, _ := fixtureStore(t)
	run := runFor(t, s)
	g, out := generator(t, s, reports.Options{})
	files, err := g.Partner(context.Background(), run, "p-contoso", fixturePeriod(t))
	if err != nil {
		t.Fatal(err)
	}
	return s, run, out, files
}

// runFor returns the reporting run of the fixtures.
func runFor(t testing.TB, s *duckstore.Store) reports.Run {
	t.Helper()
	run, err := reports.RunFor(context.Background(), s, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// filesByName indexes written files by base name.
func filesByName(files []reports.File) map[string]reports.File {
	m := map[string]reports.File{}
	for _, f := range files {
		m[f.Name] = f
	}
	return m
}

// tableRows runs a report and returns its rows as column name → text. A
// partner report's args are (partner id, first month, report month): it is
// queried for that one partner, and its partner column left out.
func tableRows(t testing.TB, s *duckstore.Store, r reports.Report, args []any) []map[string]string {
	t.Helper()
	if r.Audience == reports.Partner {
		args = append([]any{args[0]}, args...)
	}
	tbl, err := reports.Query(context.Background(), s, r, args)
	if err != nil {
		t.Fatal(err)
	}
	defer reports.Release(tbl)
	var out []map[string]string
	for _, rec := range tbl.Records {
		for i := range int(rec.NumRows()) {
			row := map[string]string{}
			for j, f := range rec.Schema().Fields() {
				if r.Audience == reports.Partner && j == 0 {
					continue // the partner column
				}
				if c := rec.Column(j); !c.IsNull(i) {
					row[f.Name] = strings.Clone(c.ValueStr(i)) // the records are released on return
				}
			}
			out = append(out, row)
		}
	}
	return out
}
