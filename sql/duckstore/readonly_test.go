package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"regexp"
	"testing"
)

func TestLibraryVersion(t *testing.T) {
	v, src, err := LibraryVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^v\d+\.\d+\.\d+`).MatchString(v) || src == "" {
		t.Fatalf("version %q source %q", v, src)
	}
}

func TestQueryReadOnly(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "ro.duckdb")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Exec(ctx, `CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2)`); err != nil {
		t.Fatal(err)
	}
	count := func(rows *sql.Rows) (n int, err error) {
		for rows.Next() {
			n++
		}
		return n, rows.Err()
	}
	for _, tc := range []struct {
		name, query string
		refused     bool // refused before running
		fails       bool // runs and fails
	}{
		{"select", `SELECT a FROM t ORDER BY a`, false, false},
		{"pragma", `PRAGMA table_info('t')`, false, false},
		{"describe", `DESCRIBE t`, false, false},
		{"insert", `INSERT INTO t VALUES (3)`, true, false},
		{"delete", `DELETE FROM t`, true, false},
		{"two statements", `COMMIT; DELETE FROM t`, true, false},
		{"set", `SET threads = 64`, true, false},
		{"write through a function", `SELECT * FROM t; DROP TABLE t`, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.QueryReadOnly(ctx, tc.query, func(rows *sql.Rows) error {
				_, err := count(rows)
				return err
			})
			switch {
			case tc.refused && !errors.Is(err, ErrNotReadOnly):
				t.Fatalf("%s: err = %v, want ErrNotReadOnly", tc.query, err)
			case !tc.refused && !tc.fails && err != nil:
				t.Fatalf("%s: %v", tc.query, err)
			}
		})
	}
	var n int
	if err := s.QueryRow(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("table t has %d rows (%v) after the read-only queries, want 2", n, err)
	}
	var threads string
	if err := s.QueryRow(ctx, `SELECT current_setting('threads')`).Scan(&threads); err != nil || threads != "2" {
		t.Fatalf("threads = %s (%v), want 2", threads, err)
	}
}
