package app

import (
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/transform/tiers"
)

func newTiersCmd(a *App) *cobra.Command {
	var asOf dateFlag
	var pga, format string
	cmd := &cobra.Command{
		Use:   "tiers",
		Short: "Show every partner global account's billed-sales tier status as of a date",
		Long: `Show, for every partner global account (PGA) with its company name, the trailing
billed sales, the tier ("none yet" in the table for a company below the first tier;
empty in CSV and JSON), the next tier, the gap to it and the month it is projected to
be reached at the last months' run rate. Reads the billed sales and tier rules of the last transform run; the
as-of date may be any date (the window ends at the last month end on or before it).`,
		Example: `  insights tiers
  insights tiers --as-of 2026-06-30 --pga 4100548
  insights tiers --format csv > tiers.csv
  insights tiers rules > tiers.toml   # the rules in force, to edit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			t, err := rewards.TierStatus(ctx, s, asOf.Or(time.Now()), pga)
			if err != nil {
				return err
			}
			if format == "table" { // a person reads it: say so, as the pages do
				if k := slices.Index(t.Columns, "tier"); k >= 0 {
					for _, r := range t.Rows {
						if r[k] == nil {
							r[k] = rewards.NoTierYet
						}
					}
				}
			}
			return printTable(a.Out, t, format)
		},
	}
	cmd.Flags().Var(&asOf, "as-of", "as-of date YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&pga, "pga", "", "only this partner global account")
	addFormatFlag(cmd, &format)
	cmd.AddCommand(&cobra.Command{
		Use:   "rules",
		Short: "Print the tier rules in force ([tiers] rules file, else the built-in defaults), after validating them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := tiers.Load(a.abs(a.Cfg.Tiers.Rules))
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(a.Out, r.Text)
			return err
		},
	})
	return cmd
}
