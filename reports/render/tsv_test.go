package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// TestWriteTSV: the CSV rules with a tab between fields; a field holding a
// tab is quoted, a comma is not.
func TestWriteTSV(t *testing.T) {
	mem := newAlloc(t)
	var csvBuf, tsvBuf bytes.Buffer
	tbl := Table{Name: "Orders by offer", Columns: ordersColumns, Records: ordersRecords(t, mem)}
	if _, err := WriteCSV(&csvBuf, tbl); err != nil {
		t.Fatal(err)
	}
	st, err := WriteTSV(&tsvBuf, tbl)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 4 || strings.Contains(tsvBuf.String(), ",\"") {
		t.Fatalf("stats %+v\n%s", st, tsvBuf.String())
	}
	// Without commas or tabs in the values, TSV is the CSV with tabs.
	if !strings.Contains(csvBuf.String(), `"`) && strings.ReplaceAll(csvBuf.String(), ",", "\t") != tsvBuf.String() {
		t.Fatalf("csv\n%s\ntsv\n%s", csvBuf.String(), tsvBuf.String())
	}

	schema := arrow.NewSchema([]arrow.Field{{Name: "Name", Type: arrow.BinaryTypes.String}}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"a\tb", "c,d", `say "hi"`, "=1+1"}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()
	tsvBuf.Reset()
	if _, err := WriteTSV(&tsvBuf, Table{Name: "T", Records: []arrow.RecordBatch{rec}}); err != nil {
		t.Fatal(err)
	}
	want := "Name\r\n\"a\tb\"\r\nc,d\r\n\"say \"\"hi\"\"\"\r\n'=1+1\r\n"
	if tsvBuf.String() != want {
		t.Fatalf("got %q, want %q", tsvBuf.String(), want)
	}
}
