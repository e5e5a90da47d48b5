// Command rawload is the baseline of the ingest benchmark (.ci/bench-ingest):
// DuckDB's own load of a landing folder, each file into a plain table with
//
//	CREATE TABLE t AS SELECT * FROM read_csv(file, ignore_errors = true)
//
// (read_json for JSON lines, read_parquet for Parquet), on a fresh database
// opened through sql/duckstore with the given threads, memory limit and
// checkpoint threshold, so that `insights ingest` of the same folder can be
// timed against it as a process of its own, the way a user runs it. Nothing
// is validated, no ledger is kept: it is the floor ingest is measured against.
//
// Usage: rawload --db FILE [--threads N] [--memory-limit 2GB] [--checkpoint-threshold 256MB] DIR
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "rawload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fl := flag.NewFlagSet("rawload", flag.ContinueOnError)
	db := fl.String("db", "", "database file to create (must not exist)")
	threads := fl.Int("threads", 2, "DuckDB threads")
	memory := fl.String("memory-limit", "2GB", "DuckDB memory_limit")
	ckpt := fl.String("checkpoint-threshold", "", "DuckDB checkpoint_threshold (\"\": DuckDB's default)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *db == "" || fl.NArg() != 1 {
		return fmt.Errorf("usage: rawload --db FILE [--threads N] [--memory-limit SIZE] [--checkpoint-threshold SIZE] DIR")
	}
	if _, err := os.Stat(*db); err == nil {
		return fmt.Errorf("%s exists: the baseline loads into a fresh database", *db)
	}
	files, err := dataFiles(fl.Arg(0))
	if err != nil {
		return err
	}
	start := time.Now()
	// MigrateThrough 1: the schema bookkeeping and the raw tables' migration
	// only (a few milliseconds); the baseline's tables are its own.
	s, err := duckstore.Open(ctx, duckstore.Config{Path: *db, Threads: *threads, MemoryLimit: *memory, MigrateThrough: 1}, nil)
	if err != nil {
		return err
	}
	if *ckpt != "" {
		if _, err := s.Exec(ctx, `SET checkpoint_threshold = `+duckstore.Literal(*ckpt)); err != nil {
			_ = s.Close()
			return fmt.Errorf("checkpoint_threshold: %w", err)
		}
	}

	for i, f := range files {
		_, err := s.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s AS SELECT * FROM %s`, duckstore.Ident(fmt.Sprintf("raw_%d", i)), reader(f)))
		if err != nil {
			_ = s.Close()
			return fmt.Errorf("load %s: %w", f, err)
		}

	}
	var rows int64
	for i := range files {
		var n int64
		if err := s.QueryRow(ctx, fmt.Sprintf(`SELECT count(*) FROM %s`, duckstore.Ident(fmt.Sprintf("raw_%d", i)))).Scan(&n); err != nil {
			_ = s.Close()
			return err
		}
		rows += n
	}
	if err := s.Close(); err != nil {
		return err
	}
	fmt.Printf("rawload: %d files, %d rows in %.2f s\n", len(files), rows, time.Since(start).Seconds())
	return nil
}

// reader is DuckDB's own reader of the file, told nothing but to go past
// bad records (the generator writes some on purpose).
func reader(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson":
		return fmt.Sprintf("read_json(%s, format = 'newline_delimited', ignore_errors = true)", duckstore.Literal(path))
	case ".parquet":
		return fmt.Sprintf("read_parquet(%s)", duckstore.Literal(path))
	}
	return fmt.Sprintf("read_csv(%s, ignore_errors = true)", duckstore.Literal(path))
}

// dataFiles lists the folder's data files, sorted, hidden entries skipped.
func dataFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".parquet":
			if d.Type().IsRegular() {
				out = append(out, p)
			}
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}
