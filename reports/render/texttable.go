package render

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TextTable builds a table of text columns from rows held in Go, for sheets
// that do not come from a query (the Definitions). The caller releases its
// record like any other.
func TextTable(name string, cols []Column, rows [][]string) (Table, error) {
	fields := make([]arrow.Field, len(cols))
	for j, c := range cols {
		fields[j] = arrow.Field{Name: c.Name, Type: arrow.BinaryTypes.String}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i, r := range rows {
		if len(r) != len(cols) {
			return Table{}, fmt.Errorf("table %q: row %d has %d values, %d columns", name, i+1, len(r), len(cols))
		}
		for j, v := range r {
			b.Field(j).(*array.StringBuilder).Append(v)
		}
	}
	rec := b.NewRecordBatch()
	return Table{Name: name, Columns: cols, Records: []arrow.RecordBatch{rec}, Schema: schema}, nil
}
