package render

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// readParquet reads a whole Parquet file back as an Arrow table.
func readParquet(t *testing.T, data []byte, mem memory.Allocator) arrow.Table {
	t.Helper()
	tbl, err := pqarrow.ReadTable(context.Background(), bytes.NewReader(data), nil, pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		t.Fatalf("read parquet: %v", err)
	}
	t.Cleanup(tbl.Release)
	return tbl
}

// sameFields compares names, types and nullability; the reader adds
// Parquet field ids as metadata.
func sameFields(a, b *arrow.Schema) bool {
	if a.NumFields() != b.NumFields() {
		return false
	}
	for i := range a.NumFields() {
		fa, fb := a.Field(i), b.Field(i)
		ta, tb := fa.Type, fb.Type
		da, okA := ta.(*arrow.DictionaryType)
		db, okB := tb.(*arrow.DictionaryType)
		if okA && okB { // Parquet does not keep the index width
			ta, tb = da.ValueType, db.ValueType
		}
		if fa.Name != fb.Name || fa.Nullable != fb.Nullable || !arrow.TypeEqual(ta, tb) {
			return false
		}
	}
	return true
}

// sameValues compares two columns row by row through their text form, which
// is exact for every type here (decimals print all their digits).
func sameValues(a, b *arrow.Chunked) bool {
	flat := func(c *arrow.Chunked) []string {
		var out []string
		for _, ch := range c.Chunks() {
			for i := range ch.Len() {
				if ch.IsNull(i) {
					out = append(out, "<null>")
				} else {
					out = append(out, ch.ValueStr(i))
				}
			}
		}
		return out
	}
	fa, fb := flat(a), flat(b)
	return len(fa) == len(fb) && strings.Join(fa, "\x00") == strings.Join(fb, "\x00")
}

func TestWriteParquetRoundTrip(t *testing.T) {
	mem := newAlloc(t)
	recs := ordersRecords(t, mem)
	var buf bytes.Buffer
	st, err := WriteParquet(&buf, Table{Name: "Orders", Columns: ordersColumns, Records: recs})
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 4 || st.Cells != 44 {
		t.Errorf("stats = %+v", st)
	}
	got := readParquet(t, buf.Bytes(), mem)
	if !sameFields(got.Schema(), ordersSchema) {
		t.Fatalf("schema:\n%s\nwant:\n%s", got.Schema(), ordersSchema)
	}
	want := array.NewTableFromRecords(ordersSchema, recs)
	defer want.Release()
	for j := range int(want.NumCols()) {
		t.Run(ordersSchema.Field(j).Name, func(t *testing.T) {
			if !sameValues(got.Column(j).Data(), want.Column(j).Data()) {
				t.Errorf("column differs:\ngot  %v\nwant %v", got.Column(j).Data().Chunks(), want.Column(j).Data().Chunks())
			}
		})
	}
	// Decimals come back as decimals with their exact digits.
	billed := got.Column(3).Data().Chunk(0).(*array.Decimal128)
	if s := string(appendDecimal128(nil, billed.Value(1), 2)); s != "-0.05" {
		t.Errorf("billed[1] = %s, want -0.05", s)
	}
}

func TestWriteParquetRowGroups(t *testing.T) {
	mem := newAlloc(t)
	// Many small batches (as a query returns them) go into one row group.
	var recs []arrow.RecordBatch
	for range 5 {
		recs = append(recs, seqTable(t, mem, "s", 3).Records[0])
	}
	var buf bytes.Buffer
	if _, err := WriteParquet(&buf, Table{Name: "s", Records: recs}); err != nil {
		t.Fatal(err)
	}
	r, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.NumRowGroups() != 1 || r.NumRows() != 15 {
		t.Errorf("%d row groups, %d rows; want 1 and 15", r.NumRowGroups(), r.NumRows())
	}
}

func TestWriteParquetEmpty(t *testing.T) {
	mem := newAlloc(t)
	seq := seqTable(t, mem, "s", 1)
	t.Run("with schema", func(t *testing.T) {
		var buf bytes.Buffer
		st, err := WriteParquet(&buf, Table{Name: "e", Schema: seq.Records[0].Schema()})
		if err != nil {
			t.Fatal(err)
		}
		got := readParquet(t, buf.Bytes(), mem)
		if st.Rows != 0 || got.NumRows() != 0 || !sameFields(got.Schema(), seq.Records[0].Schema()) {
			t.Errorf("rows %d/%d, schema %s", st.Rows, got.NumRows(), got.Schema())
		}
	})
	t.Run("without schema", func(t *testing.T) {
		_, err := WriteParquet(&bytes.Buffer{}, Table{Name: "e"})
		if err == nil || !strings.Contains(err.Error(), "no schema") {
			t.Errorf("err = %v, want a missing-schema error", err)
		}
	})
	t.Run("mixed schemas", func(t *testing.T) {
		other := trendTable(t, mem, "t").Records[0]
		_, err := WriteParquet(&bytes.Buffer{}, Table{Name: "m", Records: []arrow.RecordBatch{seq.Records[0], other}})
		if err == nil || !strings.Contains(err.Error(), "record 1") {
			t.Errorf("err = %v, want a schema mismatch", err)
		}
	})
}
