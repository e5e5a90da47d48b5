package app

import (
	"fmt"

	"github.com/spf13/cobra"

	sqlfiles "github.com/marketplace-insights/insights/sql"
)

func init() { register(newUnlocksCmd) }

func newUnlocksCmd(a *App) *cobra.Command {
	var since dateFlag
	var format string
	cmd := &cobra.Command{
		Use:   "unlocks",
		Short: "List tier unlocks with their benefits, readiness and latest review decision",
		Example: `  insights unlocks
  insights unlocks --since 2026-01-01 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			q, err := sqlfiles.Report("tiers_unlocks")
			if err != nil {
				return err
			}
			var d any
			if since.set {
				d = since.t
			}
			rows, err := s.Query(ctx, q, d, d)
			if err != nil {
				return fmt.Errorf("unlocks: %w", err)
			}
			defer rows.Close()
			return printRows(ctx, a.Out, rows, format)
		},
	}
	cmd.Flags().Var(&since, "since", "only unlocks on or after this date YYYY-MM-DD")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return cmd
}
