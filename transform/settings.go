package transform

import (
	"context"
	"fmt"
	"strings"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// writeSettings are the DuckDB settings a transform runs with. The transform
// writes millions of rows into tables that no reader takes in stored order
// (every report query has its own ORDER BY), and writing them was most of its
// time:
//   - preserve_insertion_order off lets DuckDB write them from both threads
//     without keeping the source's order (an ORDER BY is still honoured);
//   - FSST string compression off: it cost about a third of each wide table's
//     write, for files about a quarter smaller (measured on resolved_usage at
//     scale 30: 176 → 232 MiB). Dictionary and the other methods stay on
//     (without dictionary compression the write is a third faster again, but
//     the scale-100 database grew from 6.3 to 15 GB);
//   - DuckDB's allocator (jemalloc) gives freed memory back to the system
//     sooner (32 MiB flush thresholds instead of 128 and 512 MiB, with its
//     background threads): a full transform at scale 100 peaked at 3,844 MiB
//     of resident memory with 2 GB of memory_limit, 3,110 MiB with these,
//     in the same time.
//
// The settings are global in DuckDB, so the runner puts back what was set
// before when the run ends.
var writeSettings = [][2]string{
	{"preserve_insertion_order", "false"},
	{"disabled_compression_methods", "fsst"},
	{"allocator_flush_threshold", "32MiB"},
	{"allocator_bulk_deallocation_flush_threshold", "32MiB"},
	{"allocator_background_threads", "true"},
}

// applyWriteSettings sets writeSettings and returns a function that restores
// the previous values.
func applyWriteSettings(ctx context.Context, store *duckstore.Store) (restore func(context.Context) error, err error) {
	var before []string
	for _, s := range writeSettings {
		var v string
		if err := store.QueryRow(ctx, `SELECT coalesce(current_setting(?)::VARCHAR, '')`, s[0]).Scan(&v); err != nil {
			return nil, fmt.Errorf("read setting %s: %w", s[0], err)
		}
		before = append(before, v)
	}
	set := func(ctx context.Context, values []string) error {
		var b strings.Builder
		for i, s := range writeSettings {
			fmt.Fprintf(&b, "SET %s = %s;", s[0], duckstore.Literal(values[i]))
		}
		if _, err := store.Exec(ctx, b.String()); err != nil {
			return fmt.Errorf("transform settings: %w", err)
		}
		return nil
	}
	want := make([]string, len(writeSettings))
	for i, s := range writeSettings {
		want[i] = s[1]
	}
	if err := set(ctx, want); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return set(ctx, before) }, nil
}
