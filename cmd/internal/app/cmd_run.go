package app

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
)

func newRunCmd(a *App) *cobra.Command {
	var asOf dateFlag
	var retries int
	cmd := &cobra.Command{
		Use:   "run [JOB]",
		Short: "Run one job now (default: batch = ingest → transform → reports → review-pack), recorded in the run history",
		Long: `run executes a job the way the scheduler does (retries with back-off, one row in the run
history, see ` + "`insights runs`" + `), then exits non-zero if it failed. Jobs: ` + fmt.Sprint(jobNames()) + `.`,
		Example: `  insights run
  insights run transform --as-of 2026-10-31
  insights run reports --retries 0`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			name := "batch"
			if len(args) == 1 {
				name = args[0]
			}
			job, err := a.job(name)
			if err != nil {
				return err
			}
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			policy := a.Cfg.Schedules.policy()
			if cmd.Flags().Changed("retries") {
				policy.Retries = retries
			}
			runner := a.jobRunner(s, policy)
			run, err := runner.Run(ctx, job, scheduler.TriggerManual, time.Time{}, asOf.Or(time.Now()))
			fmt.Fprintln(a.Out, describeRun(run))
			if err != nil {
				return err
			}
			if run.Status != scheduler.StatusSucceeded {
				return &ExitError{Code: 1, Err: fmt.Errorf("%s failed: %s", run.Job, run.Error)}
			}
			return nil
		},
	}
	cmd.Flags().Var(&asOf, "as-of", "as-of date YYYY-MM-DD (default today)")
	cmd.Flags().IntVar(&retries, "retries", 0, "retries after a failure (default [schedules] retries)")
	return cmd
}

// describeRun is the one line a run gets on the terminal.
func describeRun(r scheduler.Run) string {
	s := fmt.Sprintf("run %d: %s as of %s %s after %d attempt(s) in %s, %d rows",
		r.ID, r.Job, r.AsOf.Format(time.DateOnly), r.Status, r.Attempts, r.Duration().Round(time.Millisecond), r.Rows)
	if r.ID == 0 {
		s += " (not recorded)"
	}
	return s
}
