package reports

import (
	"context"
	"fmt"

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

// PartnerColumn leads every partner report's result: one query serves a range
// of partners, ordered by it, and splitPartners cuts the result there.
const PartnerColumn = "partner_id"

// checkColumns fails when the query's columns drifted from the catalog: the
// renderers match columns by position, so a mismatch would mislabel data.
// Partner reports lead with PartnerColumn, which the catalog does not list.
func checkColumns(r Report, s *arrow.Schema) error {
	fields := s.Fields()
	if r.Audience == Partner {
		if len(fields) == 0 || fields[0].Name != PartnerColumn {
			return fmt.Errorf("a partner report's first column must be %s", PartnerColumn)
		}
		fields = fields[1:]
	}
	if len(fields) != len(r.Columns) {
		return fmt.Errorf("query returns %d columns, the catalog describes %d", len(fields), len(r.Columns))
	}
	for i, f := range fields {
		if f.Name != r.Columns[i].Name {
			return fmt.Errorf("column %d is %q, the catalog says %q", i+1, f.Name, r.Columns[i].Name)
		}
	}
	return nil
}

// splitPartners cuts one partner report's result (every partner of a range,
// ordered by partner) into one table per partner, without copying: each
// partner's rows are zero-copy slices of the result's records, with the
// partner column left out. Every partner of ids gets a table (maybe empty);
// rows of a partner not in ids (data naming an unregistered partner) are
// skipped; rows out of partner order are an error. The caller releases the
// tables; t is not released here.
func splitPartners(t render.Table, ids []string) (map[string]render.Table, error) {
	out := make(map[string]render.Table, len(ids))
	var schema *arrow.Schema
	if t.Schema != nil {
		schema = arrow.NewSchema(t.Schema.Fields()[1:], nil)
	}
	for _, id := range ids {
		pt := t // every presentation field of the report's table, none of its rows
		pt.Records, pt.Schema = nil, schema
		out[id] = pt
	}
	fail := func(err error) (map[string]render.Table, error) {
		for _, pt := range out {
			Release(pt)
		}
		return nil, err
	}
	prev, started := "", false
	for _, rec := range t.Records {
		col := rec.Column(0)
		n := int(rec.NumRows())
		cols := rec.Columns()[1:]
		sub := arrow.NewSchema(rec.Schema().Fields()[1:], nil)
		for start := 0; start < n; {
			id := col.ValueStr(start)
			end := start + 1
			for end < n && col.ValueStr(end) == id {
				end++
			}
			if started && id < prev {
				return fail(fmt.Errorf("report %s: rows of partner %q after %q: not ordered by partner", t.Name, id, prev))
			}
			prev, started = id, true
			pt, ok := out[id]
			if !ok {
				start = end
				continue
			}
			sliced := make([]arrow.Array, len(cols))
			for j, c := range cols {
				sliced[j] = array.NewSlice(c, int64(start), int64(end))
			}
			part := array.NewRecordBatch(sub, sliced, int64(end-start))
			for _, c := range sliced {
				c.Release() // the record holds them
			}
			pt.Records = append(pt.Records, part)
			out[id] = pt
			start = end
		}
	}
	return out, nil
}
