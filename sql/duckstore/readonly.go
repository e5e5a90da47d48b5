package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// LibraryVersion is the version of the DuckDB library linked into the program
// (for `insights version`), read from a throw-away in-memory database.
func LibraryVersion(ctx context.Context) (version, sourceID string, err error) {
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return "", "", fmt.Errorf("duckdb version: %w", err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	if err := db.QueryRowContext(ctx, `SELECT library_version, source_id FROM pragma_version()`).Scan(&version, &sourceID); err != nil {
		return "", "", fmt.Errorf("duckdb version: %w", err)
	}
	return version, sourceID, nil
}

// ReadOnly reports whether the store was opened for reading only.
func (s *Store) ReadOnly() bool { return s.cfg.ReadOnly }

// ErrNotReadOnly is returned (wrapped) by QueryReadOnly for a statement it refuses.
var ErrNotReadOnly = errors.New("only one read-only statement is allowed here")

// readOnlyStatements are the statement types QueryReadOnly runs. SET and
// transaction statements are left out: on a shared database they would change
// the server's settings or end the read-only transaction.
var readOnlyStatements = map[duckdb.StmtType]string{
	duckdb.STATEMENT_TYPE_SELECT:  "SELECT",
	duckdb.STATEMENT_TYPE_EXPLAIN: "EXPLAIN",
	duckdb.STATEMENT_TYPE_PRAGMA:  "PRAGMA",
	duckdb.STATEMENT_TYPE_CALL:    "CALL",
}

// QueryReadOnly runs one analyst statement on a read-write store without
// letting it write: it must be a single SELECT, EXPLAIN, PRAGMA or CALL, and
// it runs inside a READ ONLY transaction that is rolled back afterwards. This
// is how `insights sql` keeps its read-only promise when it runs inside the
// service (which holds the database open for writing). On a store opened
// read-only it is a plain query. rows are only valid inside fn.
func (s *Store) QueryReadOnly(ctx context.Context, query string, fn func(*sql.Rows) error) (err error) {
	if s.cfg.ReadOnly {
		rows, err := s.db.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		return fn(rows)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("pin connection: %w", err)
	}
	defer func() {
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("release connection: %w", cerr)
		}
	}()
	if err := conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		st, err := c.Prepare(query) // refuses several statements at once
		if err != nil {
			if strings.Contains(err.Error(), "multi-statement") {
				return fmt.Errorf("%w: several statements given", ErrNotReadOnly)
			}
			return err // a syntax or catalog error, as a direct query would give
		}
		defer st.Close()
		stmt, ok := st.(*duckdb.Stmt)
		if !ok {
			return fmt.Errorf("unexpected driver statement %T", st)
		}
		typ, err := stmt.StatementType()
		if err != nil {
			return err
		}
		if _, ok := readOnlyStatements[typ]; !ok {
			return fmt.Errorf("%w (SELECT, EXPLAIN, PRAGMA or CALL)", ErrNotReadOnly)
		}
		return nil
	}); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION READ ONLY"); err != nil {
		return fmt.Errorf("begin read-only: %w", err)
	}
	defer func() {
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil && err == nil {
			err = fmt.Errorf("end read-only transaction: %w", rerr)
		}
	}()
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	return fn(rows)
}
