package app

import (
	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/rewards"
)

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
			t, err := rewards.Unlocks(ctx, s, since.Time())
			if err != nil {
				return err
			}
			return printTable(a.Out, t, format)
		},
	}
	cmd.Flags().Var(&since, "since", "only unlocks on or after this date YYYY-MM-DD")
	addFormatFlag(cmd, &format)
	return cmd
}
