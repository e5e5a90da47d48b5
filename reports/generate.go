package reports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/reports/render"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// File formats a generator writes.
const (
	XLSX    = "xlsx"
	CSV     = "csv"
	Parquet = "parquet"
)

// DefaultPartnersPerQuery is the partners one pass of the report queries
// serves. At scale 100 (418 partners, 2 GB DuckDB memory limit) every
// partner in one pass peaked at 5.4 GiB RSS; 100 per pass at 2.7 GiB, 40 at
// 1.8 GiB, and both were no slower: a pass reads only its partners' range of
// the facts, which are ordered by partner.
const DefaultPartnersPerQuery = 50

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
	// PartnersPerQuery is how many partners one pass of the report queries
	// serves: the results of about two passes are held at once, so it
	// bounds memory; 0 = DefaultPartnersPerQuery.
	PartnersPerQuery int
	Coverage         *Coverage // data watermarks, for the Metadata sheet (coverage.go); nil = not shown
	// Lang writes every partner workbook in this language (insights report
	// --lang); "" = each in its company's language (company_languages),
	// English when the company chose none. The CSV and Parquet files are the
	// same in every language.
	Lang i18n.Lang
	// RenderAll renders every partner, also those whose files did not change
	// since they were rendered for this as-of date or an earlier one (which
	// otherwise keep them, or get them linked: see plans).
	RenderAll bool
	// Build names the program's build (the commit `make build` stamps):
	// part of the fingerprint, so that a new release renders every partner
	// again, also when the Go toolchain stamped no VCS revision (renderVersion
	// and the VCS revision are part of it too).
	Build string
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
	Partners int
	// Kept counts the partners that were not rendered because nothing their
	// files show changed: kept in place (a rerun of the same as-of date) or
	// linked from an earlier as-of date (Linked). Partners counts them too.
	Kept      int
	Linked    int // of Kept: files hard-linked (or copied) from the partner's latest earlier as-of date
	Files     int
	Rows      int64         // data rows over every report (each counted once)
	Cells     int64         // xlsx data cells written
	QueryTime time.Duration // DuckDB: running the report queries (and splitting their results by partner)
	// DigestTime is DuckDB digesting every report's rows per partner, for
	// the fingerprints (keep.go).
	DigestTime time.Duration
	XLSXTime   time.Duration // rendering and writing workbooks, summed over workers
	CSVTime    time.Duration // summed over workers
	ParqTime   time.Duration // summed over workers
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
	if opt.PartnersPerQuery == 0 {
		opt.PartnersPerQuery = DefaultPartnersPerQuery
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
// is queried once per PartnersPerQuery partners, its result split by
// partner, and the partners' files are rendered by Workers goroutines while
// the next group is queried. A partner that fails is logged and the others
// still run; the error joins every failure. Files come back in partner order.
func (g *Generator) All(ctx context.Context, run Run, p Period) ([]File, error) {
	partners, err := Partners(ctx, g.store)
	if err != nil {
		return nil, err
	}
	done := 0
	started, before := time.Now().UTC(), g.Stats()
	files, errs := g.partners(ctx, run, partners, p, func() {
		done++
		if g.opt.Progress != nil {
			g.opt.Progress(done, len(partners))
		}
	})
	st := g.Stats()
	ok, kept, linked := st.Partners-before.Partners, st.Kept-before.Kept, st.Linked-before.Linked
	g.log.Info("partner reports written", "as_of", run.AsOf.Format(time.DateOnly), "period", p.Label(),
		"months", p.Months, "partners", len(partners), "rendered", ok-kept, "kept", kept, "linked", linked,
		"files", len(files), "failed", len(partners)-ok, "query", (st.QueryTime - before.QueryTime).Round(time.Millisecond),
		"digest", (st.DigestTime - before.DigestTime).Round(time.Millisecond))
	// The run history says what this run did, also when it failed or was
	// cancelled part way (what was done is on disk and in the manifest).
	if _, err := duckstore.ExecNamed(context.WithoutCancel(ctx), g.store, "reports/reporting_report_run_record",
		started, time.Now().UTC(), run.AsOf, fmt.Sprintf("%s (%dm)", p.Label(), p.Months),
		len(partners), ok-kept, linked, kept-linked, len(partners)-ok, len(files)); err != nil {
		errs = append(errs, fmt.Errorf("record the reports run: %w", err))
	}
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

// partners writes the reports of list (partners in id order). A producer
// first digests every partner report for all of list (digests: a count and a
// hash of each partner's rows, computed in the database, without sorting nor
// fetching them). Then, for each group of PartnersPerQuery partners, it
// turns them into each partner's fingerprint and decides per partner (plan):
// keep its files, link them from an earlier as-of date (done at once for the
// group, linkGroup), or render. Only for the partners to render does
// it query the reports' rows (once for the range from the first to the last
// of them), split them by partner and hand them to the worker pool; once it
// has handed out a group's last partner it goes on with the next group, so
// the queries overlap the rendering and at most about two groups' results
// are held at once. Files are returned in partner order; progress is called
// once per partner, in order.
func (g *Generator) partners(ctx context.Context, run Run, list []PartnerInfo, p Period, progress func()) ([]File, []error) {
	type result struct {
		files   []File
		err     error
		skipped bool // its group's query failed; the error is on the group's first partner
		done    chan struct{}
	}
	results := make([]result, len(list))
	for i := range results {
		results[i].done = make(chan struct{})
	}
	type job struct {
		i      int
		plan   plan
		tables []render.Table // to render
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range min(g.opt.Workers, len(list)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results[j.i].files, results[j.i].err = g.carryOut(ctx, run, list[j.i], p, j.plan, j.tables)
				releaseAll(j.tables)
				close(results[j.i].done)
			}
		}()
	}
	go func() {
		defer close(jobs)
		// fail ends the partners from lo to hi (exclusive) with err: on the
		// first of them, the others skipped (a group's query failed).
		fail := func(lo, hi int, err error) {
			results[lo].err = err
			for i := lo; i < hi; i++ {
				results[i].skipped = i > lo
				close(results[i].done)
			}
		}
		send := func(j job) bool {
			select {
			case jobs <- j:
				return true
			case <-ctx.Done():
				return false
			}
		}
		// Every partner's digests at once, one query per report: the usage
		// that most reports read is not stored in partner order, so a query
		// per group scanned all of it again for each group (at scale 100
		// the digests were 14 of a day's 18 s, nine scans of every usage
		// row for the retention cohorts alone).
		digests, err := g.digests(ctx, list, p)
		if err != nil {
			fail(0, len(list), err)
			return
		}
		size := g.opt.PartnersPerQuery
		for lo := 0; lo < len(list); lo += size {
			hi := min(lo+size, len(list))
			if err := ctx.Err(); err != nil {
				for i := lo; i < len(list); i++ {
					results[i].err = err
					close(results[i].done)
				}
				return
			}
			plans, err := g.plans(ctx, run, list[lo:hi], p, digests)
			if err == nil {
				if afterPlans != nil {
					afterPlans()
				}
				err = g.linkGroup(ctx, run, list[lo:hi], p, plans)
			}
			if err != nil {
				fail(lo, hi, err)
				continue
			}
			first, last := -1, -1 // the partners to render, lo-based
			for k, pl := range plans {
				if pl.action == actRender {
					if first < 0 {
						first = k
					}
					last = k
				}
			}
			var tables map[string][]render.Table
			if first >= 0 {
				if tables, err = g.query(ctx, list[lo+first:lo+last+1], p); err != nil {
					fail(lo, hi, err)
					continue
				}
			}
			for k := range plans {
				i := lo + k
				j := job{i: i, plan: plans[k]}
				if plans[k].action == actRender {
					j.tables = tables[list[i].ID]
					delete(tables, list[i].ID)
				}
				if !send(j) {
					releaseAll(j.tables)
					for _, ts := range tables {
						releaseAll(ts)
					}
					for k := i; k < len(list); k++ {
						results[k].err = ctx.Err()
						close(results[k].done)
					}
					return
				}
			}
			for _, ts := range tables { // partners in the range that keep their files
				releaseAll(ts)
			}
		}
	}()
	var files []File
	var errs []error
	cancelled := false
	for i, pt := range list { // in partner order, as each is done
		<-results[i].done
		r := results[i]
		files = append(files, r.files...)
		switch {
		case r.err != nil && ctx.Err() != nil && errors.Is(r.err, ctx.Err()):
			cancelled = true // said once, below, not once per partner
		case r.err != nil:
			g.log.Error("partner reports failed", "partner", pt.ID, "err", r.err)
			errs = append(errs, r.err)
		case !r.skipped:
			g.addStats(func(s *Stats) { s.Partners++ })
		}
		progress()
	}
	wg.Wait()
	if cancelled {
		errs = append(errs, ctx.Err())
	}
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
		spent := time.Since(t0)
		g.log.Debug("report queried", "report", r.Name, "partners", len(ids), "rows", t.NumRows(), "duration", spent)
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

// carryOut does what plan says for one partner: returns the files it keeps
// or was linked (linkGroup), or renders them from tables and records the
// fingerprint they were rendered from. Workers call it concurrently.
func (g *Generator) carryOut(ctx context.Context, run Run, pt PartnerInfo, p Period, pl plan, tables []render.Table) ([]File, error) {
	switch pl.action {
	case actKeep:
		g.addStats(func(s *Stats) { s.Kept++ })
		g.log.Debug("partner reports kept", "partner", pt.ID, "files", len(pl.files))
		return pl.files, nil
	case actLinked:
		g.addStats(func(s *Stats) { s.Kept++; s.Linked++ })
		g.log.Debug("partner reports linked from an earlier as-of date", "partner", pt.ID, "files", len(pl.files))
		return pl.files, nil
	}
	files, err := g.write(ctx, run, pt, p, tables)
	if err != nil {
		return files, err
	}
	if err := g.rememberRenders(context.WithoutCancel(ctx), []string{pt.ID}, run.AsOf, p.Label(), []string{pl.fp}); err != nil {
		return files, fmt.Errorf("partner %s: %w", pt.ID, err)
	}
	return files, nil
}

// partnerPaths are the files write writes for a partner, in its order.
func (g *Generator) partnerPaths(run Run, pt PartnerInfo, p Period) []string {
	dir := partnerDir(run.AsOf, pt.ID)
	var paths []string
	if g.wants(XLSX) {
		paths = append(paths, path.Join(dir, "insights_"+p.Suffix()+".xlsx"))
	}
	for _, r := range partnerCatalog {
		stem := path.Join(dir, r.Name+"_"+p.Suffix())
		if g.wants(CSV) {
			paths = append(paths, stem+".csv")
		}
		if r.Parquet && g.wants(Parquet) {
			paths = append(paths, stem+".parquet")
		}
	}
	return paths
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
		lang := g.langFor(pt)
		defs, err := localDefinitionsTable(i18n.For(lang))
		if err != nil {
			return files, err
		}
		defer Release(defs)
		if run.DataThrough == "" && g.opt.Coverage != nil {
			run.DataThrough = g.opt.Coverage.DataThrough() // the Summary's title block says it too
		}
		wb := partnerWorkbook(run, pt, p, tables, defs, lang)
		wb.Meta = append(wb.Meta, g.opt.Coverage.meta(i18n.For(lang), pt.ID, p)...) // "Data through"; marked when written past the data
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
