package duckstore

import (
	"database/sql"
	"fmt"
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
