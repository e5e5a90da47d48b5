package render

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// newAlloc returns an allocator that fails the test if a record built from
// it is still referenced when the test ends.
func newAlloc(t testing.TB) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

func release(t testing.TB, recs ...arrow.RecordBatch) {
	t.Cleanup(func() {
		for _, r := range recs {
			r.Release()
		}
	})
}

func dec(t testing.TB, s string, prec, scale int32) decimal128.Num {
	t.Helper()
	n, err := decimal128.FromString(s, prec, scale)
	if err != nil {
		t.Fatalf("decimal %q: %v", s, err)
	}
	return n
}

func day(s string) arrow.Date32 {
	tm, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return arrow.Date32FromTime(tm)
}

// ordersSchema resembles a DuckDB result: VARCHAR, a dictionary-encoded
// ENUM, BIGINT, DECIMAL(18,2), DOUBLE, DATE, TIMESTAMPTZ, BOOLEAN, a large
// string and HUGEINT-like DECIMAL(38,0).
var ordersSchema = arrow.NewSchema([]arrow.Field{
	{Name: "offer", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "country", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}, Nullable: true},
	{Name: "orders", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "billed", Type: &arrow.Decimal128Type{Precision: 18, Scale: 2}, Nullable: true},
	{Name: "share", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "month", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "purchased", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "event_at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	{Name: "is_new", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "note", Type: arrow.BinaryTypes.LargeString, Nullable: true},
	{Name: "quantity", Type: &arrow.Decimal128Type{Precision: 38, Scale: 0}, Nullable: true},
}, nil)

var ordersColumns = []Column{
	{Name: "offer", Header: "Offer"},
	{Name: "country", Header: "Country"},
	{Name: "orders", Header: "Orders", Format: Integer},
	{Name: "billed", Header: "Billed sales", Format: Money, Currency: "USD"},
	{Name: "share", Header: "Share", Format: Percent},
	{Name: "month", Header: "Month", Format: Month},
	{Name: "purchased", Header: "Purchased", Format: Date},
	{Name: "event_at", Header: "Event time", Format: Timestamp},
	{Name: "is_new", Header: "New customer"},
	{Name: "note", Header: "Note"},
	{Name: "quantity", Header: "Quantity", Format: Integer},
}

// ordersRecords returns the fixture in two batches (3 rows + 1 row), the
// way a query result arrives, with a null in every column of row 3.
func ordersRecords(t testing.TB, mem memory.Allocator) []arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, ordersSchema)
	defer b.Release()
	ts := func(s string) arrow.Timestamp {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return arrow.Timestamp(tm.UnixMicro())
	}
	add := func(offer, country string, orders int64, billed string, share float64, month, purchased, event string, isNew bool, note, qty string) {
		b.Field(0).(*array.StringBuilder).Append(offer)
		if err := b.Field(1).(*array.BinaryDictionaryBuilder).AppendString(country); err != nil {
			t.Fatal(err)
		}
		b.Field(2).(*array.Int64Builder).Append(orders)
		b.Field(3).(*array.Decimal128Builder).Append(dec(t, billed, 18, 2))
		b.Field(4).(*array.Float64Builder).Append(share)
		b.Field(5).(*array.Date32Builder).Append(day(month))
		b.Field(6).(*array.Date32Builder).Append(day(purchased))
		b.Field(7).(*array.TimestampBuilder).Append(ts(event))
		b.Field(8).(*array.BooleanBuilder).Append(isNew)
		b.Field(9).(*array.LargeStringBuilder).Append(note)
		b.Field(10).(*array.Decimal128Builder).Append(dec(t, qty, 38, 0))
	}
	add("Contoso CRM", "US", 1234, "1234.50", 0.125, "2025-06-01", "2025-06-03", "2025-06-03T14:05:06Z", true, "plain", "7")
	add("Fabrikam, \"Pro\"", "DE", -3, "-0.05", 1, "2025-05-01", "2025-05-31", "2025-05-31T23:59:59.5Z", false, "line1\nline2", "123456789012345678901234567890")
	for i := range b.Fields() {
		b.Field(i).AppendNull()
	}
	first := b.NewRecordBatch()
	add("Tailspin 東京", "JP", 0, "99999999.99", 0.5, "2025-04-01", "1899-12-31", "2025-04-01T00:00:00Z", true, "", "0")
	second := b.NewRecordBatch()
	recs := []arrow.RecordBatch{first, second}
	release(t, recs...)
	return recs
}

// trendTable is a six-month trend: month, orders and money.
func trendTable(t testing.TB, mem memory.Allocator, name string) Table {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "month", Type: arrow.FixedWidthTypes.Date32},
		{Name: "orders", Type: arrow.PrimitiveTypes.Int64},
		{Name: "billed", Type: &arrow.Decimal128Type{Precision: 18, Scale: 2}},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for i, m := range []string{"2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01"} {
		b.Field(0).(*array.Date32Builder).Append(day(m))
		b.Field(1).(*array.Int64Builder).Append(int64(10 + i))
		b.Field(2).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(100000 * (i + 1))))
	}
	rec := b.NewRecordBatch()
	release(t, rec)
	return Table{Name: name, Records: []arrow.RecordBatch{rec}, Columns: []Column{
		{Name: "month", Header: "Month", Format: Month},
		{Name: "orders", Header: "Orders", Format: Integer},
		{Name: "billed", Header: "Billed sales", Format: Money, Currency: "USD"},
	}}
}

// seqTable has n rows: id 1..n and a label.
func seqTable(t testing.TB, mem memory.Allocator, name string, n int) Table {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "label", Type: arrow.BinaryTypes.String},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for i := 1; i <= n; i++ {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		b.Field(1).(*array.StringBuilder).Append("row " + string(rune('a'+i-1)))
	}
	rec := b.NewRecordBatch()
	release(t, rec)
	return Table{Name: name, Records: []arrow.RecordBatch{rec}}
}
