package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// landing copies fixtures from testdata into a fresh folder (ingest may move
// files to quarantine, and the fixtures must stay put).
func landing(t *testing.T, fixtures ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "landing")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, f, string(b))
	}
	return dir
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// testPartner is the publisher of the test files that name none (the
// tests of the publisher rules pass opts.Partner = noPartner).
const (
	testPartner = "P-test"
	noPartner   = "-"
)

// run ingests paths with a quarantine folder next to them.
func run(t *testing.T, s *duckstore.Store, opts Options, paths ...string) Summary {
	t.Helper()
	switch opts.Partner {
	case "":
		opts.Partner = testPartner
	case noPartner:
		opts.Partner = ""
	}
	if opts.QuarantineDir == "" {
		opts.QuarantineDir = filepath.Join(t.TempDir(), "quarantine")
	}
	sum, err := New(s, nil, opts).Ingest(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// file returns the result for the file with this base name.
func file(t *testing.T, sum Summary, base string) FileResult {
	t.Helper()
	for _, f := range sum.Files {
		if filepath.Base(f.Path) == base {
			return f
		}
	}
	t.Fatalf("no result for %s in %+v", base, sum.Files)
	return FileResult{}
}

// reject is one row of ingest_rejects, as tests compare it.
type reject struct {
	Line   int64
	Column string
	Reason string
	Raw    string
}

func (r reject) String() string {
	return fmt.Sprintf("line %d %s: %s [%s]", r.Line, r.Column, r.Reason, r.Raw)
}

func rejects(t *testing.T, s *duckstore.Store, base string) []reject {
	t.Helper()
	rows, err := s.Query(context.Background(), `SELECT coalesce(line, 0), coalesce(column_name, ''), reason, coalesce(raw, '')
		FROM ingest_rejects WHERE path LIKE '%' || ? ORDER BY line, column_name`, string(filepath.Separator)+base)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []reject
	for rows.Next() {
		var r reject
		if err := rows.Scan(&r.Line, &r.Column, &r.Reason, &r.Raw); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// strings1 runs a query returning one text column, each value rendered by
// DuckDB (CAST AS VARCHAR in the query where needed).
func column(t *testing.T, s *duckstore.Store, query string, args ...any) []string {
	t.Helper()
	rows, err := s.Query(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v.Valid {
			out = append(out, v.String)
		} else {
			out = append(out, "NULL")
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func count(t *testing.T, s *duckstore.Store, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}
