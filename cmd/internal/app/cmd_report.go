package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/reports"
)

func newReportCmd(a *App) *cobra.Command {
	var (
		asOf                   dateFlag
		partner, period, trend string
		formats, out, lang     string
		all, list, allowEmpty  bool
	)
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write a partner's Insights reports (xlsx workbook, CSV per report, Parquet detail) for a period",
		Long: `report writes one partner's reports (--partner) or every partner's (--all) for a report
month and a trend of 1, 3, 6 or 12 months ending with it, under <out>/<as-of>/<partner>/, and
records them in the report_files manifest. The data is the last transform run's; --as-of checks
it is for that date. --list prints the report catalog.

A report never silently passes the data: a report month after the data's last complete month, or
a partner with no data at all in the window, is refused with a message naming the month, the
partner and the latest data date (see the data_watermarks table); --allow-empty writes it anyway,
and its Metadata sheet says so. Without --period (and no [reports] period) the report month is the
as-of's latest complete month, or the data's if that is earlier.

The workbook is in the language of each partner's company (its partner global account's setting;
English when it has none); --lang en, fr or zh-Hans writes every workbook in that language. The
CSV and Parquet files are the same in every language.`,
		Example: `  insights report --partner contoso --period 2026-09
  insights report --partner contoso --period 2026-09 --trend 12m --format xlsx,csv --out /tmp/reports
  insights report --all --as-of 2026-10-31
  insights report --partner contoso --period 2026-11 --allow-empty
  insights report --partner contoso --period 2026-09 --lang fr
  insights report --list`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if list {
				return printCatalog(a)
			}
			if all == (partner != "") {
				return errors.New("give --partner ID or --all")
			}
			ctx := cmd.Context()
			fs := a.Cfg.Reports.Formats
			if cmd.Flags().Changed("format") {
				var err error
				if fs, err = reports.ParseFormats(formats); err != nil {
					return err
				}
			}
			if out == "" {
				out = a.Cfg.Reports.Out
			}
			var forced i18n.Lang
			if lang != "" {
				l, ok := i18n.Parse(lang)
				if !ok {
					return fmt.Errorf("--lang %q: want en, fr or zh-Hans", lang)
				}
				forced = l
			}
			when := asOf.Time()
			g, run, err := a.reportGenerator(ctx, when, out, fs, func(o *reports.Options) { o.Lang = forced })
			if err != nil {
				return err
			}
			p, err := a.reportPeriod(ctx, run.AsOf)
			if err != nil {
				return err
			}
			month, months := p.Month, p.Months
			fromData := false
			if period == "" && a.Cfg.Reports.Period == "" {
				// Not the clock: the latest complete month of the data, when the as-of is past it.
				if cm := g.Coverage().Reports.CompleteMonth; !cm.IsZero() && cm.Before(month) {
					month, fromData = cm, true
				}
			}
			if period != "" {
				if month, err = reports.ParseMonth(period); err != nil {
					return err
				}
			}
			if trend != "" {
				if months, err = reports.ParseTrend(trend); err != nil {
					return err
				}
			}
			if p, err = reports.NewPeriod(month, months); err != nil {
				return err
			}
			if fromData {
				fmt.Fprintf(a.Out, "report month %s: the data's latest complete month (data through %s)\n",
					p.Label(), g.Coverage().Reports.DataThrough.Format(time.DateOnly))
			}
			if err := a.checkCoverage(ctx, g, p, partner, allowEmpty); err != nil {
				return err
			}
			var files []reports.File
			if all {
				files, err = g.All(ctx, run, p)
			} else {
				files, err = g.Partner(ctx, run, partner, p)
			}
			printFiles(a, out, files, !all)
			if err != nil {
				return err
			}
			st := g.Stats()
			fmt.Fprintf(a.Out, "%d files for %d partner(s), %s, as of %s (run %s), data through %s, in %s\n",
				len(files), st.Partners, p.Describe(), run.AsOf.Format(time.DateOnly), run.ID, g.Coverage().DataThrough(),
				(st.QueryTime + st.XLSXTime + st.CSVTime + st.ParqTime).Round(time.Millisecond))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&partner, "partner", "", "partner (publisher profile) id")
	f.BoolVar(&all, "all", false, "every registered partner")
	f.StringVar(&period, "period", "", "report month YYYY-MM (default [reports] period, else the as-of's latest complete month)")
	f.StringVar(&trend, "trend", "", "months of trend ending with the report month: 1m, 3m, 6m or 12m (default [reports] trend, 6m)")
	f.StringVar(&formats, "format", "", "comma-separated formats: xlsx, csv, parquet (default [reports] formats, all three)")
	f.StringVar(&out, "out", "", "output root (default [reports] out, ./out)")
	f.Var(&asOf, "as-of", "as-of date YYYY-MM-DD; must be the last transform run's (default: that run's)")
	f.BoolVar(&list, "list", false, "print the report catalog and exit")
	f.StringVar(&lang, "lang", "", "write the workbooks in this language: en, fr or zh-Hans (default: each company's language, else English)")
	f.BoolVar(&allowEmpty, "allow-empty", false, "write reports past the data (a month after its last complete month, a partner without data), marked as such in the Metadata sheet")
	return cmd
}

// printFiles lists written files (each one for a single partner, the folders
// otherwise).
func printFiles(a *App, out string, files []reports.File, each bool) {
	if each {
		for _, f := range files {
			fmt.Fprintf(a.Out, "%s\t%d bytes\n", filepath.Join(out, filepath.FromSlash(f.Path)), f.Size)
		}
		return
	}
	seen := map[string]bool{}
	for _, f := range files {
		dir := filepath.Join(out, filepath.FromSlash(f.Path[:strings.LastIndex(f.Path, "/")]))
		if !seen[dir] {
			seen[dir] = true
			fmt.Fprintln(a.Out, dir)
		}
	}
}

// printCatalog prints every report: name, SQL file, sheet, columns with formats.
func printCatalog(a *App) error {
	tw := tabwriter.NewWriter(a.Out, 0, 0, 2, ' ', 0)
	for _, r := range append(reports.Catalog(), reports.ReviewCatalog()...) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Audience, r.SQLFile(), r.Sheet)
		fmt.Fprintf(tw, "\t%s\n", r.Title)
		cols := make([]string, len(r.Columns))
		for i, c := range r.Columns {
			cols[i] = c.Name + ":" + strings.ToLower(c.Format.String())
		}
		fmt.Fprintf(tw, "\t%s\n", strings.Join(cols, ", "))
	}
	return tw.Flush()
}
