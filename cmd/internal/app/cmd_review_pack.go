package app

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
)

func newReviewPackCmd(a *App) *cobra.Command {
	var asOf dateFlag
	var out string
	cmd := &cobra.Command{
		Use:   "review-pack",
		Short: "Write the rewards team's review pack (tier status, unlocks, SLA lists, decisions) as xlsx and CSV",
		Example: `  insights review-pack
  insights review-pack --as-of 2026-10-31 --out /tmp/reports`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				out = a.Cfg.Reports.Out
			}
			when := asOf.Time()
			g, run, err := a.reportGenerator(cmd.Context(), when, out, a.Cfg.Reports.Formats)
			if err != nil {
				return err
			}
			files, err := g.ReviewPack(cmd.Context(), run)
			for _, f := range files {
				fmt.Fprintf(a.Out, "%s\t%d bytes\n", filepath.Join(out, filepath.FromSlash(f.Path)), f.Size)
			}
			return err
		},
	}
	cmd.Flags().Var(&asOf, "as-of", "as-of date YYYY-MM-DD; must be the last transform run's (default: that run's)")
	cmd.Flags().StringVar(&out, "out", "", "output root (default [reports] out, ./out)")
	return cmd
}
