package duckstore

import (
	"context"
	"database/sql"
	"encoding/json"
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
//
// noFiles keeps the statement from reading files (read_csv, glob, FROM
// 'file.csv', …): a store opened with Config.NoFiles enforces it itself; on a
// shared read-write store the statement's syntax tree is checked instead (one
// SELECT, DESCRIBE, SHOW or SUMMARIZE whose table functions are the catalog's
// own and whose tables are tables, not paths).
func (s *Store) QueryReadOnly(ctx context.Context, query string, noFiles bool, fn func(*sql.Rows) error) (err error) {
	if s.cfg.ReadOnly && (s.cfg.NoFiles || !noFiles) {
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
	if noFiles && !s.cfg.NoFiles {
		if err := checkNoFiles(ctx, conn, query); err != nil {
			return err
		}
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

// ErrFileAccess is returned (wrapped) by QueryReadOnly for a statement that
// would read files when that is not allowed.
var ErrFileAccess = errors.New("the statement reads files, which is off here (--allow-files turns it on)")

// catalogFunctions are the table functions a no-files statement may call: they
// read the database's own catalog or make values, never files.
var catalogFunctions = []string{"duckdb_", "pragma_", "range", "generate_series", "unnest", "json_each", "json_tree"}

// checkNoFiles parses query with DuckDB's own parser (json_serialize_sql) and
// refuses table functions outside catalogFunctions and tables named like paths.
func checkNoFiles(ctx context.Context, conn *sql.Conn, query string) error {
	var text string
	if err := conn.QueryRowContext(ctx, `SELECT CAST(json_serialize_sql(CAST(? AS VARCHAR)) AS VARCHAR)`, query).Scan(&text); err != nil {
		return fmt.Errorf("check the statement: %w", err)
	}
	var tree any
	if err := json.Unmarshal([]byte(text), &tree); err != nil {
		return fmt.Errorf("check the statement: %w", err)
	}
	if m, ok := tree.(map[string]any); ok && m["error"] == true {
		// Not a SELECT (PRAGMA, EXPLAIN, CALL): its effects cannot be checked.
		return fmt.Errorf("%w: only SELECT, DESCRIBE, SHOW and SUMMARIZE are checked (%v)", ErrFileAccess, m["error_message"])
	}
	return walkNoFiles(tree)
}

func walkNoFiles(v any) error {
	switch x := v.(type) {
	case map[string]any:
		switch x["type"] {
		case "TABLE_FUNCTION":
			name := ""
			if f, ok := x["function"].(map[string]any); ok {
				name, _ = f["function_name"].(string)
			}
			if !isCatalogFunction(name) {
				return fmt.Errorf("%w: table function %s", ErrFileAccess, name)
			}
		case "BASE_TABLE":
			if name, _ := x["table_name"].(string); strings.ContainsAny(name, "/\\.:*?") {
				return fmt.Errorf("%w: %q is a path, not a table", ErrFileAccess, name)
			}
		}
		for _, c := range x {
			if err := walkNoFiles(c); err != nil {
				return err
			}
		}
	case []any:
		for _, c := range x {
			if err := walkNoFiles(c); err != nil {
				return err
			}
		}
	}
	return nil
}

func isCatalogFunction(name string) bool {
	name = strings.ToLower(name)
	for _, p := range catalogFunctions {
		if name == p || (strings.HasSuffix(p, "_") && strings.HasPrefix(name, p)) {
			return true
		}
	}
	return false
}
