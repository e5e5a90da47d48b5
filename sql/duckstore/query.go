package duckstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Exec runs a statement outside any explicit transaction.
func (s *Store) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	return rowsAffected(s.db.ExecContext(ctx, query, args...))
}

// rowsAffected reads the count of an Exec; a multi-statement script has no
// single count, which is not an error.
func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, nil //nolint:nilerr // see above
	}
	return n, nil
}

// Query runs a read query. The caller closes rows and checks rows.Err.
func (s *Store) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.db.QueryContext(ctx, query, args...)
}

// QueryRow runs a query expected to return at most one row.
func (s *Store) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.db.QueryRowContext(ctx, query, args...)
}

// QueryArrow runs query and hands its result to fn as Arrow record batches.
// The reader is only valid inside fn: the connection is pinned for its life.
func (s *Store) QueryArrow(ctx context.Context, query string, args []any, fn func(array.RecordReader) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("arrow query: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return fmt.Errorf("arrow query: %w", err)
		}
		rr, err := ar.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rr.Release()
		if err := fn(rr); err != nil {
			return err
		}
		return rr.Err()
	})
}
