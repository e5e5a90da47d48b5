package app

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newRunsCmd(a *App) *cobra.Command {
	var job, format string
	var limit int
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "Show the run history: scheduled, caught-up, manual and backfill runs, newest first",
		Example: `  insights runs
  insights runs --job batch --limit 5
  insights runs --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if limit <= 0 {
				return fmt.Errorf("--limit %d: must be positive", limit)
			}
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			t, err := s.TableNamed(ctx, "scheduler/runs_list", job, limit)
			if err != nil {
				return fmt.Errorf("runs: %w", err)
			}
			return printTable(a.Out, t, format)
		},
	}
	f := cmd.Flags()
	f.StringVar(&job, "job", "", "only this job")
	f.IntVar(&limit, "limit", 20, "at most this many runs")
	addFormatFlag(cmd, &format)
	return cmd
}
