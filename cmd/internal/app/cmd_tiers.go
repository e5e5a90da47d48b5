package app

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/transform/tiers"
)

func init() { register(newTiersCmd) }

func newTiersCmd(a *App) *cobra.Command {
	var asOf dateFlag
	var pga, format string
	cmd := &cobra.Command{
		Use:   "tiers",
		Short: "Show every partner global account's billed-sales tier status as of a date",
		Long: `Show, for every partner global account (PGA), the trailing billed sales, the tier,
the next tier, the gap to it and the month it is projected to be reached at the last
months' run rate. Reads the billed sales and tier rules of the last transform run; the
as-of date may be any date (the window ends at the last month end on or before it).`,
		Example: `  insights tiers
  insights tiers --as-of 2026-06-30 --pga PGA-0001
  insights tiers --format csv > tiers.csv
  insights tiers rules > tiers.toml   # the rules in force, to edit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			var loaded int
			if err := s.QueryRow(ctx, `SELECT count(*) FROM tier_settings`).Scan(&loaded); err != nil || loaded == 0 {
				return errors.New("no tier rules loaded yet: run `insights transform` first")
			}
			q, err := tiers.StatusQuery()
			if err != nil {
				return err
			}
			rows, err := s.Query(ctx, `SELECT pga_id, as_of, window_start, window_end,
					CAST(ttm_billed_sales_usd AS VARCHAR) AS ttm_billed_sales_usd, tier, next_tier,
					CAST(gap_usd AS VARCHAR) AS gap_usd, CAST(run_rate_usd AS VARCHAR) AS run_rate_usd, projected_month
				FROM (`+"\n"+q+"\n"+`) s
				WHERE ? = '' OR pga_id = ?
				ORDER BY pga_id`, asOf.Or(time.Now()), pga, pga)
			if err != nil {
				return fmt.Errorf("tiers: %w", err)
			}
			defer rows.Close()
			return printRows(ctx, a.Out, rows, format)
		},
	}
	cmd.Flags().Var(&asOf, "as-of", "as-of date YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&pga, "pga", "", "only this partner global account")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	cmd.AddCommand(&cobra.Command{
		Use:   "rules",
		Short: "Print the tier rules in force ([tiers] rules file, else the built-in defaults), after validating them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := tiers.Load(a.Cfg.Tiers.Rules)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(a.Out, r.Text)
			return err
		},
	})
	return cmd
}
