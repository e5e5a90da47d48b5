package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/gen"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// BenchmarkIngestScale10 times our ingest of a generated scale-10 landing
// folder (about a million usage rows) against DuckDB reading the same files
// into plain tables, in the same process with the same threads and memory:
//
//	raw:  CREATE TABLE t AS SELECT * FROM read_csv(file)   (read_json for JSON lines)
//	ours: Loader.Ingest(folder): hash, ledger, detect, validate, rejects, load
//
// Run with `make bench` (-benchtime 1x). The figures are rows/s of both and
// the ratio ours/raw. Ingest raises DuckDB's checkpoint_threshold while it
// runs (see Options.CheckpointThreshold); for a like-for-like view the raw
// load is also timed with the same threshold (raw_same_ckpt_rows/s,
// ratio_same_ckpt). This is the in-process view, one run each; the figure the
// target (≤ 1.1) is about is `make bench-ingest` (.ci/bench-ingest): the
// insights command and DuckDB's load each as its own process on a fresh
// database, at scales 10 and 30, medians of several runs.
func BenchmarkIngestScale10(b *testing.B) {
	ctx := context.Background()
	landing := filepath.Join(b.TempDir(), "landing")
	gs, err := gen.Generate(ctx, landing, gen.Options{Scale: 10, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	var rows int64
	for _, f := range gs.Files {
		rows += f.Rows
	}
	cfg := func(name string) duckstore.Config {
		return duckstore.Config{Path: filepath.Join(b.TempDir(), name), Threads: 2, MemoryLimit: "2GB"}
	}

	var raw, rawSame, ours time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := timeRaw(ctx, cfg(fmt.Sprintf("raw%d.duckdb", i)), gs.Files, "")
		if err != nil {
			b.Fatal(err)
		}
		raw += d
		d, err = timeRaw(ctx, cfg(fmt.Sprintf("rawckpt%d.duckdb", i)), gs.Files, DefaultCheckpointThreshold)
		if err != nil {
			b.Fatal(err)
		}
		rawSame += d

		s, err := duckstore.Open(ctx, cfg(fmt.Sprintf("ours%d.duckdb", i)), nil)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		sum, err := New(s, nil, Options{}).Ingest(ctx, []string{landing})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		ours += time.Since(start)
		loaded, rejected, _ := sum.Totals()
		if n := sum.Count(StatusQuarantined); n > 0 || loaded+rejected == 0 {
			b.Fatalf("ingest: %d quarantined, %d loaded, %d rejected", n, loaded, rejected)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(rows)*n/raw.Seconds(), "raw_rows/s")
	b.ReportMetric(float64(rows)*n/ours.Seconds(), "ingest_rows/s")
	b.ReportMetric(ours.Seconds()/raw.Seconds(), "ratio")
	b.ReportMetric(float64(rows)*n/rawSame.Seconds(), "raw_same_ckpt_rows/s")
	b.ReportMetric(ours.Seconds()/rawSame.Seconds(), "ratio_same_ckpt")
	b.ReportMetric(float64(rows), "rows")
}

// timeRaw is DuckDB's own reader loading each file into a plain table
// (ignore_errors, so that the deliberately bad rows do not stop it), with
// DuckDB's checkpoint threshold or the given one.
func timeRaw(ctx context.Context, cfg duckstore.Config, files []gen.FileSummary, checkpointThreshold string) (time.Duration, error) {
	s, err := duckstore.Open(ctx, cfg, nil)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if checkpointThreshold != "" {
		if _, err := s.Exec(ctx, `SET checkpoint_threshold = `+duckstore.Literal(checkpointThreshold)); err != nil {
			s.Close()
			return 0, err
		}
	}
	for i, f := range files {
		reader := "read_csv"
		if strings.HasSuffix(f.Path, ".jsonl") {
			reader = "read_json"
		}
		q := fmt.Sprintf(`CREATE TABLE %s AS SELECT * FROM %s(%s, ignore_errors = true)`,
			duckstore.Ident(fmt.Sprintf("t%d", i)), reader, duckstore.Literal(f.Path))
		if _, err := s.Exec(ctx, q); err != nil {
			s.Close()
			return 0, fmt.Errorf("%s: %w", f.Path, err)
		}
	}
	if err := s.Close(); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
