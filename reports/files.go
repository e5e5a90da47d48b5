package reports

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/marketplace-insights/insights/reports/render"
	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// File is one written report file, as recorded in report_files.
type File struct {
	ReportID  string
	PartnerID string // "" for the rewards review pack
	Audience  Audience
	AsOf      time.Time
	Period    string
	Name      string // base name
	Format    string
	Path      string // relative to the out root, '/'-separated
	Size      int64
	SHA256    string
	ModTime   time.Time // of the file on disk, as recorded in the manifest
}

// batch writes the files of one folder (a partner's, the review pack's).
// Each file is rendered to a temporary file by the worker, then synced and
// renamed into place by the batch's committer goroutine while the worker
// renders the next one (a sync waits on the disk, not the CPU). The folder
// is synced once and the files recorded in one manifest statement at the
// end, rather than a directory sync and a transaction per file, which cost
// more than rendering the small files. Callers defer commit, which runs also
// when the batch ends early (failed, cancelled).
type batch struct {
	g     *Generator
	dirs  []string      // folders written into, to sync (the worker's)
	queue chan pending  // rendered files waiting for their rename, in order
	done  chan struct{} // closed when the committer has emptied queue
	mu    sync.Mutex    // guards files and err (the committer's)
	files []File        // in place, to record
	err   error         // the first failed rename; later files are discarded
}

type pending struct {
	tmp  *render.Temp
	file File
}

func (g *Generator) batch() *batch {
	b := &batch{g: g, queue: make(chan pending, 4), done: make(chan struct{})}
	go b.renameLoop()
	return b
}

// renameLoop syncs and renames the queued files in order. After a failure
// the rest are discarded: the batch fails, and its old files stay whole.
func (b *batch) renameLoop() {
	defer close(b.done)
	for p := range b.queue {
		if b.failed() != nil {
			p.tmp.Discard()
			continue
		}
		if err := p.tmp.Commit(); err != nil {
			b.mu.Lock()
			b.err = err
			b.mu.Unlock()
			continue
		}
		b.mu.Lock()
		b.files = append(b.files, p.file)
		b.mu.Unlock()
		if afterRename != nil {
			afterRename(p.file.Path)
		}
	}
}

func (b *batch) failed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

func (b *batch) writeXLSX(ctx context.Context, base File, rel string, wb render.Workbook) (File, error) {
	t0 := time.Now()
	var st render.Stats
	f, err := b.writeFile(ctx, base, rel, XLSX, func(w io.Writer) error {
		var err error
		st, err = render.WriteXLSX(w, wb, render.Options{MaxRows: b.g.opt.MaxRows})
		return err
	})
	b.g.addStats(func(s *Stats) {
		s.XLSXTime += time.Since(t0)
		s.Cells += st.Cells
	})
	return f, err
}

func (b *batch) writeTable(ctx context.Context, base File, rel, format string, t render.Table) (File, error) {
	t0 := time.Now()
	f, err := b.writeFile(ctx, base, rel, format, func(w io.Writer) error {
		var err error
		if format == CSV {
			_, err = render.WriteCSV(w, t)
		} else {
			_, err = render.WriteParquet(w, t)
		}
		return err
	})
	spent := time.Since(t0)
	b.g.addStats(func(s *Stats) {
		if format == CSV {
			s.CSVTime += spent
		} else {
			s.ParqTime += spent
		}
	})
	return f, err
}

// writeFile renders one file to a temporary file and queues it for its
// rename. The first write into a folder removes the temporary files a
// cancelled or killed run left there.
func (b *batch) writeFile(ctx context.Context, base File, rel, format string, write func(io.Writer) error) (File, error) {
	if err := ctx.Err(); err != nil {
		return File{}, err
	}
	if err := b.failed(); err != nil {
		return File{}, err
	}
	full := filepath.Join(b.g.out, filepath.FromSlash(rel))
	dir := filepath.Dir(full)
	if !slices.Contains(b.dirs, dir) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return File{}, fmt.Errorf("write %s: %w", full, err)
		}
		b.g.cleanOnce(dir)
		b.dirs = append(b.dirs, dir)
	}
	var h hash.Hash
	var n countingWriter
	tmp, err := render.WriteTemp(full, func(w io.Writer) error {
		h = sha256.New()
		return write(io.MultiWriter(w, h, &n))
	})
	if err != nil {
		return File{}, err
	}
	info, err := tmp.Stat() // a rename keeps size and modification time
	if err != nil {
		tmp.Discard()
		return File{}, fmt.Errorf("write %s: %w", full, err)
	}
	f := base
	f.ReportID, f.Name, f.Format, f.Path = ReportID(rel), path.Base(rel), format, rel
	f.Size, f.SHA256, f.ModTime = int64(n), hex.EncodeToString(h.Sum(nil)), info.ModTime()
	b.queue <- pending{tmp: tmp, file: f}
	return f, nil
}

// commit waits for the queued renames, makes them durable and records the
// files in place, even when ctx is cancelled by then, so cancelling a run
// cannot leave a replaced file with its old row. Only a crash before commit
// can; the row carries the file's size and modification time, so the server
// sees the disagreement (and hashes the file it serves) and RepairManifest
// fixes the row at the next start. The folders are synced first, so that no
// row describes a rename a crash could still undo.
func (b *batch) commit(ctx context.Context) error {
	t0 := time.Now()
	defer func() { b.g.addStats(func(s *Stats) { s.CommitTime += time.Since(t0) }) }()
	close(b.queue)
	<-b.done
	errs := []error{b.failed()}
	for _, dir := range b.dirs {
		if err := render.SyncDir(dir); err != nil {
			errs = append(errs, err)
		}
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := b.g.record(rctx, b.files); err != nil {
		errs = append(errs, err)
	} else {
		b.g.addStats(func(s *Stats) { s.Files += len(b.files) })
	}
	return errors.Join(errs...)
}

// afterRename, when set (by tests only), is called between a file's rename
// and its manifest row: where a cancellation used to separate the two.
var afterRename func(rel string)

// afterPlans, when set (tests only), runs after a group's keep, link or
// render decisions and before its links are made.
var afterPlans func()

// recordTimeout bounds writing a batch's manifest rows, which happens even
// after the run was cancelled.
const recordTimeout = 10 * time.Second

// cleanOnce removes stale temporary files from dir, the first time this
// generator writes there. A failure is logged: it costs disk space, not data.
func (g *Generator) cleanOnce(dir string) {
	g.mu.Lock()
	if g.cleaned == nil {
		g.cleaned = map[string]bool{}
	}
	seen := g.cleaned[dir]
	g.cleaned[dir] = true
	g.mu.Unlock()
	if seen {
		return
	}
	removed, err := render.RemoveStaleTemps(dir)
	for _, p := range removed {
		g.log.Warn("removed a temporary file left by an interrupted run", "path", p)
	}
	if err != nil {
		g.log.Error("removing stale temporary files failed", "dir", dir, "err", err)
	}
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// record writes the files' manifest rows in one statement.
func (g *Generator) record(ctx context.Context, files []File) error {
	if len(files) == 0 {
		return nil
	}
	q, err := sqlfiles.Report("reporting_record_files")
	if err != nil {
		return err
	}
	// The driver cannot bind NULL list elements: an empty partner (the
	// review pack) and an unknown modification time (0) become NULL in SQL.
	n := len(files)
	ids, partners, audiences, periods := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	names, formats, paths, sums := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	asOfs, sizes, mtimes := make([]time.Time, n), make([]int64, n), make([]int64, n)
	for i, f := range files {
		ids[i], partners[i], audiences[i], asOfs[i], periods[i] = f.ReportID, f.PartnerID, string(f.Audience), f.AsOf, f.Period
		names[i], formats[i], paths[i], sizes[i], sums[i] = f.Name, f.Format, f.Path, f.Size, f.SHA256
		if !f.ModTime.IsZero() {
			mtimes[i] = f.ModTime.UnixNano()
		}
	}
	// Workers record their batches as they finish them: one manifest
	// statement at a time, so that concurrent writers never conflict.
	g.recordMu.Lock()
	defer g.recordMu.Unlock()
	if _, err := g.store.Exec(ctx, q, ids, partners, audiences, asOfs, periods, names, formats, paths,
		sizes, sums, mtimes, time.Now().UTC()); err != nil {
		return fmt.Errorf("record report files %s…: %w", files[0].Path, err)
	}
	return nil
}

// Repair is what RepairManifest did.
type Repair struct {
	TempsRemoved []string // stale temporary files removed
	Fixed        []string // report ids whose row now matches the file
	Missing      []string // report ids whose file is gone (left as they are)
}

// RepairManifest brings the out root and the manifest back in line after a
// crash or kill: it removes stale temporary files under out, and for every
// row whose file's size or modification time differ from the row (or were
// never recorded) it hashes the file and corrects the row. Run it at start,
// when no report run is going on.
func RepairManifest(ctx context.Context, store *duckstore.Store, out string) (Repair, error) {
	var rep Repair
	removed, err := render.RemoveStaleTempsUnder(out)
	rep.TempsRemoved = removed
	if err != nil {
		return rep, err
	}
	list, err := sqlfiles.Report("reporting_manifest_files")
	if err != nil {
		return rep, err
	}
	fix, err := sqlfiles.Report("reporting_manifest_fix")
	if err != nil {
		return rep, err
	}
	type row struct {
		id, path, sum string
		size, mtime   int64
	}
	rows, err := store.Query(ctx, list)
	if err != nil {
		return rep, fmt.Errorf("check report manifest: %w", err)
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.path, &r.size, &r.sum, &r.mtime); err != nil {
			rows.Close()
			return rep, fmt.Errorf("check report manifest: %w", err)
		}
		all = append(all, r)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return rep, fmt.Errorf("check report manifest: %w", err)
	}
	rows.Close()
	for _, r := range all {
		local := filepath.FromSlash(r.path)
		if !filepath.IsLocal(local) {
			continue // never followed out of the root; the server refuses it too
		}
		full := filepath.Join(out, local)
		info, err := os.Lstat(full)
		if err != nil || !info.Mode().IsRegular() {
			rep.Missing = append(rep.Missing, r.id)
			continue
		}
		if info.Size() == r.size && info.ModTime().UnixNano() == r.mtime {
			continue
		}
		sum, size, mtime, err := HashFile(full)
		if err != nil {
			return rep, fmt.Errorf("check report manifest: %w", err)
		}
		if _, err := store.Exec(ctx, fix, r.id, size, sum, mtime.UnixNano()); err != nil {
			return rep, fmt.Errorf("repair manifest row %s: %w", r.id, err)
		}
		if sum != r.sum || size != r.size {
			rep.Fixed = append(rep.Fixed, r.id)
		}
	}
	return rep, nil
}

// HashFile returns the SHA-256 (hex), size and modification time of a file,
// the last two from the open file the hash was read from.
func HashFile(name string) (sum string, size int64, mtime time.Time, err error) {
	f, err := os.Open(name)
	if err != nil {
		return "", 0, time.Time{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", 0, time.Time{}, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", 0, time.Time{}, fmt.Errorf("hash %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), info.Size(), info.ModTime(), nil
}

// ParseFormats reads a comma-separated format list ("xlsx,csv").
func ParseFormats(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		if !slices.Contains(AllFormats, f) {
			return nil, fmt.Errorf("format %q: want xlsx, csv or parquet", f)
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no format given: want xlsx, csv and/or parquet")
	}
	return out, nil
}
