package app

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/tiers"
)

func newTransformCmd(a *App) *cobra.Command {
	var asOf dateFlag
	var full bool
	cmd := &cobra.Command{
		Use:   "transform",
		Short: "Run every transform step (attribution, campaigns, billed sales, tiers) as one run, recomputing what changed",
		Example: `  insights transform
  insights transform --as-of 2026-10-31
  insights transform --full`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			when, why := asOf.t, ""
			if !asOf.set {
				// Not the clock: the data's latest date, so that a late delivery is not passed.
				through, _, ok, err := reports.RawDataThrough(ctx, s)
				if err != nil {
					return err
				}
				when, why = through, " (the data's latest date; --as-of to choose another)"
				if !ok {
					when, why = asOf.Or(time.Now()), " (today: there is no orders or usage data yet)"
				}
			}
			run, err := a.runTransformMode(ctx, s, when, full)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "transform run %s as of %s%s: %d steps\n", run.ID, run.AsOf.Format(time.DateOnly), why, run.Steps)
			fmt.Fprintf(a.Out, "%s\n", run.Recomputed)
			cov, err := reports.LoadCoverage(ctx, s)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "data through %s\n", cov.DataThrough())
			return nil
		},
	}
	cmd.Flags().Var(&asOf, "as-of", "as-of date YYYY-MM-DD (default: the data's latest date, see data_watermarks)")
	cmd.Flags().BoolVar(&full, "full", false, "recompute every partition, not only what changed since the last successful run (same result)")
	return cmd
}

// runTransform runs the declared transform (transform.Default) with the
// configured tier rules, incrementally: what changed since the last successful
// run (the scheduled batch runs this).
func (a *App) runTransform(ctx context.Context, s *duckstore.Store, asOf time.Time) (transform.Run, error) {
	return a.runTransformMode(ctx, s, asOf, false)
}

// runTransformMode is runTransform, or a full run when full is set.
func (a *App) runTransformMode(ctx context.Context, s *duckstore.Store, asOf time.Time, full bool) (transform.Run, error) {
	rules, err := tiers.Load(a.abs(a.Cfg.Tiers.Rules))
	if err != nil {
		return transform.Run{}, err
	}
	p, err := transform.Default(rules, transform.WithPlatformIDs(a.Cfg.Attribution.platformIDs()))
	if err != nil {
		return transform.Run{}, err
	}
	r := transform.NewRunner(s, a.Log, p)
	runner := r.RunIncremental
	if full {
		runner = r.RunFull
	}
	run, err := runner(ctx, asOf)
	if err != nil {
		return run, err
	}
	// Every run, scheduled or not, logs what the data covers (and records it: data_watermarks).
	cov, err := reports.LoadCoverage(ctx, s)
	if err != nil {
		return run, err
	}
	attrs := []any{"run_id", run.ID, "as_of", run.AsOf.Format(time.DateOnly), "data_through", cov.DataThrough()}
	for _, w := range cov.Datasets {
		through := "none"
		if !w.DataThrough.IsZero() {
			through = w.DataThrough.Format(time.DateOnly)
		}
		attrs = append(attrs, w.Dataset, through)
	}
	a.Log.Info("data watermark", attrs...)
	return run, nil
}
