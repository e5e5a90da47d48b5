package app

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/transform/attribution"
)

func newAttributionCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "attribution",
		Short: "Attribution and campaign results of the last transform: a summary, and the operator's list of bad tracking IDs",
		Example: `  insights attribution summary
  insights attribution issues --status malformed --format csv`,
	}
	cmd.AddCommand(newAttributionSummaryCmd(a), newAttributionIssuesCmd(a))
	return cmd
}

func newAttributionSummaryCmd(a *App) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "summary",
		Short: "Print a short attribution and campaign summary of the last transform",
		Example: `  insights attribution summary
  insights attribution summary --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			t, err := attribution.Summary(ctx, s)
			if err != nil {
				return err
			}
			return printTable(a.Out, t, format)
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

func newAttributionIssuesCmd(a *App) *cobra.Command {
	var format, status string
	var limit int
	cmd := &cobra.Command{
		Use:   "issues",
		Short: "List unregistered and malformed tracking IDs seen, with counts and first/last seen",
		Long: `List the tracking IDs found on deployments that attribute nothing because they are not
registered (tell the partner to register them) or malformed (tell the partner to fix them), most
frequent first. Opted-out customers are left out.`,
		Example: `  insights attribution issues
  insights attribution issues --status unregistered --limit 20 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			t, err := attribution.Issues(ctx, s, status, limit)
			if err != nil {
				return fmt.Errorf("attribution issues: %w", err)
			}
			return printTable(a.Out, t, format)
		},
	}
	addFormatFlag(cmd, &format)
	cmd.Flags().StringVar(&status, "status", "", "only this status: unregistered or malformed")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many rows (0: all)")
	return cmd
}
