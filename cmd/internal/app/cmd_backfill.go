package app

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
)

// maxBackfillMonths keeps a typo (--from 2015-01) from queueing a decade of batches.
const maxBackfillMonths = 120

func newBackfillCmd(a *App) *cobra.Command {
	var from, to, jobName string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "backfill --from YYYY-MM --to YYYY-MM",
		Short: "Run a job once per month end over a range of months, oldest first",
		Long: `backfill runs JOB (default batch) as of the last day of every month from --from to --to,
one after another, each recorded in the run history. It stops at the first failure, so that
later months never build on a failed one; fix the cause and backfill again from that month.`,
		Example: `  insights backfill --from 2026-05 --to 2026-10 --dry-run
  insights backfill --from 2026-05 --to 2026-10
  insights backfill --from 2026-09 --to 2026-09 --job reports`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			dates, err := monthEnds(from, to)
			if err != nil {
				return err
			}
			job, err := a.job(jobName)
			if err != nil {
				return err
			}
			if dryRun {
				for _, d := range dates {
					fmt.Fprintf(a.Out, "would run %s as of %s\n", job.Name, d.Format(time.DateOnly))
				}
				return nil
			}
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			runner := a.jobRunner(s, a.Cfg.Schedules.policy())
			for i, d := range dates {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("backfill interrupted before %s: %w", d.Format(time.DateOnly), err)
				}
				run, err := runner.Run(ctx, job, scheduler.TriggerBackfill, time.Time{}, d)
				fmt.Fprintln(a.Out, describeRun(run))
				if err != nil {
					return err
				}
				if run.Status != scheduler.StatusSucceeded {
					return &ExitError{Code: 1, Err: fmt.Errorf("backfill stopped at %s (%d of %d done): %s",
						d.Format(time.DateOnly), i, len(dates), run.Error)}
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "first month YYYY-MM (required)")
	f.StringVar(&to, "to", "", "last month YYYY-MM (required)")
	f.StringVar(&jobName, "job", "batch", "job to run")
	f.BoolVar(&dryRun, "dry-run", false, "list the runs without running them")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

// monthEnds returns the last day of each month from..to (YYYY-MM), inclusive.
func monthEnds(from, to string) ([]time.Time, error) {
	f, err := time.Parse("2006-01", from)
	if err != nil {
		return nil, fmt.Errorf("--from %q: want YYYY-MM", from)
	}
	t, err := time.Parse("2006-01", to)
	if err != nil {
		return nil, fmt.Errorf("--to %q: want YYYY-MM", to)
	}
	if t.Before(f) {
		return nil, fmt.Errorf("--to %s is before --from %s", to, from)
	}
	var out []time.Time
	for m := f; !m.After(t); m = m.AddDate(0, 1, 0) {
		if len(out) == maxBackfillMonths {
			return nil, fmt.Errorf("%s to %s is more than %d months; backfill in parts", from, to, maxBackfillMonths)
		}
		out = append(out, m.AddDate(0, 1, -1))
	}
	return out, nil
}
