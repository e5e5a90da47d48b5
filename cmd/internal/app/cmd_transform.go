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
	cmd := &cobra.Command{
		Use:   "transform",
		Short: "Run every transform step (attribution, campaigns, billed sales, tiers) as one run",
		Example: `  insights transform
  insights transform --as-of 2026-10-31`,
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
			run, err := a.runTransform(ctx, s, when)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "transform run %s as of %s%s: %d steps\n", run.ID, run.AsOf.Format(time.DateOnly), why, run.Steps)
			cov, err := reports.LoadCoverage(ctx, s)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "data through %s\n", cov.DataThrough())
			return nil
		},
	}
	cmd.Flags().Var(&asOf, "as-of", "as-of date YYYY-MM-DD (default: the data's latest date, see data_watermarks)")
	return cmd
}

// runTransform runs the declared transform (transform.Default) with the
// configured tier rules.
func (a *App) runTransform(ctx context.Context, s *duckstore.Store, asOf time.Time) (transform.Run, error) {
	rules, err := tiers.Load(a.abs(a.Cfg.Tiers.Rules))
	if err != nil {
		return transform.Run{}, err
	}
	p, err := transform.Default(rules, transform.WithPlatformIDs(a.Cfg.Attribution.platformIDs()))
	if err != nil {
		return transform.Run{}, err
	}
	run, err := transform.NewRunner(s, a.Log, p).Run(ctx, asOf)
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
