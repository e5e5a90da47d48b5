package reports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"path/filepath"
	"slices"
	"time"

	"github.com/marketplace-insights/insights/reports/render"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// File formats a generator writes.
const (
	XLSX    = "xlsx"
	CSV     = "csv"
	Parquet = "parquet"
)

// AllFormats is the default: every format.
var AllFormats = []string{XLSX, CSV, Parquet}

// Options tune a Generator.
type Options struct {
	Formats  []string              // subset of AllFormats; nil = all
	MaxRows  int                   // data rows per sheet before a numbered continuation; 0 = Excel's limit
	Progress func(done, total int) // called after each partner of All; nil = none
}

// Generator writes report files under an out root and records them in the
// report_files manifest.
type Generator struct {
	store *duckstore.Store
	log   *slog.Logger
	out   string
	opt   Options
	stats Stats

	cleaned map[string]bool // folders already rid of stale temporary files
}

// Stats accumulate what a generator did, for logs and the benchmark.
type Stats struct {
	Partners  int
	Files     int
	Rows      int64         // data rows over every report (each counted once)
	Cells     int64         // xlsx data cells written
	QueryTime time.Duration // DuckDB: running the report queries
	XLSXTime  time.Duration // rendering and writing workbooks
	CSVTime   time.Duration
	ParqTime  time.Duration
}

// New returns a generator writing under out.
func New(store *duckstore.Store, log *slog.Logger, out string, opt Options) (*Generator, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if out == "" {
		return nil, errors.New("reports: no output folder")
	}
	if opt.Formats == nil {
		opt.Formats = AllFormats
	}
	for _, f := range opt.Formats {
		if !slices.Contains(AllFormats, f) {
			return nil, fmt.Errorf("reports: format %q: want xlsx, csv or parquet", f)
		}
	}
	return &Generator{store: store, log: log, out: out, opt: opt}, nil
}

// Stats returns what the generator did so far.
func (g *Generator) Stats() Stats { return g.stats }

// All writes the reports of every registered partner for period. A partner
// that fails is logged and the others still run; the error joins every failure.
// Partners run one after the other: overlapping one partner's queries with
// the previous one's rendering gained nothing on two cores (both stages are
// CPU-bound) and blurred the time spent in each.
func (g *Generator) All(ctx context.Context, run Run, p Period) ([]File, error) {
	partners, err := Partners(ctx, g.store)
	if err != nil {
		return nil, err
	}
	var files []File
	var errs []error
	for i, pt := range partners {
		if err := ctx.Err(); err != nil {
			return files, err
		}
		fs, err := g.partner(ctx, run, pt, p)
		files = append(files, fs...)
		if err != nil {
			g.log.Error("partner reports failed", "partner", pt.ID, "err", err)
			errs = append(errs, err)
		}
		if g.opt.Progress != nil {
			g.opt.Progress(i+1, len(partners))
		}
	}
	g.log.Info("partner reports written", "as_of", run.AsOf.Format(time.DateOnly), "period", p.Label(),
		"months", p.Months, "partners", len(partners), "files", len(files), "failed", len(errs))
	return files, errors.Join(errs...)
}

// Partner writes one partner's reports for period.
func (g *Generator) Partner(ctx context.Context, run Run, partnerID string, p Period) ([]File, error) {
	partners, err := Partners(ctx, g.store)
	if err != nil {
		return nil, err
	}
	for _, pt := range partners {
		if pt.ID != partnerID {
			continue
		}
		return g.partner(ctx, run, pt, p)
	}
	return nil, fmt.Errorf("reports: no partner %q in the partners reference data", partnerID)
}

// partner queries and writes one partner's reports.
func (g *Generator) partner(ctx context.Context, run Run, pt PartnerInfo, p Period) ([]File, error) {
	g.cleanOnce(filepath.Join(g.out, filepath.FromSlash(partnerDir(run.AsOf, pt.ID))))
	tables, err := g.query(ctx, pt, p)
	if err != nil {
		return nil, err
	}
	defer releaseAll(tables)
	return g.write(ctx, run, pt, p, tables)
}

// query runs every partner report for one partner.
func (g *Generator) query(ctx context.Context, pt PartnerInfo, p Period) ([]render.Table, error) {
	tables := make([]render.Table, 0, len(partnerCatalog))
	args := p.args(pt.ID)
	for _, r := range partnerCatalog {
		t, err := timedQuery(ctx, g.store, r, args, &g.stats.QueryTime)
		if err != nil {
			releaseAll(tables)
			return nil, fmt.Errorf("partner %s: %w", pt.ID, err)
		}
		tables = append(tables, t)
		g.stats.Rows += t.NumRows()
	}
	return tables, nil
}

// write writes one partner's files from its query results and records them.
func (g *Generator) write(ctx context.Context, run Run, pt PartnerInfo, p Period, tables []render.Table) (files []File, err error) {
	t0 := time.Now()
	dir := partnerDir(run.AsOf, pt.ID)
	base := File{PartnerID: pt.ID, Audience: Partner, AsOf: run.AsOf, Period: p.Label()}
	if g.wants(XLSX) {
		wb := partnerWorkbook(run, pt, p, tables)
		f, err := g.writeXLSX(ctx, base, path.Join(dir, "insights_"+p.Suffix()+".xlsx"), wb)
		if err != nil {
			return files, fmt.Errorf("partner %s: %w", pt.ID, err)
		}
		files = append(files, f)
	}
	for i, r := range partnerCatalog {
		stem := path.Join(dir, r.Name+"_"+p.Suffix())
		if g.wants(CSV) {
			f, err := g.writeTable(ctx, base, stem+".csv", CSV, tables[i])
			if err != nil {
				return files, fmt.Errorf("partner %s: %w", pt.ID, err)
			}
			files = append(files, f)
		}
		if r.Parquet && g.wants(Parquet) {
			f, err := g.writeTable(ctx, base, stem+".parquet", Parquet, tables[i])
			if err != nil {
				return files, fmt.Errorf("partner %s: %w", pt.ID, err)
			}
			files = append(files, f)
		}
	}
	g.stats.Partners++
	g.log.Debug("partner reports written", "partner", pt.ID, "files", len(files), "duration", time.Since(t0))
	return files, nil
}

func releaseAll(tables []render.Table) {
	for _, t := range tables {
		Release(t)
	}
}

// partnerMeta is the Metadata sheet. Nothing in it depends on the clock, so
// the same run writes the same workbook.
func partnerMeta(run Run, pt PartnerInfo, p Period) [][2]string {
	return [][2]string{
		{"Partner", pt.ID},
		{"Partner name", pt.Name},
		{"Period", p.Label()},
		{"Window", p.Describe()},
		{"As of", run.AsOf.Format(time.DateOnly)},
		{"Run ID", run.ID},
		{"Generated at", run.GeneratedAt.Format(time.RFC3339)},
		{"Privacy", "Only this partner's data. Customers who opted out of tracking are left out. " +
			"Names and emails show as *** unless the customer bought from this partner through the marketplace."},
	}
}

func (g *Generator) wants(format string) bool { return slices.Contains(g.opt.Formats, format) }
