package reports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/reports"
)

// TestParallelOutputIsSerialOutput renders every partner's files with one
// worker and one query pass (serial), then with several workers and with the
// partners split over several query passes: every CSV and Parquet file must
// be byte for byte the same, every workbook hold the same parts (excelize
// orders the zip entries differently from one save to the next, even
// serially), and the files come back in the same order.
func TestParallelOutputIsSerialOutput(t *testing.T) {
	ctx := context.Background()
	s, _ := fixtureStore(t)
	run := runFor(t, s)
	p := fixturePeriod(t)
	render := func(opt reports.Options) (map[string][]byte, []reports.File) {
		t.Helper()
		g, out := generator(t, s, opt)
		files, err := g.All(ctx, run, p)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]byte{}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
			if err != nil {
				t.Fatal(err)
			}
			got[f.Path] = b
		}
		return got, files
	}
	serial, serialFiles := render(reports.Options{Workers: 1})
	formats := map[string]int{}
	for _, f := range serialFiles {
		formats[f.Format]++
	}
	if formats[reports.CSV] == 0 || formats[reports.Parquet] == 0 || formats[reports.XLSX] < 3 {
		t.Fatalf("serial run wrote too little to compare: %v", formats)
	}
	for _, tc := range []struct {
		name string
		opt  reports.Options
	}{
		{"4 workers", reports.Options{Workers: 4}},
		{"3 workers, 2 partners per query", reports.Options{Workers: 3, PartnersPerQuery: 2}},
		{"1 worker, 1 partner per query", reports.Options{Workers: 1, PartnersPerQuery: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, files := render(tc.opt)
			if len(files) != len(serialFiles) {
				t.Fatalf("%d files, serial %d", len(files), len(serialFiles))
			}
			for i, f := range files {
				if f.Path != serialFiles[i].Path {
					t.Fatalf("file %d: %s, serial %s", i, f.Path, serialFiles[i].Path)
				}
				if f.Format == reports.XLSX {
					if !maps.Equal(zipParts(t, got[f.Path]), zipParts(t, serial[f.Path])) {
						t.Errorf("%s: the workbook's parts differ from the serial run's", f.Path)
					}
					continue
				}
				if f.SHA256 != serialFiles[i].SHA256 || !bytes.Equal(got[f.Path], serial[f.Path]) {
					t.Errorf("%s differs from the serial run", f.Path)
				}
			}
		})
	}
}

// TestAllGoesOnPastAFailedPartner: with the partners split over several
// query passes, a partner whose files cannot be written fails alone, naming
// itself; every other partner, before and after it, gets all its files, and
// progress reaches every partner once, in order.
func TestAllGoesOnPastAFailedPartner(t *testing.T) {
	ctx := context.Background()
	s, _ := fixtureStore(t)
	run := runFor(t, s)
	p := fixturePeriod(t)
	partners, err := reports.Partners(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(partners) < 3 {
		t.Fatalf("the fixtures have %d partners; the test needs 3", len(partners))
	}
	victim := partners[1].ID
	var progress []int
	g, out := generator(t, s, reports.Options{Workers: 2, PartnersPerQuery: 1, Formats: []string{reports.CSV},
		Progress: func(done, total int) { progress = append(progress, done) }})
	// The victim's folder is a file, so nothing can be written into it.
	dir := filepath.Join(out, run.AsOf.Format("2006-01-02"), victim)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := g.All(ctx, run, p)
	if err == nil || !strings.Contains(err.Error(), victim) {
		t.Fatalf("err = %v, want one naming %s", err, victim)
	}
	perPartner := map[string]int{}
	for _, f := range files {
		perPartner[f.PartnerID]++
	}
	want := len(reports.Catalog())
	for _, pt := range partners {
		if got := perPartner[pt.ID]; (pt.ID == victim && got != 0) || (pt.ID != victim && got != want) {
			t.Errorf("%s: %d files, want %d", pt.ID, got, map[bool]int{true: 0, false: want}[pt.ID == victim])
		}
	}
	if len(progress) != len(partners) || progress[len(progress)-1] != len(partners) {
		t.Errorf("progress %v, want 1..%d", progress, len(partners))
	}
	if st := g.Stats(); st.Partners != len(partners)-1 {
		t.Errorf("stats count %d partners done, want %d", st.Partners, len(partners)-1)
	}
}

// zipParts reads a workbook's parts: name → content.
func zipParts(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		if err := rc.Close(); err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(b)
	}
	if len(parts) == 0 {
		t.Fatal("empty workbook")
	}
	return parts
}

// TestWorkersMustNotBeNegative: the options are validated.
func TestWorkersMustNotBeNegative(t *testing.T) {
	s, _ := fixtureStore(t)
	for _, opt := range []reports.Options{{Workers: -1}, {PartnersPerQuery: -1}} {
		if _, err := reports.New(s, nil, t.TempDir(), opt); err == nil {
			t.Errorf("%+v accepted", opt)
		}
	}
}
