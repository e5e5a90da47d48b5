package render

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xuri/excelize/v2"
)

const (
	benchRows  = 200_000
	benchBatch = 2048 // DuckDB's vector size: the batch size a query result arrives in
)

// benchDetail is a detail report as plain Go columns (what a hand-written
// exporter would hold) and as Arrow records (what our renderer gets).
type benchDetail struct {
	strs    [4][]string
	ints    [2][]int64
	money   [3][]decimal128.Num
	moneyF  [3][]float64 // the same amounts as float64, for the raw writer
	dates   [3][]arrow.Date32
	serials [3][]float64 // the same dates as Excel serials, for the raw writer
	table   Table
}

var benchColumns = []Column{
	{Name: "offer", Header: "Offer"},
	{Name: "plan", Header: "Plan"},
	{Name: "country", Header: "Country"},
	{Name: "customer", Header: "Customer"},
	{Name: "quantity", Header: "Quantity", Format: Integer},
	{Name: "orders", Header: "Orders", Format: Integer},
	{Name: "billed", Header: "Billed sales", Format: Money, Currency: "USD"},
	{Name: "charges", Header: "Estimated charges", Format: Money, Currency: "USD"},
	{Name: "unit_price", Header: "Unit price", Format: Money, Currency: "USD"},
	{Name: "month", Header: "Month", Format: Month},
	{Name: "purchased", Header: "Purchased", Format: Date},
	{Name: "term_end", Header: "Term end", Format: Date},
}

func newBenchDetail(b *testing.B) *benchDetail {
	d := &benchDetail{}
	countries := []string{"US", "DE", "FR", "GB", "JP", "IN", "BR", "CA", "AU", "NL"}
	base := int32(day("2024-01-01"))
	for i := range benchRows {
		d.strs[0] = append(d.strs[0], "Contoso Offer "+strconv.Itoa(i%40))
		d.strs[1] = append(d.strs[1], "plan-"+strconv.Itoa(i%7))
		d.strs[2] = append(d.strs[2], countries[i%len(countries)])
		d.strs[3] = append(d.strs[3], "Customer Company "+strconv.Itoa(i*7919%100_000))
		d.ints[0] = append(d.ints[0], int64(i%50+1))
		d.ints[1] = append(d.ints[1], int64(i%3))
		for k := range 3 {
			cents := int64((i*(k+3)*7717)%10_000_000) - 100_000
			n := decimal128.FromI64(cents)
			d.money[k] = append(d.money[k], n)
			d.moneyF[k] = append(d.moneyF[k], float64(cents)/100)
		}
		for k := range 3 {
			dt := arrow.Date32(base + int32((i*(k+1))%540))
			d.dates[k] = append(d.dates[k], dt)
			d.serials[k] = append(d.serials[k], float64(int64(dt)+excelEpochDays))
		}
	}
	fields := make([]arrow.Field, len(benchColumns))
	for j, c := range benchColumns {
		var typ arrow.DataType
		switch {
		case j < 4:
			typ = arrow.BinaryTypes.String
		case j < 6:
			typ = arrow.PrimitiveTypes.Int64
		case j < 9:
			typ = &arrow.Decimal128Type{Precision: 18, Scale: 2}
		default:
			typ = arrow.FixedWidthTypes.Date32
		}
		fields[j] = arrow.Field{Name: c.Name, Type: typ, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	bld := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer bld.Release()
	d.table = Table{Name: "Orders detail", Columns: benchColumns}
	for lo := 0; lo < benchRows; lo += benchBatch {
		hi := min(lo+benchBatch, benchRows)
		for k := range 4 {
			bld.Field(k).(*array.StringBuilder).AppendValues(d.strs[k][lo:hi], nil)
		}
		for k := range 2 {
			bld.Field(4+k).(*array.Int64Builder).AppendValues(d.ints[k][lo:hi], nil)
		}
		for k := range 3 {
			bld.Field(6+k).(*array.Decimal128Builder).AppendValues(d.money[k][lo:hi], nil)
		}
		for k := range 3 {
			bld.Field(9+k).(*array.Date32Builder).AppendValues(d.dates[k][lo:hi], nil)
		}
		d.table.Records = append(d.table.Records, bld.NewRecordBatch())
	}
	b.Cleanup(func() {
		for _, r := range d.table.Records {
			r.Release()
		}
	})
	return d
}

// writeRaw writes the same cells with excelize's StreamWriter directly:
// same widths, styles, header, frozen pane and autofilter, values already
// in the types excelize wants.
func (d *benchDetail) writeRaw(w io.Writer, widths []float64) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Orders detail"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	monthFmt, dateFmt := "yyyy-mm", "yyyy-mm-dd"
	intStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 3})
	moneyStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 4})
	monthStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &monthFmt})
	dateStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	styles := []int{0, 0, 0, 0, intStyle, intStyle, moneyStyle, moneyStyle, moneyStyle, monthStyle, dateStyle, dateStyle}
	if err := f.AutoFilter(sheet, "A1:L"+strconv.Itoa(benchRows+1), nil); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for j := range benchColumns {
		if err := sw.SetColWidth(j+1, j+1, widths[j]); err != nil {
			return err
		}
		if styles[j] != 0 {
			if err := sw.SetColStyle(j+1, j+1, styles[j]); err != nil {
				return err
			}
		}
	}
	if err := sw.SetPanes(&frozenHeader); err != nil {
		return err
	}
	hdr := make([]any, len(benchColumns))
	for j, c := range benchColumns {
		hdr[j] = excelize.Cell{StyleID: header, Value: c.HeaderText()}
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		return err
	}
	row := make([]any, len(benchColumns))
	for i := range benchRows {
		row[0], row[1], row[2], row[3] = d.strs[0][i], d.strs[1][i], d.strs[2][i], d.strs[3][i]
		row[4], row[5] = d.ints[0][i], d.ints[1][i]
		row[6], row[7], row[8] = d.moneyF[0][i], d.moneyF[1][i], d.moneyF[2][i]
		row[9], row[10], row[11] = d.serials[0][i], d.serials[1][i], d.serials[2][i]
		if err := sw.SetRow("A"+strconv.Itoa(i+2), row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// peakHeap samples the live heap while run works and returns its peak above
// the heap before the run (the input data is not counted) and the bytes
// allocated.
func peakHeap(run func() error) (peak, allocated uint64, elapsed time.Duration, err error) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	startAlloc, base := sample[1].Value.Uint64(), sample[0].Value.Uint64()
	peak = base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				metrics.Read(s)
				peak = max(peak, s[0].Value.Uint64())
			}
		}
	}()
	start := time.Now()
	err = run()
	elapsed = time.Since(start)
	close(done)
	wg.Wait()
	metrics.Read(sample)
	return peak - base, sample[1].Value.Uint64() - startAlloc, elapsed, err
}

// BenchmarkWriteXLSX compares WriteXLSX on Arrow records with excelize's
// StreamWriter writing the same cells from plain Go slices. Each side runs
// twice per iteration, interleaved, and the faster run counts, to damp the
// noise of shared CPUs. ratio = ours/raw time; the target is ≤ 1.3.
func BenchmarkWriteXLSX(b *testing.B) {
	d := newBenchDetail(b)
	mem := memory.DefaultAllocator
	summary := trendTable(b, mem, "Summary")
	wb := Workbook{
		Sheets: []Table{summary, d.table},
		Charts: []Chart{{Kind: ChartLine, Title: "Orders", Table: "Summary", Category: "month", Series: []string{"orders"}}},
		Meta:   [][2]string{{"Partner", "bench"}, {"Period", "2025-06"}},
	}
	widths, _ := fitWidths(d.table, benchColumns, true, nil)
	cells := float64(benchRows * len(benchColumns))
	var best [2]time.Duration
	var peaks, allocs [2]uint64
	b.ResetTimer()
	for range b.N {
		for range 2 {
			for side, run := range []func() error{
				func() error { _, err := WriteXLSX(io.Discard, wb, Options{}); return err },
				func() error { return d.writeRaw(io.Discard, widths) },
			} {
				peak, alloc, el, err := peakHeap(run)
				if err != nil {
					b.Fatal(err)
				}
				if best[side] == 0 || el < best[side] {
					best[side] = el
				}
				peaks[side], allocs[side] = max(peaks[side], peak), alloc
			}
		}
	}
	b.StopTimer()
	ratio := best[0].Seconds() / best[1].Seconds()
	b.ReportMetric(cells/best[0].Seconds(), "cells/s")
	b.ReportMetric(cells/best[1].Seconds(), "raw-cells/s")
	b.ReportMetric(ratio, "ours/raw")
	b.ReportMetric(float64(peaks[0])/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peaks[1])/(1<<20), "raw-peak-heap-MB")
	fmt.Fprintf(os.Stdout, "xlsx %d rows x %d cols: ours %v (%.0f cells/s, peak heap %.0f MB, %.0f MB allocated), "+
		"excelize StreamWriter %v (%.0f cells/s, peak heap %.0f MB, %.0f MB allocated), ratio %.2f (target <= 1.3)\n",
		benchRows, len(benchColumns), best[0].Round(time.Millisecond), cells/best[0].Seconds(), float64(peaks[0])/(1<<20), float64(allocs[0])/(1<<20),
		best[1].Round(time.Millisecond), cells/best[1].Seconds(), float64(peaks[1])/(1<<20), float64(allocs[1])/(1<<20), ratio)
}

// BenchmarkWriteCSV times the CSV renderer on the same detail report.
func BenchmarkWriteCSV(b *testing.B) {
	d := newBenchDetail(b)
	cells := float64(benchRows * len(benchColumns))
	b.ResetTimer()
	var el time.Duration
	for range b.N {
		start := time.Now()
		if _, err := WriteCSV(io.Discard, d.table); err != nil {
			b.Fatal(err)
		}
		el += time.Since(start)
	}
	b.ReportMetric(cells*float64(b.N)/el.Seconds(), "cells/s")
}

// BenchmarkWriteParquet times the Parquet renderer on the same detail report.
func BenchmarkWriteParquet(b *testing.B) {
	d := newBenchDetail(b)
	cells := float64(benchRows * len(benchColumns))
	b.ResetTimer()
	var el time.Duration
	for range b.N {
		start := time.Now()
		if _, err := WriteParquet(io.Discard, d.table); err != nil {
			b.Fatal(err)
		}
		el += time.Since(start)
	}
	b.ReportMetric(cells*float64(b.N)/el.Seconds(), "cells/s")
}
