package app

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

func newRunsCmd(a *App) *cobra.Command {
	var job, format string
	var limit int
	var transforms bool
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "Show the run history: scheduled, caught-up, manual and backfill runs, newest first",
		Long: `Show the run history: scheduled, caught-up, manual and backfill runs, newest first.
A run of the transform (job transform, or batch) says in its recomputed column what
the transform recomputed and why: full or incremental, which datasets and months
changed ("usage 2026-10: 3 files") and which partitions and tier windows that
recomputed. A run of the partners' reports (job reports, or batch) says there how many
partners it rendered and how many it kept because nothing their files show changed
(linked from an earlier as-of date, or kept in place). --transform lists every transform
run instead, also those run by hand (insights transform) and failed ones.`,
		Example: `  insights runs
  insights runs --job batch --limit 5
  insights runs --transform
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
			var t duckstore.Table
			if transforms {
				if job != "" {
					return fmt.Errorf("--transform lists transform runs: --job %s does not apply", job)
				}
				t, err = s.TableNamed(ctx, "incremental/runs", limit)
			} else {
				t, err = s.TableNamed(ctx, "scheduler/runs_list", job, limit)
			}
			if err != nil {
				return fmt.Errorf("runs: %w", err)
			}
			return printTable(a.Out, t, format)
		},
	}
	f := cmd.Flags()
	f.StringVar(&job, "job", "", "only this job")
	f.IntVar(&limit, "limit", 20, "at most this many runs")
	f.BoolVar(&transforms, "transform", false, "list the transform runs (scheduled or by hand), each with what it recomputed and why")
	addFormatFlag(cmd, &format)
	return cmd
}
