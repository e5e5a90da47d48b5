package reports_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/reports/render"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// cancelAfter is a context cancelled by the n-th question about it: a run
// cancelled (a shutdown, Ctrl-C) at an arbitrary point of its work.
type cancelAfter struct {
	context.Context
	cancel context.CancelFunc
	left   atomic.Int32
}

func newCancelAfter(n int32) *cancelAfter {
	ctx, cancel := context.WithCancel(context.Background())
	c := &cancelAfter{Context: ctx, cancel: cancel}
	c.left.Store(n)
	return c
}

func (c *cancelAfter) Err() error {
	if c.left.Add(-1) < 0 {
		c.cancel()
	}
	return c.Context.Err()
}

// manifestMatchesDisk checks every manifest row under out against the bytes
// on disk: size, SHA-256 and modification time.
func manifestMatchesDisk(t *testing.T, s *duckstore.Store, out string) int {
	t.Helper()
	rows, err := s.Query(context.Background(), `SELECT report_id, path, size_bytes, sha256, mtime_ns FROM report_files ORDER BY path`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, rel, sum string
		var size, mtime int64
		if err := rows.Scan(&id, &rel, &size, &sum, &mtime); err != nil {
			t.Fatal(err)
		}
		gotSum, gotSize, gotTime, err := reports.HashFile(filepath.Join(out, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if gotSum != sum || gotSize != size || gotTime.UnixNano() != mtime {
			t.Errorf("%s: manifest says %d bytes %s at %d, the file is %d bytes %s at %d",
				rel, size, sum[:12], mtime, gotSize, gotSum[:12], gotTime.UnixNano())
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

func tempFilesUnder(t *testing.T, out string) []string {
	t.Helper()
	var temps []string
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && render.IsTempName(d.Name()) {
			temps = append(temps, p)
		}
		return nil
	})
	return temps
}

// TestCancelledRunLeavesNothingHalfDone: a report run cancelled part-way
// leaves no temporary file, the temporary files an earlier killed run left are
// removed by the next run, and every manifest row describes the bytes on disk
// (issue 15 item 3).
func TestCancelledRunLeavesNothingHalfDone(t *testing.T) {
	ctx := context.Background()
	s, run, out, first := contosoReports(t)
	dir := filepath.Join(out, filepath.FromSlash(path.Dir(first[0].Path)))

	// What a run killed with SIGKILL leaves: temporary files next to the reports.
	stale := []string{
		filepath.Join(dir, "."+first[0].Name+".tmp-1234567"),
		filepath.Join(dir, ".orders_by_slice_2025-06.csv.tmp-99"),
	}
	for _, p := range stale {
		if err := os.WriteFile(p, []byte("half a file"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The workbook's content changes (its partner name), so a replaced
	// workbook recorded with the old row would show.
	if _, err := s.Exec(ctx, `UPDATE partners SET partner_name = 'Contoso (renamed)' WHERE partner_id = 'p-contoso'`); err != nil {
		t.Fatal(err)
	}

	// Cancelled at an arbitrary check of the context, and (the case that left
	// a stale row before) right after a file replaced the old one on disk.
	type cancelPoint struct {
		checks    int32 // cancelled by the n-th ctx.Err(); 0 = not this way
		afterFile int   // cancelled right after the n-th file's rename; 0 = not this way
	}
	for _, cp := range []cancelPoint{{checks: 1}, {checks: 2}, {checks: 5}, {afterFile: 1}, {afterFile: 3}} {
		g2, err := reports.New(s, nil, out, reports.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ctx := newCancelAfter(1 << 30)
		if cp.checks > 0 {
			ctx.left.Store(cp.checks)
		}
		renamed := 0
		restore := reports.SetAfterRename(func(string) {
			if renamed++; renamed == cp.afterFile {
				ctx.cancel()
			}
		})
		written, err := g2.Partner(ctx, run, "p-contoso", fixturePeriod(t))
		restore()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled at %+v: err = %v (%d files)", cp, err, len(written))
		}
		for _, tmp := range tempFilesUnder(t, out) {
			if !slices.Contains(stale, tmp) { // those go once a run reaches the partner
				t.Fatalf("cancelled at %+v: temporary file left: %s", cp, tmp)
			}
		}
		if rows := manifestMatchesDisk(t, s, out); rows != len(first) {
			t.Fatalf("%d manifest rows, want %d", rows, len(first))
		}
	}
	for _, p := range stale {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("stale %s not removed by the next run", filepath.Base(p))
		}
	}
}

// TestFailedRenameFailsThePartner: when one of a partner's files cannot be
// put in place, the partner fails naming that file, the files before it are
// in place and recorded, the ones after it keep their old bytes and rows, and
// no temporary file is left.
func TestFailedRenameFailsThePartner(t *testing.T) {
	ctx := context.Background()
	s, run, out, first := contosoReports(t)
	const victim = 5
	if len(first) < victim+3 {
		t.Fatalf("only %d files", len(first))
	}
	// A folder that is not empty cannot be replaced by a file.
	blocked := filepath.Join(out, filepath.FromSlash(first[victim].Path))
	if err := os.Remove(blocked); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(blocked, "in-the-way"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Exec(ctx, `DELETE FROM report_files WHERE report_id = ?`, first[victim].ReportID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Exec(ctx, `UPDATE partners SET partner_name = 'Contoso (renamed)' WHERE partner_id = 'p-contoso'`); err != nil {
		t.Fatal(err)
	}
	g2, err := reports.New(s, nil, out, reports.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = g2.Partner(ctx, run, "p-contoso", fixturePeriod(t))
	if err == nil || !strings.Contains(err.Error(), first[victim].Name) {
		t.Fatalf("err = %v, want one naming %s", err, first[victim].Name)
	}
	if temps := tempFilesUnder(t, out); len(temps) != 0 {
		t.Errorf("temporary files left: %v", temps)
	}
	if err := os.RemoveAll(blocked); err != nil {
		t.Fatal(err)
	}
	if rows := manifestMatchesDisk(t, s, out); rows != len(first)-1 {
		t.Errorf("%d manifest rows, want %d", rows, len(first)-1)
	}
	// The files before the failed one were replaced, the ones after it not.
	for i, f := range first {
		if i == victim {
			continue
		}
		_, _, mtime, err := reports.HashFile(filepath.Join(out, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		if replaced := !mtime.Equal(f.ModTime); replaced != (i < victim) {
			t.Errorf("file %d of %d, %s: replaced = %v (the failed one is %d)", i, len(first), f.Name, replaced, victim)
		}
	}
}

// TestRepairManifest: at start, the rows of files replaced by a run that was
// killed before recording them are corrected, stale temporary files removed,
// and rows that match are left alone.
func TestRepairManifest(t *testing.T) {
	ctx := context.Background()
	s, _ := fixtureStore(t)
	run := runFor(t, s)
	g, out := generator(t, s, reports.Options{Formats: []string{reports.CSV}})
	files, err := g.Partner(ctx, run, "p-contoso", fixturePeriod(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.ReviewPack(ctx, run); err != nil {
		t.Fatal(err)
	}
	victim := files[0]
	full := filepath.Join(out, filepath.FromSlash(victim.Path))
	// The killed run renamed its new file into place but never recorded it.
	if err := render.WriteFileAtomic(full, func(w io.Writer) error {
		_, err := io.WriteString(w, "the new content,\nnever recorded\n")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(filepath.Dir(full), "."+victim.Name+".tmp-31337")
	if err := os.WriteFile(stale, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}

	rep, err := reports.RepairManifest(ctx, s, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Fixed) != 1 || rep.Fixed[0] != victim.ReportID {
		t.Fatalf("fixed %v, want only %s", rep.Fixed, victim.ReportID)
	}
	if len(rep.TempsRemoved) != 1 || rep.TempsRemoved[0] != stale {
		t.Fatalf("removed %v, want %s", rep.TempsRemoved, stale)
	}
	manifestMatchesDisk(t, s, out)
	if again, err := reports.RepairManifest(ctx, s, out); err != nil || len(again.Fixed)+len(again.TempsRemoved)+len(again.Missing) != 0 {
		t.Fatalf("second repair: %+v %v", again, err)
	}
	if err := os.Remove(full); err != nil {
		t.Fatal(err)
	}
	if rep, err := reports.RepairManifest(ctx, s, out); err != nil || len(rep.Missing) != 1 || !strings.EqualFold(rep.Missing[0], victim.ReportID) {
		t.Fatalf("missing file: %+v %v", rep, err)
	}
}

// killHelperEnv makes the test binary a report run that writes every
// partner's reports again and again until it is killed: "<database>|<out>".
const killHelperEnv = "INSIGHTS_TEST_REPORTS_KILL"

func init() {
	arg := os.Getenv(killHelperEnv)
	if arg == "" {
		return
	}
	db, out, _ := strings.Cut(arg, "|")
	ctx := context.Background()
	fail := func(err error) {
		os.Stderr.WriteString("kill helper: " + err.Error() + "\n")
		os.Exit(3)
	}
	s, err := duckstore.Open(ctx, duckstore.Config{Path: db, Threads: 1, MemoryLimit: "1GB"}, nil)
	if err != nil {
		fail(err)
	}
	run, err := reports.LatestRun(ctx, s)
	if err != nil {
		fail(err)
	}
	p, err := reports.NewPeriod(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), reports.DefaultTrend)
	if err != nil {
		fail(err)
	}
	for {
		// RenderAll: the rows do not change, so every partner would keep its files.
		g, err := reports.New(s, nil, out, reports.Options{RenderAll: true})
		if err != nil {
			fail(err)
		}
		if _, err := g.All(ctx, run, p); err != nil {
			fail(err)
		}
	}
}

// TestKilledRunRecovered: a report run killed with SIGKILL while it writes
// leaves temporary files (and possibly a file replaced but not yet recorded);
// what `serve` does at start (RepairManifest) removes them and makes every
// manifest row describe the bytes on disk (issue 15 item 3).
func TestKilledRunRecovered(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a helper process")
	}
	ctx := context.Background()
	s, _ := fixtureStore(t)
	run := runFor(t, s)
	g, out := generator(t, s, reports.Options{})
	if _, err := g.All(ctx, run, fixturePeriod(t)); err != nil {
		t.Fatal(err)
	}
	db := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Kill the helper while a temporary file exists; try again if the write
	// finished between seeing the file and the kill.
	var left []string
	for attempt := 0; attempt < 5 && len(left) == 0; attempt++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), killHelperEnv+"="+db+"|"+out)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for len(tempFilesUnder(t, out)) == 0 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		left = tempFilesUnder(t, out)
	}
	if len(left) == 0 {
		t.Fatal("no kill landed in the middle of a write in 5 attempts")
	}

	s, err := duckstore.Open(ctx, duckstore.Config{Path: db, Threads: 1, MemoryLimit: "1GB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	rep, err := reports.RepairManifest(ctx, s, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.TempsRemoved) != len(left) {
		t.Errorf("removed %v, want the %d left: %v", rep.TempsRemoved, len(left), left)
	}
	if temps := tempFilesUnder(t, out); len(temps) != 0 {
		t.Fatalf("temporary files after the repair: %v", temps)
	}
	manifestMatchesDisk(t, s, out)
}
