package duckstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Tx is a transaction on one pinned connection. Pinning matters: temporary
// tables and the appender live on a connection, and they must see (and be
// part of) the same transaction as the statements around them.
type Tx struct {
	conn *sql.Conn
}

// Tx runs fn in one transaction: committed if fn returns nil, rolled back otherwise.
func (s *Store) Tx(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("release connection: %w", cerr)
		}
	}()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{conn: conn}
	defer func() {
		if p := recover(); p != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			panic(p)
		}
	}()
	if err := fn(ctx, tx); err != nil {
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
			return errors.Join(err, fmt.Errorf("rollback: %w", rerr))
		}
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Exec runs a statement (or several separated by ';') and returns rows affected.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	return rowsAffected(t.conn.ExecContext(ctx, query, args...))
}

// Query runs a query inside the transaction. The caller closes rows and checks rows.Err.
func (t *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.conn.QueryContext(ctx, query, args...)
}

// QueryRow runs a query expected to return at most one row.
func (t *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.conn.QueryRowContext(ctx, query, args...)
}

// Append bulk-loads rows into table (all columns, in table order) through
// DuckDB's appender, inside the transaction. fn calls add once per row.
func (t *Tx) Append(ctx context.Context, table string, fn func(add func(values ...driver.Value) error) error) error {
	return t.conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
		if err != nil {
			return fmt.Errorf("append to %s: %w", table, err)
		}
		ferr := fn(func(values ...driver.Value) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return a.AppendRow(values...)
		})
		cerr := a.Close() // Close flushes
		if ferr != nil {
			return fmt.Errorf("append to %s: %w", table, ferr)
		}
		if cerr != nil {
			return fmt.Errorf("append to %s: flush: %w", table, cerr)
		}
		return nil
	})
}
