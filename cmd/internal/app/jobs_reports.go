package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
	"github.com/marketplace-insights/insights/reports"
)

// reportJobs returns the "reports" (every partner) and "review-pack" jobs.
// Both read the transform run of their as-of; each returns the files written.
func (a *App) reportJobs() []scheduler.Job {
	return []scheduler.Job{
		{Name: "reports", Run: func(ctx context.Context, asOf time.Time) (int64, error) {
			g, run, err := a.reportGenerator(ctx, asOf, a.Cfg.Reports.Out, a.Cfg.Reports.Formats)
			if err != nil {
				return 0, err
			}
			p, err := a.reportPeriod(ctx, asOf)
			if err != nil {
				return 0, err
			}
			if err := a.checkCoverage(ctx, g, p, "", a.Cfg.Reports.AllowEmpty); err != nil {
				if errors.Is(err, reports.ErrNoCoverage) {
					// Waiting out the retry back-off brings no data: fail now.
					err = scheduler.Permanent(err)
				}
				return 0, err
			}
			files, err := g.All(ctx, run, p)
			return int64(len(files)), err
		}},
		{Name: "review-pack", Run: func(ctx context.Context, asOf time.Time) (int64, error) {
			g, run, err := a.reportGenerator(ctx, asOf, a.Cfg.Reports.Out, a.Cfg.Reports.Formats)
			if err != nil {
				return 0, err
			}
			files, err := g.ReviewPack(ctx, run)
			return int64(len(files)), err
		}},
	}
}

// reportPeriod is the period of the scheduled reports for asOf (see
// ReportsConfig.period), asked of the store reportGenerator opened.
func (a *App) reportPeriod(ctx context.Context, asOf time.Time) (reports.Period, error) {
	s, err := a.Store(ctx)
	if err != nil {
		return reports.Period{}, err
	}
	return a.Cfg.Reports.period(ctx, s, asOf)
}

// reportGenerator opens the store, finds the transform run of asOf (the
// latest run when asOf is zero) and returns a generator writing under out.
func (a *App) reportGenerator(ctx context.Context, asOf time.Time, out string, formats []string, tune ...func(*reports.Options)) (*reports.Generator, reports.Run, error) {
	s, err := a.Store(ctx)
	if err != nil {
		return nil, reports.Run{}, err
	}
	var run reports.Run
	if asOf.IsZero() {
		run, err = reports.LatestRun(ctx, s)
	} else {
		run, err = reports.RunFor(ctx, s, asOf)
	}
	if err != nil {
		return nil, reports.Run{}, err
	}
	cov, err := reports.LoadCoverage(ctx, s)
	if err != nil {
		return nil, reports.Run{}, err
	}
	opt := reports.Options{Formats: formats, MaxRows: a.Cfg.Reports.MaxRows, Coverage: &cov,
		Workers: a.Cfg.Reports.Workers, PartnersPerQuery: a.Cfg.Reports.PartnersPerQuery, Build: commit}
	if isTerminal(a.ErrOut) {
		opt.Progress = progressLine(a.ErrOut, "reports")
	}
	for _, f := range tune {
		f(&opt)
	}
	g, err := reports.New(s, a.Log, a.abs(out), opt)
	if err != nil {
		return nil, reports.Run{}, err
	}
	return g, run, nil
}

// progressLine redraws one "what: done/total partners" line on a terminal.
func progressLine(w io.Writer, what string) func(done, total int) {
	return func(done, total int) {
		fmt.Fprintf(w, "\r%s: %d/%d partners", what, done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
