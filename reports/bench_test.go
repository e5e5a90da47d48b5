package reports_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/xuri/excelize/v2"

	"github.com/marketplace-insights/insights/gen"
	"github.com/marketplace-insights/insights/ingest"
	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/reports/render"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// BenchmarkReportsScale10 writes every partner's reports (workbook, CSVs,
// Parquet; June-style six-month trend) for a generated scale-10 marketplace,
// then has excelize's StreamWriter write the same workbook cells directly.
// Setup (generate, ingest, transform) is not timed. Run with `make bench`
// (one iteration). It prints partners/s, cells/s, peak memory, DuckDB query
// time apart, and xlsx time / excelize time (target: at most 1.3).
func BenchmarkReportsScale10(b *testing.B) {
	if testing.Short() {
		b.Skip("scale-10 setup takes minutes")
	}
	ctx := context.Background()
	dir := b.TempDir()
	landing := filepath.Join(dir, "landing")
	t0 := time.Now()
	if _, err := gen.Generate(ctx, landing, gen.Options{Scale: 10, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	s, err := duckstore.Open(ctx, duckstore.Config{Path: filepath.Join(dir, "bench.duckdb"), Threads: 2, MemoryLimit: "2GB"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := ingest.New(s, nil, ingest.Options{}).Ingest(ctx, []string{landing}); err != nil {
		b.Fatal(err)
	}
	asOf := gen.DefaultEnd.AddDate(0, 1, 4) // early in the month after the data: its last month is the report month
	runTransform(b, s, asOf)
	run, err := reports.RunFor(ctx, s, asOf)
	if err != nil {
		b.Fatal(err)
	}
	p, err := reports.NewPeriod(reports.LatestCompleteMonth(asOf), reports.DefaultTrend)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("setup (generate, ingest, transform): %s", time.Since(t0).Round(time.Second))

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

	base, cells := excelizeBaseline(b, s, p, filepath.Join(dir, "baseline"))
	ratio := st.XLSXTime.Seconds() / base.Seconds()
	b.ReportMetric(float64(st.Partners)/elapsed.Seconds(), "partners/s")
	b.ReportMetric(float64(st.Cells)/elapsed.Seconds(), "cells/s")
	b.ReportMetric(float64(heapPeak)/(1<<20), "peak-go-heap-MB")
	b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
	b.ReportMetric(st.QueryTime.Seconds(), "duckdb-s")
	b.ReportMetric(ratio, "xlsx/excelize")
	fmt.Printf(`reports, scale 10: %d partners, %d files, %d rows, %d xlsx cells in %s
  %.2f partners/s, %.0f cells/s (xlsx cells over the whole run)
  DuckDB queries %s | xlsx %s | csv %s | parquet %s
  peak Go heap %.0f MB, peak RSS %.0f MB (DuckDB included)
  xlsx %s vs excelize StreamWriter %s for the same %d cells: %.2fx (target <= 1.3x)
`, st.Partners, len(files), st.Rows, st.Cells, elapsed.Round(time.Millisecond),
		float64(st.Partners)/elapsed.Seconds(), float64(st.Cells)/elapsed.Seconds(),
		st.QueryTime.Round(time.Millisecond), st.XLSXTime.Round(time.Millisecond), st.CSVTime.Round(time.Millisecond),
		st.ParqTime.Round(time.Millisecond), float64(heapPeak)/(1<<20), float64(rss)/(1<<20),
		st.XLSXTime.Round(time.Millisecond), base.Round(time.Millisecond), cells, ratio)
}

// excelizeBaseline writes, for every partner, one workbook with one streamed
// sheet per report holding the same header and cells as ours (strings,
// integers, and numbers for decimals, dates and timestamps), and returns the
// time excelize took (queries and cell preparation excluded) and the cells.
func excelizeBaseline(b *testing.B, s *duckstore.Store, p reports.Period, dir string) (time.Duration, int64) {
	ctx := context.Background()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	partners, err := reports.Partners(ctx, s)
	if err != nil {
		b.Fatal(err)
	}
	var spent time.Duration
	var cells int64
	for i, pt := range partners {
		type sheet struct {
			name   string
			header []any
			rows   [][]any
		}
		var sheets []sheet
		for _, r := range reports.Catalog() {
			t, err := reports.Query(ctx, s, r, []any{pt.ID, pt.ID, p.First(), p.Month})
			if err != nil {
				b.Fatal(err)
			}
			sh := sheet{name: render.SanitizeSheetName(r.Sheet)}
			for _, c := range r.Columns {
				sh.header = append(sh.header, c.HeaderText())
			}
			for _, rec := range t.Records {
				for row := range int(rec.NumRows()) {
					vals := make([]any, rec.NumCols()-1)
					for j := range vals {
						vals[j] = cellValue(rec.Column(j+1), row) // after the partner column
					}
					sh.rows = append(sh.rows, vals)
				}
			}
			cells += int64(len(sh.rows) * len(sh.header))
			reports.Release(t)
			sheets = append(sheets, sh)
		}
		t0 := time.Now()
		f := excelize.NewFile()
		for k, sh := range sheets {
			if k == 0 {
				if err := f.SetSheetName("Sheet1", sh.name); err != nil {
					b.Fatal(err)
				}
			} else if _, err := f.NewSheet(sh.name); err != nil {
				b.Fatal(err)
			}
			sw, err := f.NewStreamWriter(sh.name)
			if err != nil {
				b.Fatal(err)
			}
			if err := sw.SetRow("A1", sh.header); err != nil {
				b.Fatal(err)
			}
			for r, vals := range sh.rows {
				if err := sw.SetRow("A"+strconv.Itoa(r+2), vals); err != nil {
					b.Fatal(err)
				}
			}
			if err := sw.Flush(); err != nil {
				b.Fatal(err)
			}
		}
		if err := f.SaveAs(filepath.Join(dir, fmt.Sprintf("p%d.xlsx", i))); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		spent += time.Since(t0)
	}
	return spent, cells
}

// cellValue is the value our renderer writes for a cell, near enough:
// strings, integers, and float64 for decimals and date serials.
func cellValue(c arrow.Array, i int) any {
	if c.IsNull(i) {
		return nil
	}
	switch a := c.(type) {
	case *array.String:
		return strings.Clone(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Boolean:
		return a.Value(i)
	case *array.Decimal128:
		return a.Value(i).ToFloat64(c.DataType().(*arrow.Decimal128Type).Scale)
	case *array.Date32:
		return float64(a.Value(i)) + 25569
	case *array.Timestamp:
		return float64(a.Value(i))/86400e6 + 25569
	}
	return c.ValueStr(i)
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
