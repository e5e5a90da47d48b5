package ingest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/gen"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestReingestingTheSameFileChangesNothing: the ledger knows the content, so
// a second run (even of a renamed copy) skips it and reports why.
func TestReingestingTheSameFileChangesNothing(t *testing.T) {
	s := testkit.Open(t)
	dir := landing(t, "orders_bom_crlf.csv", "clicks.jsonl")
	first := run(t, s, Options{}, dir)
	if l, r, _ := first.Totals(); l != 6 || r != 4 {
		t.Fatalf("first run: loaded %d rejected %d", l, r)
	}
	snapshot := func() []string {
		return column(t, s, `SELECT (SELECT count(*) FROM orders) || '/' || (SELECT count(*) FROM clicks) || '/' ||
			(SELECT count(*) FROM ingest_rejects) || '/' || (SELECT count(*) FROM ingest_files)`)
	}
	before := snapshot()

	copyTo := filepath.Join(t.TempDir(), "renamed.csv")
	b, _ := os.ReadFile(filepath.Join(dir, "orders_bom_crlf.csv"))
	writeFile(t, filepath.Dir(copyTo), "renamed.csv", string(b))
	second := run(t, s, Options{}, dir, copyTo)
	for _, f := range second.Files {
		if f.Status != StatusSkipped || !strings.HasPrefix(f.Note, "already ingested as ") || f.Loaded != 0 {
			t.Errorf("%s: %+v", f.Path, f)
		}
	}
	if n := second.Count(StatusSkipped); n != 3 {
		t.Errorf("%d skipped, want 3", n)
	}
	equal(t, "tables after the second run", snapshot(), before)
}

// TestCorrectedRedeliveryReplaces: rows whose natural key comes again are
// replaced (and counted), not doubled; rows the new file lacks stay.
func TestCorrectedRedeliveryReplaces(t *testing.T) {
	s := testkit.Open(t)
	dir := landing(t, "orders_delivery1.csv")
	run(t, s, Options{}, dir)
	sum := run(t, s, Options{}, landing(t, "orders_delivery2_corrected.csv"))
	f := file(t, sum, "orders_delivery2_corrected.csv")
	if f.Loaded != 3 || f.Replaced != 2 || f.Rejected != 0 {
		t.Fatalf("%+v", f)
	}
	equal(t, "orders", column(t, s, `SELECT concat_ws(' | ', asset_id, order_status, estimated_charges) FROM orders ORDER BY asset_id`),
		[]string{"A-1 | Active | 100.000000", "A-2 | Active | 250.000000", "A-3 | Canceled | 300.000000", "A-4 | Active | 400.000000"})
	equal(t, "ledger", column(t, s, `SELECT rows_loaded || '/' || rows_replaced FROM ingest_files ORDER BY file_id`), []string{"3/0", "3/2"})
	// Each row points at the file it came from.
	equal(t, "file ids", column(t, s, `SELECT asset_id || ':' || _file_id FROM orders ORDER BY asset_id`), []string{"A-1:1", "A-2:2", "A-3:2", "A-4:2"})
}

// TestNullableKeyColumnsStillReplace: usage's MeterId may be blank; a blank
// meter is a key value like any other.
func TestNullableKeyColumnsStillReplace(t *testing.T) {
	s := testkit.Open(t)
	dir := t.TempDir()
	writeFile(t, dir, "u1.csv", "MarketplaceSubscriptionId,UsageDate,MeterId,ReferenceId,MeteredUsage\nsub-1,2025-06-01,,r-1,1\nsub-1,2025-06-01,m-1,r-1,1\n")
	run(t, s, Options{}, filepath.Join(dir, "u1.csv"))
	writeFile(t, dir, "u2.csv", "MarketplaceSubscriptionId,UsageDate,MeterId,ReferenceId,MeteredUsage\nsub-1,2025-06-01,,r-1,5\n")
	sum := run(t, s, Options{}, filepath.Join(dir, "u2.csv"))
	if f := file(t, sum, "u2.csv"); f.Replaced != 1 {
		t.Fatalf("%+v", f)
	}
	equal(t, "usage", column(t, s, `SELECT coalesce(meter_id, '-') || ':' || CAST(metered_usage AS INTEGER) FROM usage ORDER BY meter_id NULLS FIRST`),
		[]string{"-:5", "m-1:1"})
}

// TestGeneratedMarketplace ingests a small generated landing folder: every
// file loads, every deliberately bad row is a reject with a line and its raw
// text, and a second run changes nothing.
func TestGeneratedMarketplace(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads a sample marketplace")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "landing")
	gs, err := gen.Generate(ctx, dir, gen.Options{Scale: 1, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	s := testkit.Open(t)
	sum := run(t, s, Options{}, dir)
	var out bytes.Buffer
	if err := sum.Print(&out); err != nil {
		t.Fatal(err)
	}
	if len(sum.Files) != len(gs.Files) || sum.Count(StatusLoaded) != len(gs.Files) {
		t.Fatalf("%d files, %d loaded; want %d:\n%s", len(sum.Files), sum.Count(StatusLoaded), len(gs.Files), out.String())
	}
	for _, f := range gs.Files {
		r := file(t, sum, filepath.Base(f.Path))
		if r.Dataset != f.Dataset || r.Loaded+r.Rejected != f.Rows {
			t.Errorf("%s: dataset %s, %d loaded + %d rejected; gen wrote %d %s rows", filepath.Base(f.Path), r.Dataset, r.Loaded, r.Rejected, f.Rows, f.Dataset)
		}
	}
	if _, rejected, _ := sum.Totals(); rejected == 0 {
		t.Error("gen writes some bad rows; none was rejected")
	}
	if n := count(t, s, `SELECT count(*) FROM ingest_rejects WHERE line IS NULL OR raw IS NULL OR raw = ''`); n != 0 {
		t.Errorf("%d rejects without a line or raw text", n)
	}
	if !strings.Contains(out.String(), "rejected rows by reason") {
		t.Errorf("summary without reasons:\n%s", out.String())
	}
	again := run(t, s, Options{}, dir)
	if n := again.Count(StatusSkipped); n != len(gs.Files) {
		t.Errorf("second run skipped %d of %d files", n, len(gs.Files))
	}
}

// TestAFileLoadsWhollyOrNotAtAll: a failure at any step of a file's load
// (here injected, as a crash would) leaves nothing of it: no rows, no
// rejects, no ledger entry; the next run loads it.
func TestAFileLoadsWhollyOrNotAtAll(t *testing.T) {
	for _, step := range []string{"insert", "duplicates", "replace", "rejects", "ledger"} {
		t.Run(step, func(t *testing.T) {
			s := testkit.Open(t)
			dir := landing(t, "orders_bom_crlf.csv")
			run(t, s, Options{}, landing(t, "orders_delivery1.csv"))
			before := column(t, s, `SELECT count(*) || '/' || sum(estimated_charges) FROM orders`)

			l := New(s, nil, Options{QuarantineDir: filepath.Join(t.TempDir(), "q"), Partner: testPartner})
			crash := errors.New("crash")
			l.afterStep = func(got string) error {
				if got == step {
					return crash
				}
				return nil
			}
			if _, err := l.Ingest(context.Background(), []string{dir}); !errors.Is(err, crash) {
				t.Fatalf("err = %v", err)
			}
			equal(t, "orders", column(t, s, `SELECT count(*) || '/' || sum(estimated_charges) FROM orders`), before)
			equal(t, "rejects and ledger", column(t, s, `SELECT (SELECT count(*) FROM ingest_rejects) || '/' || (SELECT count(*) FROM ingest_files)`), []string{"0/1"})

			sum := run(t, s, Options{}, dir)
			if f := file(t, sum, "orders_bom_crlf.csv"); f.Status != StatusLoaded || f.Loaded != 3 {
				t.Fatalf("after the crash: %+v", f)
			}
		})
	}
}

// TestCheckpointThresholdIsRestored: the run raises DuckDB's checkpoint
// threshold and puts the previous value back.
func TestCheckpointThresholdIsRestored(t *testing.T) {
	s := testkit.Open(t)
	before := column(t, s, `SELECT current_setting('checkpoint_threshold')`)
	run(t, s, Options{CheckpointThreshold: "64MB"}, landing(t, "fx_rates.csv"))
	equal(t, "checkpoint_threshold", column(t, s, `SELECT current_setting('checkpoint_threshold')`), before)
	if _, err := New(s, nil, Options{CheckpointThreshold: "lots"}).Ingest(context.Background(), []string{landing(t, "fx_rates.csv")}); err == nil {
		t.Error("a bad threshold was accepted")
	}
}
