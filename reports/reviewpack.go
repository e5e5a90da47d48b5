package reports

import (
	"context"
	"errors"
	"fmt"
	"path"
	"time"

	"github.com/marketplace-insights/insights/reports/render"
)

// ReviewPack writes the rewards team's review pack for the run's as-of:
// <as-of>/_rewards/review_pack.xlsx and one CSV per review report (the
// generator's formats permitting; the pack has no Parquet).
func (g *Generator) ReviewPack(ctx context.Context, run Run) (files []File, err error) {
	tables := make([]render.Table, 0, len(reviewCatalog))
	defer func() { releaseAll(tables) }()
	args := []any{run.AsOf}
	for _, r := range reviewCatalog {
		t0 := time.Now()
		t, err := Query(ctx, g.store, r, args)
		if err != nil {
			return nil, fmt.Errorf("review pack: %w", err)
		}
		tables = append(tables, t)
		g.addStats(func(s *Stats) {
			s.QueryTime += time.Since(t0)
			s.Rows += t.NumRows()
		})
	}
	dir := rewardsDir(run.AsOf)
	base := File{Audience: Rewards, AsOf: run.AsOf, Period: run.AsOf.Format(time.DateOnly)}
	b := g.batch()
	defer func() {
		if cerr := b.commit(ctx); cerr != nil {
			err = errors.Join(err, fmt.Errorf("review pack: %w", cerr))
		}
	}()
	if g.wants(XLSX) {
		for i, r := range reviewCatalog {
			if r.Empty != "" {
				tables[i].Empty = r.Empty + " as of " + run.AsOf.Format(time.DateOnly)
			}
		}
		asOf := run.AsOf.Format(time.DateOnly)
		defs, err := definitionsTable(reviewCatalog)
		if err != nil {
			return files, fmt.Errorf("review pack: %w", err)
		}
		defer Release(defs)
		wb := render.Workbook{Sheets: append(tables[:len(tables):len(tables)], defs), Charts: reviewCharts(), ChartsBelow: true,
			Title: "Rewards review pack as of " + asOf,
			About: [][2]string{
				{"As of", asOf},
				{"Generated", run.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC") + ", run " + run.ID},
				{"Audience", "The rewards team only: every company's figures, never sent to partners"},
			},
			Footer: "Rewards review pack · as of " + asOf + " · internal",
			Meta: [][2]string{
				{"Report", "Rewards review pack"},
				{"Period", run.AsOf.Format(time.DateOnly)},
				{"As of", run.AsOf.Format(time.DateOnly)},
				{"Run ID", run.ID},
				{"Generated at", run.GeneratedAt.Format(time.RFC3339)},
				{"Contents", "Every company: internal to the rewards team, never sent to partners."},
			}}
		f, err := b.writeXLSX(ctx, base, path.Join(dir, "review_pack.xlsx"), wb)
		if err != nil {
			return files, fmt.Errorf("review pack: %w", err)
		}
		files = append(files, f)
	}
	if g.wants(CSV) {
		for i, r := range reviewCatalog {
			f, err := b.writeTable(ctx, base, path.Join(dir, r.Name+".csv"), CSV, tables[i])
			if err != nil {
				return files, fmt.Errorf("review pack: %w", err)
			}
			files = append(files, f)
		}
	}
	g.log.Info("review pack written", "as_of", run.AsOf.Format(time.DateOnly), "files", len(files))
	return files, nil
}
