package duckstore

import (
	"context"
	"database/sql"
	"fmt"

	sqlfiles "github.com/marketplace-insights/insights/sql"
)

// Table is a small result set read into memory: what the CLI's listings print.
// Reading it whole before printing means an error part-way prints nothing.
type Table struct {
	Columns []string
	Rows    [][]any
}

// ReadTable reads every row of rows (and closes it).
func ReadTable(rows *sql.Rows) (Table, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return Table{}, fmt.Errorf("read columns: %w", err)
	}
	t := Table{Columns: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return Table{}, fmt.Errorf("read row %d: %w", len(t.Rows)+1, err)
		}
		t.Rows = append(t.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return Table{}, err
	}
	return t, nil
}

// ReportTable runs the named query of sql/reports (see sqlfiles.Report) and
// reads its result whole: the listings the CLI prints.
func (s *Store) ReportTable(ctx context.Context, name string, args ...any) (Table, error) {
	q, err := sqlfiles.Report(name)
	if err != nil {
		return Table{}, err
	}
	rows, err := s.Query(ctx, q, args...)
	if err != nil {
		return Table{}, fmt.Errorf("%s: %w", name, err)
	}
	t, err := ReadTable(rows)
	if err != nil {
		return Table{}, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}
