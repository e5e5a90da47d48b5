package reports_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/attribution"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// fixtureAsOf is the as-of date of the fixtures: the report month is June 2025.
var fixtureAsOf = time.Date(2025, 7, 5, 0, 0, 0, 0, time.UTC)

// openStore opens a throw-away database with the test resource limits.
func openStore(t testing.TB) *duckstore.Store {
	t.Helper()
	s, err := duckstore.Open(context.Background(), duckstore.Config{
		Path: filepath.Join(t.TempDir(), "t.duckdb"), Threads: 1, MemoryLimit: "1GB",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// fixtureStore loads testdata/fixtures/<table>.csv into the raw tables (by
// column name, every value as text cast by the insert) and runs the real
// transform, Go steps included, as of fixtureAsOf.
func fixtureStore(t testing.TB) (*duckstore.Store, transform.Run) {
	t.Helper()
	ctx := context.Background()
	s := openStore(t)
	dir, err := filepath.Abs(filepath.Join("testdata", "fixtures"))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range entries {
		table := strings.TrimSuffix(e.Name(), ".csv")
		fileID := fmt.Sprintf(", %d AS _file_id", i+1)
		if table == "review_decisions" { // written by people, not loaded from files
			fileID = ""
		}
		q := fmt.Sprintf(`INSERT INTO %s BY NAME SELECT *%s FROM read_csv(%s, header = true, all_varchar = true)`,
			duckstore.Ident(table), fileID, duckstore.Literal(filepath.Join(dir, e.Name())))
		if _, err := s.Exec(ctx, q); err != nil {
			t.Fatalf("load %s: %v", e.Name(), err)
		}
		if _, err := s.Exec(ctx, `INSERT INTO ingest_files VALUES (?, ?, ?, ?, 'csv', 0, 0, 0, 0, TIMESTAMP '2025-07-05 00:00:00')`,
			i+1, "sha-"+e.Name(), e.Name(), table); err != nil {
			t.Fatal(err)
		}
	}
	rules := tiers.Default()
	steps := append(attribution.Steps(), tiers.Steps(rules)...)
	run, err := transform.NewRunner(s, nil, steps, rules.Fingerprint()).Run(ctx, fixtureAsOf)
	if err != nil {
		t.Fatalf("transform: %v", err)
	}
	return s, run
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

// tableRows runs a report and returns its rows as column name → text.
func tableRows(t testing.TB, s *duckstore.Store, r reports.Report, args []any) []map[string]string {
	t.Helper()
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
				if c := rec.Column(j); !c.IsNull(i) {
					row[f.Name] = strings.Clone(c.ValueStr(i)) // the records are released on return
				}
			}
			out = append(out, row)
		}
	}
	return out
}
