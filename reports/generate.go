package reports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
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
	Progress func(done, total int) // called after each partner of All (from one goroutine); nil = none
	// Workers render partners' files in parallel; 0 = the number of cores.
	// The files are the same whatever the number (each is rendered from the
	// same rows by one worker).
	Workers int
	// PartnersPerQuery bounds how many partners one pass of the report
	// queries serves, to bound the memory the results hold; 0 = all partners
	// in one pass (each report queried once).
	PartnersPerQuery int
	Coverage         *Coverage // data watermarks, for the Metadata sheet (coverage.go); nil = not shown
}

// Generator writes report files under an out root and records them in the
// report_files manifest.
type Generator struct {
	store *duckstore.Store
	log   *slog.Logger
	out   string
	opt   Options
	mu    sync.Mutex // guards stats and cleaned: workers use them
	stats Stats

	recordMu sync.Mutex // one manifest transaction at a time (record)

	cleaned map[string]bool // folders already rid of stale temporary files
}

// Stats accumulate what a generator did, for logs and the benchmark.
type Stats struct {
	Partners  int
	Files     int
	Rows      int64         // data rows over every report (each counted once)
	Cells     int64         // xlsx data cells written
	QueryTime time.Duration // DuckDB: running the report queries (and splitting their results by partner)
	XLSXTime  time.Duration // rendering and writing workbooks, summed over workers
	CSVTime   time.Duration // summed over workers
	ParqTime  time.Duration // summed over workers
	// CommitTime is syncing folders and recording files in the manifest,
	// summed over workers.
	CommitTime time.Duration
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
	if opt.Workers < 0 || opt.PartnersPerQuery < 0 {
		return nil, errors.New("reports: workers and partners per query must not be negative")
	}
	if opt.Workers == 0 {
		opt.Workers = runtime.NumCPU()
	}
	return &Generator{store: store, log: log, out: out, opt: opt}, nil
}

// Stats returns what the generator did so far.
func (g *Generator) Stats() Stats {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stats
}

// addStats updates the stats under the lock.
func (g *Generator) addStats(f func(*Stats)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f(&g.stats)
}

// All writes the reports of every registered partner for period. Each report
// is queried once for all partners (or once per PartnersPerQuery partners),
// its result split by partner, and the partners' files are rendered by
// Workers goroutines. A partner that fails is logged and the others still
// run; the error joins every failure. Files come back in partner order.
func (g *Generator) All(ctx context.Context, run Run, p Period) ([]File, error) {
	partners, err := Partners(ctx, g.store)
	if err != nil {
		return nil, err
	}
	var files []File
	var errs []error
	done := 0
	batch := len(partners)
	if g.opt.PartnersPerQuery > 0 {
		batch = g.opt.PartnersPerQuery
	}
	for lo := 0; lo < len(partners); lo += batch {
		if err := ctx.Err(); err != nil {
			return files, err
		}
		group := partners[lo:min(lo+batch, len(partners))]
		fs, errs2 := g.partners(ctx, run, group, p, func() {
			done++
			if g.opt.Progress != nil {
				g.opt.Progress(done, len(partners))
			}
		})
		files = append(files, fs...)
		errs = append(errs, errs2...)
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
		files, errs := g.partners(ctx, run, []PartnerInfo{pt}, p, func() {})
		return files, errors.Join(errs...)
	}
	return nil, fmt.Errorf("reports: no partner %q in the partners reference data", partnerID)
}

// partners queries every partner report once for group (partners in id
// order), splits the results by partner and renders each partner's files on
// the worker pool (each file's manifest row is written with the file).
// Files are returned in partner order; progress is called once per partner,
// in order.
func (g *Generator) partners(ctx context.Context, run Run, group []PartnerInfo, p Period, progress func()) ([]File, []error) {
	tables, err := g.query(ctx, group, p)
	if err != nil {
		for range group {
			progress()
		}
		return nil, []error{err}
	}
	type result struct {
		files []File
		err   error
		done  chan struct{}
	}
	results := make([]result, len(group))
	for i := range results {
		results[i].done = make(chan struct{})
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(g.opt.Workers, len(group)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				pt := group[i]
				g.cleanOnce(filepath.Join(g.out, filepath.FromSlash(partnerDir(run.AsOf, pt.ID))))
				results[i].files, results[i].err = g.write(ctx, run, pt, p, tables[pt.ID])
				releaseAll(tables[pt.ID])
				close(results[i].done)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range group {
			select {
			case jobs <- i:
			case <-ctx.Done():
				for _, pt := range group[i:] {
					releaseAll(tables[pt.ID])
				}
				for j := i; j < len(group); j++ {
					results[j].err = ctx.Err()
					close(results[j].done)
				}
				return
			}
		}
	}()
	var files []File
	var errs []error
	for i, pt := range group { // in partner order, as each is done
		<-results[i].done
		r := results[i]
		if r.err == nil {
			g.addStats(func(s *Stats) { s.Partners++ })
		}
		files = append(files, r.files...)
		if r.err != nil {
			g.log.Error("partner reports failed", "partner", pt.ID, "err", r.err)
			errs = append(errs, r.err)
		}
		progress()
	}
	wg.Wait()
	return files, errs
}

// query runs every partner report once for the partners of group and splits
// each result by partner: partner id → one table per report, in catalog order.
func (g *Generator) query(ctx context.Context, group []PartnerInfo, p Period) (map[string][]render.Table, error) {
	ids := make([]string, len(group))
	for i, pt := range group {
		ids[i] = pt.ID
	}
	out := make(map[string][]render.Table, len(ids))
	release := func() {
		for _, ts := range out {
			releaseAll(ts)
		}
	}
	args := p.args(ids[0], ids[len(ids)-1])
	for _, r := range partnerCatalog {
		t0 := time.Now()
		t, err := Query(ctx, g.store, r, args)
		if err != nil {
			release()
			return nil, err
		}
		split, err := splitPartners(t, ids)
		Release(t) // the slices keep what they use
		g.addStats(func(s *Stats) {
			s.QueryTime += time.Since(t0)
			s.Rows += t.NumRows()
		})
		if err != nil {
			release()
			return nil, err
		}
		for _, id := range ids {
			out[id] = append(out[id], split[id])
		}
	}
	return out, nil
}

// write writes one partner's files from its query results. Workers call it
// concurrently.
func (g *Generator) write(ctx context.Context, run Run, pt PartnerInfo, p Period, tables []render.Table) (files []File, err error) {
	t0 := time.Now()
	dir := partnerDir(run.AsOf, pt.ID)
	base := File{PartnerID: pt.ID, Audience: Partner, AsOf: run.AsOf, Period: p.Label()}
	b := g.batch()
	defer func() {
		if cerr := b.commit(ctx); cerr != nil {
			err = errors.Join(err, fmt.Errorf("partner %s: %w", pt.ID, cerr))
		}
	}()
	if g.wants(XLSX) {
		defs, err := definitionsTable(partnerCatalog)
		if err != nil {
			return files, err
		}
		defer Release(defs)
		if run.DataThrough == "" && g.opt.Coverage != nil {
			run.DataThrough = g.opt.Coverage.DataThrough() // the Summary's title block says it too
		}
		wb := partnerWorkbook(run, pt, p, tables, defs)
		wb.Meta = append(wb.Meta, g.opt.Coverage.meta(pt.ID, p)...) // "Data through"; marked when written past the data
		f, err := b.writeXLSX(ctx, base, path.Join(dir, "insights_"+p.Suffix()+".xlsx"), wb)
		if err != nil {
			return files, fmt.Errorf("partner %s: %w", pt.ID, err)
		}
		files = append(files, f)
	}
	for i, r := range partnerCatalog {
		stem := path.Join(dir, r.Name+"_"+p.Suffix())
		if g.wants(CSV) {
			f, err := b.writeTable(ctx, base, stem+".csv", CSV, tables[i])
			if err != nil {
				return files, fmt.Errorf("partner %s: %w", pt.ID, err)
			}
			files = append(files, f)
		}
		if r.Parquet && g.wants(Parquet) {
			f, err := b.writeTable(ctx, base, stem+".parquet", Parquet, tables[i])
			if err != nil {
				return files, fmt.Errorf("partner %s: %w", pt.ID, err)
			}
			files = append(files, f)
		}
	}
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
