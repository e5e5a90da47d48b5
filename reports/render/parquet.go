package render

import (
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parquetRowGroup bounds the rows buffered per row group: big enough for
// efficient scans, small enough to keep a detail report's memory modest.
const parquetRowGroup = 128 * 1024

// WriteParquet writes t's records as a Parquet file through pqarrow, with
// the schema of the records (decimals stay decimals, dates stay dates) stored
// so that Arrow readers get the same types back. Table.Columns play no part:
// Parquet is for machines. An empty table needs Table.Schema.
func WriteParquet(w io.Writer, t Table) (Stats, error) {
	var st Stats
	schema, err := t.schema()
	if err != nil {
		return st, fmt.Errorf("parquet: %w", err)
	}
	if schema == nil {
		return st, fmt.Errorf("parquet: table %q has no records and no schema", t.Name)
	}
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithMaxRowGroupLength(parquetRowGroup),
		parquet.WithCreatedBy("marketplace-insights"), // no library version: same input, same bytes
	)
	fw, err := pqarrow.NewFileWriter(schema, w, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return st, fmt.Errorf("parquet: table %q: %w", t.Name, err)
	}
	for i, rec := range t.Records {
		if rec.NumRows() == 0 {
			continue
		}
		if err := fw.WriteBuffered(rec); err != nil {
			return st, errors.Join(fmt.Errorf("parquet: table %q record %d: %w", t.Name, i, err), fw.Close())
		}
		st.Rows += rec.NumRows()
	}
	if err := fw.Close(); err != nil {
		return st, fmt.Errorf("parquet: table %q: close: %w", t.Name, err)
	}
	st.Cells = st.Rows * int64(schema.NumFields())
	return st, nil
}
