package duckstore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), Config{Path: filepath.Join(t.TempDir(), "t.duckdb"), Threads: 1, MemoryLimit: "512MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestOpenAppliesEveryMigrationOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.duckdb")
	for i := 0; i < 2; i++ {
		s, err := Open(ctx, Config{Path: path, Threads: 1, MemoryLimit: "512MB"}, nil)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var n int
		if err := s.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatal("no migration recorded")
		}
		var threads, limit string
		if err := s.QueryRow(ctx, `SELECT current_setting('threads')::VARCHAR, current_setting('memory_limit')`).Scan(&threads, &limit); err != nil {
			t.Fatal(err)
		}
		if threads != "1" || !strings.Contains(limit, "MiB") && !strings.Contains(limit, "MB") {
			t.Fatalf("settings threads=%s memory_limit=%s", threads, limit)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTxRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.Exec(ctx, `CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := s.Tx(ctx, func(ctx context.Context, tx *Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO t VALUES (1)`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	var n int
	if err := s.QueryRow(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("rolled-back insert is visible: %d rows", n)
	}
}

func TestQuoting(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	tests := []struct{ name, ident, lit string }{
		{"plain", "col", "it"},
		{"quotes", `we"ird`, "it's"},
		{"spaces", "a b", "a ; DROP TABLE x; --"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			q := fmt.Sprintf(`SELECT %s AS %s`, Literal(tc.lit), Ident(tc.ident))
			rows, err := s.Query(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			if len(cols) != 1 || cols[0] != tc.ident {
				t.Fatalf("columns = %v", cols)
			}
			rows.Next()
			if err := rows.Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.lit {
				t.Fatalf("got %q want %q", got, tc.lit)
			}
		})
	}
}

// TestHelperHoldLock is not a test: the lock test re-executes the test binary
// with INSIGHTS_HOLD_DB set, so that a second process holds the database.
func TestHelperHoldLock(t *testing.T) {
	path := os.Getenv("INSIGHTS_HOLD_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	s, err := Open(context.Background(), Config{Path: path, Threads: 1, MemoryLimit: "256MB"}, nil)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	defer s.Close()
	fmt.Println("READY")
	time.Sleep(30 * time.Second) // the parent kills us long before
}

func TestSecondProcessGetsOneLineLockError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldLock$")
	cmd.Env = append(os.Environ(), "INSIGHTS_HOLD_DB="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() || sc.Text() != "READY" {
		t.Fatalf("helper did not start: %q", sc.Text())
	}

	_, err = Open(context.Background(), Config{Path: path, Threads: 1, MemoryLimit: "256MB"}, nil)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Fatalf("lock error spans lines: %q", msg)
	}
	if want := fmt.Sprintf("PID %d", cmd.Process.Pid); !strings.Contains(msg, want) {
		t.Fatalf("lock error %q does not name %s", msg, want)
	}
}
