package reports_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestRevenueSheet reads the partner workbook's Revenue sheet back (values,
// number formats, layout) against testdata/golden/workbook/revenue.txt, and
// checks what the golden file stands for: the window's transactions of this
// partner only, an opted-out customer absent, a name masked without a
// qualifying purchase. Refresh: go test ./reports/ -run TestRevenueSheet -update
func TestRevenueSheet(t *testing.T) {
	f, _ := partnerWorkbookFile(t)
	got := sheetText(t, f, "Revenue")
	golden(t, "workbook/revenue.txt", got)
	for _, want := range []string{`"PR-A-ACME"`, `"A-ACME-202506"`, `"Ava Anderson"`, `"***"`, `"Upcoming"`, `fmt="#,##0.00"`, `fmt="yyyy-mm"`} {
		if !strings.Contains(got, want) {
			t.Errorf("the Revenue sheet has no %s", want)
		}
	}
	for _, never := range []string{
		"cust-tyrell", "Eldon", // opted out of tracking: never shown
		"Grace",                    // a trial only: masked
		"A-ACME-202412",            // before the window
		"F-WAYNE", "CRM Connector", // another partner's
		"ava@acme.example", // emails are not on the sheet
	} {
		if strings.Contains(got, never) {
			t.Errorf("the Revenue sheet shows %q", never)
		}
	}
}

// TestRevenueCountsNoSaleTwice: the fixtures' revenue rows bill the same
// order lines, in the same months, as the orders. Loading them must change
// no billed sales and no figure of any other report: every other CSV is
// byte for byte the one written without revenue rows.
func TestRevenueCountsNoSaleTwice(t *testing.T) {
	ctx := context.Background()
	without := filepath.Join(t.TempDir(), "fixtures")
	if err := os.MkdirAll(without, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join("testdata", "fixtures"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "revenue.csv" {
			continue
		}
		b, err := os.ReadFile(filepath.Join("testdata", "fixtures", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(without, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sNo := testkit.Open(t)
	testkit.LoadCSVDir(t, sNo, without, "review_decisions")
	runTransform(t, sNo, fixtureAsOf)
	sYes, _ := fixtureStore(t)
	if n := testkit.Rows(t, sYes, "SELECT count(*) FROM revenue"); n[0] == "0" {
		t.Fatal("the fixtures have no revenue rows")
	}
	const billed = "SELECT * FROM billed_sales_monthly ORDER BY ALL"
	if a, b := testkit.Rows(t, sNo, billed), testkit.Rows(t, sYes, billed); !slices.Equal(a, b) || len(a) == 0 {
		t.Errorf("billed sales change with revenue rows:\nwithout\n%s\nwith\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
	csvs := map[string]map[string]string{}
	for name, s := range map[string]*duckstore.Store{"without": sNo, "with": sYes} {
		g, out := generator(t, s, reports.Options{Formats: []string{reports.CSV}})
		files, err := g.Partner(ctx, runFor(t, s), "p-contoso", fixturePeriod(t))
		if err != nil {
			t.Fatal(err)
		}
		csvs[name] = map[string]string{}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
			if err != nil {
				t.Fatal(err)
			}
			csvs[name][f.Name] = string(b)
		}
	}
	compared := 0
	for name, with := range csvs["with"] {
		if strings.HasPrefix(name, "revenue_") {
			if strings.Count(with, "\n") < 2 {
				t.Errorf("%s has no transactions", name)
			}
			continue
		}
		if with != csvs["without"][name] {
			t.Errorf("%s changes with revenue rows:\n--- without\n%s\n--- with\n%s", name, csvs["without"][name], with)
		}
		compared++
	}
	if compared < len(reports.Catalog())-1 {
		t.Errorf("compared %d reports, want %d", compared, len(reports.Catalog())-1)
	}
}
