// Package testkit is what the packages' tests share: a fresh store in a
// temporary folder, fixtures loaded into the raw tables, and query results as
// text to compare. It imports only the store, so any package's tests may use
// it (transform's included).
package testkit

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Open opens a fresh, migrated database in t.TempDir() with the test resource
// limits (one thread, 1 GB); it is closed when the test ends.
func Open(t testing.TB) *duckstore.Store {
	t.Helper()
	s, err := duckstore.Open(context.Background(), duckstore.Config{
		Path: filepath.Join(t.TempDir(), "test.duckdb"), Threads: 1, MemoryLimit: "1GB",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Exec runs statements and fails the test on error.
func Exec(t testing.TB, s *duckstore.Store, q string, args ...any) {
	t.Helper()
	if _, err := s.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// LoadSQL runs a fixture file of SQL statements (INSERTs into the raw tables).
func LoadSQL(t testing.TB, s *duckstore.Store, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Exec(context.Background(), string(b)); err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
}

// LoadCSVDir loads every <table>.csv of dir into the raw table of that name,
// by column name (every value as text, cast by the insert), each as if ingest
// had loaded it: a row in ingest_files (whose hash is part of the transform
// run id) and its _file_id on every row. Tables that people write rather than
// files (noFileID) get no _file_id.
func LoadCSVDir(t testing.TB, s *duckstore.Store, dir string, noFileID ...string) {
	t.Helper()
	ctx := context.Background()
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".csv") {
			continue
		}
		table := strings.TrimSuffix(e.Name(), ".csv")
		fileID := fmt.Sprintf(", %d AS _file_id", i+1)
		for _, n := range noFileID {
			if n == table {
				fileID = ""
			}
		}
		q := fmt.Sprintf(`INSERT INTO %s BY NAME SELECT *%s FROM read_csv(%s, header = true, all_varchar = true)`,
			duckstore.Ident(table), fileID, duckstore.Literal(filepath.Join(dir, e.Name())))
		if _, err := s.Exec(ctx, q); err != nil {
			t.Fatalf("load %s: %v", e.Name(), err)
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Exec(ctx, `INSERT INTO ingest_files VALUES (?, sha256(?), ?, ?, 'csv', 0, 0, 0, 0, TIMESTAMP '2025-07-05 00:00:00')`,
			i+1, string(b), e.Name(), table); err != nil {
			t.Fatal(err)
		}
	}
}

// Rows renders a query's rows as "a|b|c" lines (see Text; NULL is "").
func Rows(t testing.TB, s *duckstore.Store, q string, args ...any) []string {
	t.Helper()
	return RowsNull(t, s, "", q, args...)
}

// RowsNull is Rows with NULL rendered as null (tests that must tell NULL from
// an empty string use "∅").
func RowsNull(t testing.TB, s *duckstore.Store, null, q string, args ...any) []string {
	t.Helper()
	rs, err := s.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			if v == nil {
				cells[i] = null
			} else {
				cells[i] = Text(v)
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Str runs a one-value query and returns the value as text ("" for NULL).
func Str(t testing.TB, s *duckstore.Store, q string, args ...any) string {
	t.Helper()
	var v sql.NullString
	if err := s.QueryRow(context.Background(), "SELECT CAST(("+q+") AS VARCHAR)", args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v.String
}

// Text renders a scanned value: decimals with their full scale, dates as
// YYYY-MM-DD, timestamps to the second, NULL as "".
func Text(v any) string {
	if d, ok := duckstore.DecimalText(v); ok {
		return d
	}
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format("2006-01-02 15:04:05")
	case fmt.Stringer:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

// LogBuffer collects what a logger writes from several goroutines (a server
// under test), for a test to read back.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String is everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
