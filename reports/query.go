package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/marketplace-insights/insights/reports/render"
	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Query runs one report and returns its result as a table for the renderers.
// The records are retained: the caller releases them with Release.
func Query(ctx context.Context, store *duckstore.Store, r Report, args []any) (render.Table, error) {
	q, err := sqlfiles.Report(r.Name)
	if err != nil {
		return render.Table{}, err
	}
	t := r.table()
	err = store.QueryArrow(ctx, q, args, func(rr array.RecordReader) error {
		if err := checkColumns(r, rr.Schema()); err != nil {
			return err
		}
		t.Schema = rr.Schema()
		for rr.Next() {
			rec := rr.RecordBatch()
			if rec.NumRows() == 0 {
				continue
			}
			rec.Retain() // the reader releases its current batch on Next
			t.Records = append(t.Records, rec)
		}
		return rr.Err()
	})
	if err != nil {
		Release(t)
		return render.Table{}, fmt.Errorf("report %s: %w", r.Name, err)
	}
	return t, nil
}

// Release releases a table's records.
func Release(t render.Table) {
	for _, rec := range t.Records {
		rec.Release()
	}
}

// checkColumns fails when the query's columns drifted from the catalog: the
// renderers match columns by position, so a mismatch would mislabel data.
func checkColumns(r Report, s *arrow.Schema) error {
	if s.NumFields() != len(r.Columns) {
		return fmt.Errorf("query returns %d columns, the catalog describes %d", s.NumFields(), len(r.Columns))
	}
	for i, f := range s.Fields() {
		if f.Name != r.Columns[i].Name {
			return fmt.Errorf("column %d is %q, the catalog says %q", i+1, f.Name, r.Columns[i].Name)
		}
	}
	return nil
}

// timedQuery is Query that adds its duration to *spent.
func timedQuery(ctx context.Context, store *duckstore.Store, r Report, args []any, spent *time.Duration) (render.Table, error) {
	t0 := time.Now()
	t, err := Query(ctx, store, r, args)
	*spent += time.Since(t0)
	return t, err
}
