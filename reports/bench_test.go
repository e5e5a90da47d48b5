package reports_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/marketplace-insights/insights/gen"
	"github.com/marketplace-insights/insights/ingest"
	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/reports/render"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// benchScales are the generated marketplaces BenchmarkReports runs on:
// INSIGHTS_BENCH_SCALES="10,30" by default (make bench).
func benchScales(b *testing.B) []int {
	v := os.Getenv("INSIGHTS_BENCH_SCALES")
	if v == "" {
		v = "10,30"
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("INSIGHTS_BENCH_SCALES=%q: want scales like 10,30", v)
		}
		out = append(out, n)
	}
	return out
}

// BenchmarkReports writes every partner's reports (workbook, CSVs, Parquet;
// six-month trend) for generated marketplaces of each scale, with the default
// worker pool (one per core), then has the renderers alone write the same
// files from ready Arrow records with the same number of workers. Setup
// (generate, ingest, transform) is not timed. It prints the time, the time
// per partner (and how it compares between scales: it must not grow with
// other partners' data), peak memory, DuckDB query time, and our time over
// the renderers' alone (target: at most 1.3).
func BenchmarkReports(b *testing.B) {
	if testing.Short() {
		b.Skip("setup takes minutes")
	}
	perPartner := map[int]float64{}
	scales := benchScales(b)
	for _, scale := range scales {
		b.Run(fmt.Sprintf("scale%d", scale), func(b *testing.B) {
			perPartner[scale] = benchReports(b, scale)
		})
	}
	if len(scales) > 1 {
		lo, hi := scales[0], scales[len(scales)-1]
		if perPartner[lo] > 0 {
			fmt.Printf("reports: time per partner at scale %d over scale %d: %.2fx (target <= 1.15x)\n",
				hi, lo, perPartner[hi]/perPartner[lo])
		}
	}
}

// benchReports runs one scale and returns the seconds per partner.
func benchReports(b *testing.B, scale int) float64 {
	ctx := context.Background()
	dir := b.TempDir()
	landing := filepath.Join(dir, "landing")
	t0 := time.Now()
	if _, err := gen.Generate(ctx, landing, gen.Options{Scale: scale, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	s, err := duckstore.Open(ctx, duckstore.Config{Path: filepath.Join(dir, "bench.duckdb"), Threads: 2, MemoryLimit: "2GB"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := ingest.New(s, nil, ingest.Options{QuarantineDir: filepath.Join(dir, "quarantine")}).Ingest(ctx, []string{landing}); err != nil {
		b.Fatal(err)
	}
	asOf := gen.DefaultEnd.AddDate(0, 1, 4) // early in the month after the data: its last month is the report month
	runTransform(b, s, asOf)
	run, err := reports.RunFor(ctx, s, asOf)
	if err != nil {
		b.Fatal(err)
	}
	month, err := reports.LatestCompleteMonth(ctx, s, asOf)
	if err != nil {
		b.Fatal(err)
	}
	p, err := reports.NewPeriod(month, reports.DefaultTrend)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("scale %d setup (generate, ingest, transform): %s", scale, time.Since(t0).Round(time.Second))

	runtime.GC()
	resetPeakRSS()
	peak := sampleHeap()
	b.ResetTimer()
	var g *reports.Generator
	var files []reports.File
	for range b.N {
		if g, err = reports.New(s, nil, filepath.Join(dir, "out"), reports.Options{}); err != nil {
			b.Fatal(err)
		}
		if files, err = g.All(ctx, run, p); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	elapsed := b.Elapsed() / time.Duration(b.N)
	heapPeak := peak()
	rss := peakRSS()
	st := g.Stats()

	base, baseSplit := renderersAlone(b, s, run, p, filepath.Join(dir, "baseline"), runtime.NumCPU())
	ratio := elapsed.Seconds() / base.Seconds()
	perPartner := elapsed.Seconds() / float64(st.Partners)
	b.ReportMetric(float64(st.Partners)/elapsed.Seconds(), "partners/s")
	b.ReportMetric(perPartner*1000, "ms/partner")
	b.ReportMetric(float64(st.Cells)/elapsed.Seconds(), "cells/s")
	b.ReportMetric(float64(heapPeak)/(1<<20), "peak-go-heap-MB")
	b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
	b.ReportMetric(st.QueryTime.Seconds(), "duckdb-s")
	b.ReportMetric(ratio, "reports/renderers")
	fmt.Printf(`reports, scale %d: %d partners, %d files, %d rows, %d xlsx cells in %s (target at scale 30: <= 90 s)
  %.0f ms per partner, %.0f cells/s, %d workers
  DuckDB queries %s (one per report per group of partners, overlapping the rendering) | rendering, summed over workers: xlsx %s, csv %s, parquet %s, waiting for renames, folder sync and manifest %s
  peak Go heap %.0f MB, peak RSS %.0f MB (DuckDB included)
  reports %s vs the renderers alone writing the same files from ready Arrow records %s: %.2fx (target <= 1.3x)
  renderers alone, summed over workers: %s
`, scale, st.Partners, len(files), st.Rows, st.Cells, elapsed.Round(time.Millisecond),
		perPartner*1000, float64(st.Cells)/elapsed.Seconds(), runtime.NumCPU(),
		st.QueryTime.Round(time.Millisecond), st.XLSXTime.Round(time.Millisecond), st.CSVTime.Round(time.Millisecond),
		st.ParqTime.Round(time.Millisecond), st.CommitTime.Round(time.Millisecond), float64(heapPeak)/(1<<20), float64(rss)/(1<<20),
		elapsed.Round(time.Millisecond), base.Round(time.Millisecond), ratio, baseSplit)
	return perPartner
}

// renderersAlone queries every partner's reports (untimed), then times the
// renderers writing each partner's workbook (the same workbook the generator
// writes: Summary, charts, Definitions), CSVs and Parquet files from the ready
// records, with workers goroutines, as the generator does: the cost of
// rendering alone, without queries, hashing, manifest or atomic renames. It
// returns the time and the rendering time per format, summed over workers.
func renderersAlone(b *testing.B, s *duckstore.Store, run reports.Run, p reports.Period, dir string, workers int) (time.Duration, string) {
	ctx := context.Background()
	partners, err := reports.Partners(ctx, s)
	if err != nil {
		b.Fatal(err)
	}
	tables := make([][]render.Table, len(partners))
	for i, pt := range partners {
		for _, r := range reports.Catalog() {
			t, err := reports.Query(ctx, s, r, []any{pt.ID, pt.ID, p.First(), p.Month})
			if err != nil {
				b.Fatal(err)
			}
			tables[i] = append(tables[i], withoutPartner(t))
			reports.Release(t)
		}
	}
	defer func() {
		for _, ts := range tables {
			for _, t := range ts {
				reports.Release(t)
			}
		}
	}()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	var spent [3]atomic.Int64 // xlsx, csv, parquet
	write := func(kind int, name string, f func(io.Writer) error) {
		t0 := time.Now()
		defer func() { spent[kind].Add(int64(time.Since(t0))) }()
		out, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			b.Error(err)
			return
		}
		w := bufio.NewWriterSize(out, 1<<16)
		if err := f(w); err != nil {
			b.Error(err)
		}
		if err := w.Flush(); err != nil {
			b.Error(err)
		}
		if err := out.Close(); err != nil {
			b.Error(err)
		}
	}
	catalog := reports.Catalog()
	jobs := make(chan int)
	var wg sync.WaitGroup
	t0 := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				write(0, fmt.Sprintf("p%d.xlsx", i), func(w io.Writer) error {
					wb, release, err := reports.PartnerWorkbook(run, partners[i], p, tables[i])
					if err != nil {
						return err
					}
					defer release()
					_, err = render.WriteXLSX(w, wb, render.Options{})
					return err
				})
				for k, r := range catalog {
					write(1, fmt.Sprintf("p%d_%s.csv", i, r.Name), func(w io.Writer) error {
						_, err := render.WriteCSV(w, tables[i][k])
						return err
					})
					if r.Parquet {
						write(2, fmt.Sprintf("p%d_%s.parquet", i, r.Name), func(w io.Writer) error {
							_, err := render.WriteParquet(w, tables[i][k])
							return err
						})
					}
				}
			}
		}()
	}
	for i := range partners {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(t0)
	split := fmt.Sprintf("xlsx %s, csv %s, parquet %s",
		time.Duration(spent[0].Load()).Round(time.Millisecond),
		time.Duration(spent[1].Load()).Round(time.Millisecond),
		time.Duration(spent[2].Load()).Round(time.Millisecond))
	return elapsed, split
}

// withoutPartner is t without its leading partner column (records retained).
func withoutPartner(t render.Table) render.Table {
	out := t
	out.Records = nil
	if t.Schema != nil {
		out.Schema = arrow.NewSchema(t.Schema.Fields()[1:], nil)
	}
	for _, rec := range t.Records {
		cols := rec.Columns()[1:]
		out.Records = append(out.Records, array.NewRecordBatch(arrow.NewSchema(rec.Schema().Fields()[1:], nil), cols, rec.NumRows()))
	}
	return out
}

// sampleHeap samples the Go heap every 20ms until the returned func is
// called, which returns the largest value seen.
func sampleHeap() func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return peak.Load()
	}
}

// resetPeakRSS resets the kernel's peak RSS of this process (Linux), so that
// VmHWM measures the timed part only. Elsewhere it does nothing.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is VmHWM (Linux), 0 when unknown.
func peakRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
