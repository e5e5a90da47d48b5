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
			err := s.QueryReadOnly(ctx, tc.query, false, func(rows *sql.Rows) error {
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

func TestQueryReadOnlyWithoutFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, Config{Path: filepath.Join(dir, "nf.duckdb")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Exec(ctx, `CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(dir, "x.csv")
	if _, err := s.Exec(ctx, `COPY t TO '`+csvPath+`'`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query   string
		refused bool
	}{
		{`SELECT a FROM t`, false},
		{`SELECT * FROM duckdb_tables() ORDER BY table_name`, false},
		{`SELECT * FROM range(3) r JOIN t ON r.range = t.a`, false},
		{`DESCRIBE t`, false},
		{`SHOW TABLES`, false},
		{`SUMMARIZE t`, false},
		{`SELECT * FROM read_csv('` + csvPath + `')`, true},
		{`SELECT * FROM '` + csvPath + `'`, true},
		{`SELECT * FROM t WHERE a IN (SELECT 1 FROM glob('/etc/*'))`, true},
		{`WITH x AS (SELECT * FROM read_text('` + csvPath + `')) SELECT * FROM x`, true},
		{`PRAGMA table_info('t')`, true},
	} {
		t.Run(tc.query, func(t *testing.T) {
			err := s.QueryReadOnly(ctx, tc.query, true, func(rows *sql.Rows) error {
				for rows.Next() {
				}
				return rows.Err()
			})
			if tc.refused != errors.Is(err, ErrFileAccess) {
				t.Fatalf("err = %v, want refused=%v", err, tc.refused)
			}
			if !tc.refused && err != nil {
				t.Fatal(err)
			}
		})
	}
}
