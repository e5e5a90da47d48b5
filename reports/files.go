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

// writeFile writes one file atomically and describes it for the manifest.
func (g *Generator) writeFile(ctx context.Context, base File, rel, format string, write func(io.Writer) error) (File, error) {
	if err := ctx.Err(); err != nil {
		return File{}, err
	}
	full := filepath.Join(g.out, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return File{}, fmt.Errorf("write %s: %w", full, err)
	}
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
	f := base
	f.ReportID, f.Name, f.Format, f.Path = ReportID(rel), path.Base(rel), format, rel
	f.Size, f.SHA256 = int64(n), hex.EncodeToString(h.Sum(nil))
	g.addStats(func(s *Stats) { s.Files++ })
	return f, nil
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
	now := time.Now().UTC()
	err = g.store.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		for _, f := range files {
			var partner any
			if f.PartnerID != "" {
				partner = f.PartnerID
			}
			if _, err := tx.Exec(ctx, q, f.ReportID, partner, string(f.Audience), f.AsOf, f.Period,
				f.Name, f.Format, f.Path, f.Size, f.SHA256, now); err != nil {
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
