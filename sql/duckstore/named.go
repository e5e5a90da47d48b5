package duckstore

import (
	"context"
	"database/sql"
	"fmt"

	sqlfiles "github.com/marketplace-insights/insights/sql"
)

// The named-query helpers run one of the embedded queries by its path under
// sql/ ("serve/web/queue", see sqlfiles.Query), so that no package keeps its
// own copy of "look the text up, run it, scan the rows, check rows.Err, wrap
// the error with the query's name".

// Querier is what the named helpers run on: a *Store or a *Tx.
type Querier interface {
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
	Exec(ctx context.Context, query string, args ...any) (int64, error)
}

// QueryNamed runs the named query on q and calls scan for every row.
func QueryNamed(ctx context.Context, q Querier, name string, scan func(*sql.Rows) error, args ...any) error {
	text, err := sqlfiles.Query(name)
	if err != nil {
		return err
	}
	rows, err := q.Query(ctx, text, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// QueryRowNamed runs the named query on q and scans its one row into dest;
// the error is sql.ErrNoRows (unwrapped, so errors.Is finds it) when there is none.
func QueryRowNamed(ctx context.Context, q Querier, name string, args []any, dest ...any) error {
	text, err := sqlfiles.Query(name)
	if err != nil {
		return err
	}
	err = q.QueryRow(ctx, text, args...).Scan(dest...)
	if err != nil && err != sql.ErrNoRows { //nolint:errorlint // Scan returns the sentinel itself
		return fmt.Errorf("%s: %w", name, err)
	}
	return err
}

// ExecNamed runs the named statement on q and returns the rows it changed.
func ExecNamed(ctx context.Context, q Querier, name string, args ...any) (int64, error) {
	text, err := sqlfiles.Query(name)
	if err != nil {
		return 0, err
	}
	n, err := q.Exec(ctx, text, args...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return n, nil
}

// TableNamed runs the named query and reads its result whole (the CLI's listings).
func (s *Store) TableNamed(ctx context.Context, name string, args ...any) (Table, error) {
	text, err := sqlfiles.Query(name)
	if err != nil {
		return Table{}, err
	}
	rows, err := s.Query(ctx, text, args...)
	if err != nil {
		return Table{}, fmt.Errorf("%s: %w", name, err)
	}
	t, err := ReadTable(rows)
	if err != nil {
		return Table{}, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}
