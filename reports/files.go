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

func (g *Generator) writeXLSX(ctx context.Context, base File, rel string, wb render.Workbook) (File, error) {
	t0 := time.Now()
	var st render.Stats
	f, err := g.writeFile(ctx, base, rel, XLSX, func(w io.Writer) error {
		var err error
		st, err = render.WriteXLSX(w, wb, render.Options{MaxRows: g.opt.MaxRows})
		return err
	})
	g.addStats(func(s *Stats) {
		s.XLSXTime += time.Since(t0)
		s.Cells += st.Cells
	})
	return f, err
}

func (g *Generator) writeTable(ctx context.Context, base File, rel, format string, t render.Table) (File, error) {
	t0 := time.Now()
	f, err := g.writeFile(ctx, base, rel, format, func(w io.Writer) error {
		var err error
		if format == CSV {
			_, err = render.WriteCSV(w, t)
		} else {
			_, err = render.WriteParquet(w, t)
		}
		return err
	})
	spent := time.Since(t0)
	g.addStats(func(s *Stats) {
		if format == CSV {
			s.CSVTime += spent
		} else {
			s.ParqTime += spent
		}
	})
	return f, err
}

// writeFile writes one file atomically and records it in the manifest at
// once. The first write into a folder removes the temporary files a
// cancelled or killed run left there.
//
// The manifest row is written right after the rename, and even when ctx is
// cancelled by then, so cancelling a run cannot leave a replaced file with
// its old row. Only a crash between the two can; the row carries the file's
// size and modification time, so the server sees the disagreement (and hashes
// the file it serves) and RepairManifest fixes the row at the next start.
func (g *Generator) writeFile(ctx context.Context, base File, rel, format string, write func(io.Writer) error) (File, error) {
	if err := ctx.Err(); err != nil {
		return File{}, err
	}
	full := filepath.Join(g.out, filepath.FromSlash(rel))
	dir := filepath.Dir(full)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return File{}, fmt.Errorf("write %s: %w", full, err)
	}
	g.cleanOnce(dir)
	var h hash.Hash
	var n countingWriter
	err := render.WriteFileAtomic(full, func(w io.Writer) error {
		h = sha256.New() // a fresh hash per attempt
		n = 0
		return write(io.MultiWriter(w, h, &n))
	})
	if err != nil {
		return File{}, err
	}
	if afterRename != nil {
		afterRename(rel)
	}
	info, err := os.Stat(full)
	if err != nil {
		return File{}, fmt.Errorf("write %s: %w", full, err)
	}
	f := base
	f.ReportID, f.Name, f.Format, f.Path = ReportID(rel), path.Base(rel), format, rel
	f.Size, f.SHA256, f.ModTime = int64(n), hex.EncodeToString(h.Sum(nil)), info.ModTime()
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := g.record(rctx, []File{f}); err != nil {
		return File{}, err
	}
	g.addStats(func(s *Stats) { s.Files++ })
	return f, nil
}

// afterRename, when set (by tests only), is called between a file's rename
// and its manifest row: where a cancellation used to separate the two.
var afterRename func(rel string)

// recordTimeout bounds writing a manifest row, which happens even after the
// run was cancelled.
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

// record writes the files' manifest rows in one transaction.
func (g *Generator) record(ctx context.Context, files []File) error {
	if len(files) == 0 {
		return nil
	}
	q, err := sqlfiles.Report("reporting_record_file")
	if err != nil {
		return err
	}
	// Workers record their files as they write them: one manifest
	// transaction at a time, so that concurrent writers never conflict.
	g.recordMu.Lock()
	defer g.recordMu.Unlock()
	now := time.Now().UTC()
	err = g.store.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		for _, f := range files {
			var partner, mtime any
			if f.PartnerID != "" {
				partner = f.PartnerID
			}
			if !f.ModTime.IsZero() {
				mtime = f.ModTime.UnixNano()
			}
			if _, err := tx.Exec(ctx, q, f.ReportID, partner, string(f.Audience), f.AsOf, f.Period,
				f.Name, f.Format, f.Path, f.Size, f.SHA256, now, mtime); err != nil {
				return fmt.Errorf("%s: %w", f.Path, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record report files: %w", err)
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
