package app

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/ingest"
)

func init() { register(newIngestCmd) }

// exitSomeFilesUnreadable is ingest's exit code when some file could not be
// read at all (it was quarantined; everything else loaded).
const exitSomeFilesUnreadable = 2

func newIngestCmd(a *App) *cobra.Command {
	var dataset, quarantine, partner string
	cmd := &cobra.Command{
		Use:   "ingest [--dataset NAME] [--partner ID] PATH...",
		Short: "Load landing files (CSV, TSV, JSON lines, Parquet) into the raw tables",
		Long: `Load landing files into the raw tables. PATH is a file or a folder (read recursively,
hidden files skipped). Each file's dataset is detected from its header unless --dataset is given:
` + strings.Join(ingest.DatasetNames(), ", ") + `.

Bad rows are rejected (see the ingest_rejects table) while the good rows of the same file load.
A file already ingested (same content) is skipped; a corrected re-delivery replaces the rows with
the same natural keys. A file that cannot be read at all is moved to the quarantine folder (a file
named from outside the landing folder is copied there and left in place) and the command exits
with status 2 after loading the others.

Partner Center downloads name no publisher: a row's publisher is its PublisherId, else the folder
it landed in (landing/<partner_id>/…), else --partner, else its offer; a file whose publisher
cannot be told is refused with an error naming it. See docs/datasets.md.`,
		Example: `  insights ingest landing/
  insights ingest --dataset fx_rates rates-2025-06.csv
  insights ingest --partner contoso ~/Downloads/OrdersReport.csv
  insights sql "SELECT line, column_name, reason, raw FROM ingest_rejects ORDER BY path, line"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if !cmd.Flags().Changed("quarantine") {
				quarantine = a.Cfg.Ingest.Quarantine
			}
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			log := a.Log
			var progress io.Writer
			if isTerminal(a.ErrOut) {
				term := ingest.NewTerminal(a.ErrOut)
				progress = term
				log = slog.New(a.logHandler(term))
			}
			sum, err := ingest.New(s, log, ingest.Options{
				Dataset:             dataset,
				Partner:             partner,
				LandingDir:          a.Cfg.Ingest.Landing,
				QuarantineDir:       quarantine,
				Progress:            progress,
				CheckpointThreshold: a.Cfg.Ingest.CheckpointThreshold,
				Limits:              a.Cfg.Ingest.Limits(),
			}).Ingest(ctx, args)
			if perr := sum.Print(a.Out); perr != nil && err == nil {
				err = perr
			}
			if err != nil {
				return err
			}
			if n := sum.Count(ingest.StatusQuarantined); n > 0 {
				return &ExitError{Code: exitSomeFilesUnreadable, Err: fmt.Errorf("%d file(s) could not be read and were quarantined in %s", n, quarantine)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dataset, "dataset", "", "load every file as this dataset instead of detecting it ("+strings.Join(ingest.DatasetNames(), ", ")+")")
	cmd.Flags().StringVar(&partner, "partner", "", "publisher (partner id) of files that name none and do not lie in landing/<partner_id>/")
	cmd.Flags().StringVar(&quarantine, "quarantine", "", "folder for files that cannot be read (default from config ingest.quarantine, ./quarantine)")
	return cmd
}

// logHandler is a handler like the one of a.Log (same level and format)
// writing to w.
func (a *App) logHandler(w io.Writer) slog.Handler {
	var level slog.Level
	_ = level.UnmarshalText([]byte(a.logLevel)) // validated in setup
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(a.logFormat, "json") {
		return slog.NewJSONHandler(w, opts)
	}
	return slog.NewTextHandler(w, opts)
}
