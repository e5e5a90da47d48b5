package reports_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/gen"
	"github.com/marketplace-insights/insights/ingest"
	"github.com/marketplace-insights/insights/reports"
	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestFactsAgreeWithRawRows computes every metric of every partner report two
// ways on the fixtures: with the report queries, which select from the report
// facts of the transform (sql/transform/5NN_report_*.sql), and with the
// queries in testdata/from_raw, which compute each figure per partner from
// the raw and visible rows as the reports did before the facts existed. Every
// partner, several windows, on the fixtures and on a generated marketplace;
// the rows must be identical.
func TestFactsAgreeWithRawRows(t *testing.T) {
	t.Run("fixtures", func(t *testing.T) {
		s, _ := fixtureStore(t)
		factsAgree(t, s, 1, 6, 12)
	})
	t.Run("generated", func(t *testing.T) {
		if testing.Short() {
			t.Skip("generates, ingests and transforms a marketplace")
		}
		factsAgree(t, generatedStore(t), 6)
	})
}

// generatedStore is a small generated marketplace (scale 1), ingested and
// transformed early in the month after its data.
func generatedStore(t *testing.T) *duckstore.Store {
	t.Helper()
	ctx := context.Background()
	landing := filepath.Join(t.TempDir(), "landing")
	if _, err := gen.Generate(ctx, landing, gen.Options{Scale: 1, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	s := testkit.Open(t)
	if _, err := ingest.New(s, nil, ingest.Options{QuarantineDir: filepath.Join(t.TempDir(), "q")}).Ingest(ctx, []string{landing}); err != nil {
		t.Fatal(err)
	}
	runTransform(t, s, gen.DefaultEnd.AddDate(0, 1, 4))
	return s
}

func factsAgree(t *testing.T, s *duckstore.Store, trends ...int) {
	month, err := reports.LatestCompleteMonth(context.Background(), s, latestAsOf(t, s))
	if err != nil {
		t.Fatal(err)
	}
	partners, err := reports.Partners(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(partners) < 3 {
		t.Fatalf("%d partners in the fixtures: too few to compare", len(partners))
	}
	var periods []reports.Period
	for _, months := range trends {
		p, err := reports.NewPeriod(month, months)
		if err != nil {
			t.Fatal(err)
		}
		periods = append(periods, p)
	}
	for _, r := range reports.Catalog() {
		raw, err := os.ReadFile(filepath.Join("testdata", "from_raw", r.Name+".sql"))
		if err != nil {
			t.Fatalf("%s: %v (every partner report needs its from-raw twin)", r.Name, err)
		}
		facts, err := sqlfiles.Report(r.Name)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(r.Name, func(t *testing.T) {
			compared := 0
			for _, p := range periods {
				for _, pt := range partners {
					want := testkit.RowsNull(t, s, "∅", string(raw), pt.ID, p.First(), p.Month)
					got := dropFirstColumn(testkit.RowsNull(t, s, "∅", facts, pt.ID, pt.ID, p.First(), p.Month))
					if !slices.Equal(got, want) {
						t.Errorf("%s, %s: from the facts\n%s\nfrom the raw rows\n%s", pt.ID, p.Describe(),
							strings.Join(got, "\n"), strings.Join(want, "\n"))
					}
					compared += len(want)
				}
			}
			// The generated marketplace has no Revenue downloads (gen writes
			// none): its revenue report is empty on both sides.
			if compared == 0 && !(r.Name == "revenue" && testkit.Rows(t, s, "SELECT count(*) FROM revenue")[0] == "0") {
				t.Error("no rows compared")
			}
		})
	}
}

// TestOneQueryServesEveryPartner: a report queried once for all partners
// gives each partner exactly the rows of its own query.
func TestOneQueryServesEveryPartner(t *testing.T) {
	s, _ := fixtureStore(t)
	partners, err := reports.Partners(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	p := fixturePeriod(t)
	first, last := partners[0].ID, partners[len(partners)-1].ID
	for _, r := range reports.Catalog() {
		q, err := sqlfiles.Report(r.Name)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(r.Name, func(t *testing.T) {
			all := testkit.RowsNull(t, s, "∅", q, first, last, p.First(), p.Month)
			var each []string
			for _, pt := range partners {
				each = append(each, testkit.RowsNull(t, s, "∅", q, pt.ID, pt.ID, p.First(), p.Month)...)
			}
			if !slices.Equal(all, each) {
				t.Errorf("one query for all partners differs from one query per partner")
			}
		})
	}
}

func latestAsOf(t *testing.T, s *duckstore.Store) time.Time {
	t.Helper()
	run, err := reports.LatestRun(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return run.AsOf
}

func dropFirstColumn(rows []string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		_, rest, _ := strings.Cut(r, "|")
		out[i] = rest
	}
	return out
}
