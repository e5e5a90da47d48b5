package app

import (
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/gen"
)

// newGenCmd writes a synthetic landing folder. It never opens the database:
// generating sample data must work before any store exists.
func newGenCmd(a *App) *cobra.Command {
	var (
		out     string
		opt     gen.Options
		endStr  string
		nextDay bool
	)
	cmd := &cobra.Command{
		Use:   "gen --out DIR",
		Short: "Write a deterministic synthetic marketplace (all datasets) into a landing folder",
		Example: `  insights gen --out demo/landing
  insights gen --out /tmp/landing --scale 10 --seed 7 --months 18 --end 2026-06
  insights gen --out demo/landing/day --next-day   # one more day of the same marketplace`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			end, err := time.Parse("2006-01", endStr)
			if err != nil {
				return fmt.Errorf("--end %q: want YYYY-MM", endStr)
			}
			if opt.Scale < 1 {
				return fmt.Errorf("--scale %d: want 1 or more", opt.Scale)
			}
			if opt.Months < 1 {
				return fmt.Errorf("--months %d: want 1 or more", opt.Months)
			}
			opt.Start = gen.StartFor(end, opt.Months)
			began := time.Now()
			if nextDay {
				sum, day, err := gen.NextDay(cmd.Context(), out, opt)
				if err != nil {
					return err
				}
				a.Log.Info("generated the next day", "dir", sum.Dir, "day", day.Format(time.DateOnly),
					"usage_rows", sum.Rows["usage"], "seconds", time.Since(began).Seconds())
				return printGenSummary(a, sum)
			}
			sum, err := gen.Generate(cmd.Context(), out, opt)
			if err != nil {
				return err
			}
			a.Log.Info("generated", "dir", sum.Dir, "files", len(sum.Files),
				"usage_rows", sum.Rows["usage"], "seconds", time.Since(began).Seconds())
			return printGenSummary(a, sum)
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "landing folder to write (created if missing)")
	f.IntVar(&opt.Scale, "scale", 1, "size: 1 ≈ 100,000 usage rows, linear")
	f.Int64Var(&opt.Seed, "seed", 1, "random seed: the same seed writes the same bytes")
	f.IntVar(&opt.Months, "months", gen.DefaultMonths, "months of data")
	f.StringVar(&endStr, "end", gen.DefaultEnd.Format("2006-01"), "last month of data (YYYY-MM)")
	f.BoolVar(&nextDay, "next-day", false, "write only the day after the window of the marketplace these flags generate (same seed, scale, months, end): its usage and the new month's FX rates")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func printGenSummary(a *App, sum gen.Summary) error {
	tw := tabwriter.NewWriter(a.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATASET\tFILE\tROWS")
	var total int64
	for _, f := range sum.Files {
		name, err := filepath.Rel(sum.Dir, f.Path)
		if err != nil {
			name = f.Path
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\n", f.Dataset, name, f.Rows)
		total += f.Rows
	}
	fmt.Fprintf(tw, "total\t%d files\t%d\n", len(sum.Files), total)
	return tw.Flush()
}
