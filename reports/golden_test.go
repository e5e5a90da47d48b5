package reports_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/reports"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGoldenCSV generates the fixtures' reports (Contoso, June 2025, six
// months; and the review pack) and compares every CSV byte for byte with
// testdata/golden. Refresh with: go test ./reports/ -run TestGoldenCSV -update
func TestGoldenCSV(t *testing.T) {
	ctx := context.Background()
	s, _ := fixtureStore(t)
	run := runFor(t, s)
	g, out := generator(t, s, reports.Options{Formats: []string{reports.CSV}})
	partnerFiles, err := g.Partner(ctx, run, "p-contoso", fixturePeriod(t))
	if err != nil {
		t.Fatal(err)
	}
	packFiles, err := g.ReviewPack(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]reports.File{"p-contoso_2025-06_6m": partnerFiles, "review_pack": packFiles}
	wantCount := map[string]int{"p-contoso_2025-06_6m": len(reports.Catalog()), "review_pack": len(reports.ReviewCatalog())}
	for dir, files := range cases {
		if len(files) != wantCount[dir] {
			t.Errorf("%s: %d CSV files, want one per report (%d)", dir, len(files), wantCount[dir])
		}
		for _, f := range files {
			t.Run(dir+"/"+f.Name, func(t *testing.T) {
				got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
				if err != nil {
					t.Fatal(err)
				}
				name := strings.Replace(f.Name, "_2025-06_6m", "", 1)
				golden := filepath.Join("testdata", "golden", dir, name)
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", f.Path, golden, got, want)
				}
			})
		}
	}
}
