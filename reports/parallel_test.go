package reports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"maps"
	"os"
	"path/filepath"
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
