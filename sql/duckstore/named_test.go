package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
)

// The named helpers find an embedded query by its path, run it on a store or
// a transaction, and name the query in their errors.
func TestNamedQueries(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.Exec(ctx, `INSERT INTO service_secrets VALUES ('k', 'v', TIMESTAMP '2026-01-01 00:00:00')`); err != nil {
		t.Fatal(err)
	}
	t.Run("one row", func(t *testing.T) {
		var v string
		if err := QueryRowNamed(ctx, s, "serve/download/secret_get", []any{"k"}, &v); err != nil || v != "v" {
			t.Fatalf("got %q, %v", v, err)
		}
	})
	t.Run("no row is sql.ErrNoRows", func(t *testing.T) {
		var v string
		if err := QueryRowNamed(ctx, s, "serve/download/secret_get", []any{"none"}, &v); !errors.Is(err, sql.ErrNoRows) {
			t.Fatalf("err %v, want sql.ErrNoRows", err)
		}
	})
	t.Run("rows in a transaction", func(t *testing.T) {
		var n int
		err := s.Tx(ctx, func(ctx context.Context, tx *Tx) error {
			return QueryNamed(ctx, tx, "scheduler/runs_list", func(r *sql.Rows) error { n++; return nil }, "", 10)
		})
		if err != nil || n != 0 {
			t.Fatalf("n=%d err=%v", n, err)
		}
	})
	t.Run("an unknown name says so", func(t *testing.T) {
		_, err := ExecNamed(ctx, s, "serve/nope/missing")
		if err == nil || !strings.Contains(err.Error(), "serve/nope/missing") {
			t.Fatalf("err %v", err)
		}
	})
}
