package app

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

func newSQLCmd(a *App) *cobra.Command {
	var format string
	var allowFiles bool
	cmd := &cobra.Command{
		Use:   "sql QUERY",
		Short: "Run read-only SQL against the store and print the result",
		Long: `sql runs one query on the database opened read-only. It is read-only for files too:
DuckDB's external access is off, so the query cannot write files (COPY … TO), read files
(read_csv, read_parquet, glob of any path), ATTACH another database or load extensions.
--allow-files turns file access back on, with the rights of the user running it.

While ` + "`insights serve`" + ` runs, the query runs inside the service, in a read-only transaction:
one statement (SELECT, DESCRIBE, SHOW, SUMMARIZE; with --allow-files also EXPLAIN, PRAGMA, CALL)
whose table functions and tables are checked not to read files unless --allow-files.`,
		Example: `  insights sql "SELECT dataset, count(*) FROM ingest_files GROUP BY ALL ORDER BY 1"
  insights sql --format csv "SELECT * FROM ingest_rejects ORDER BY path, line"
  insights sql --allow-files "SELECT count(*) FROM read_csv('demo/landing/orders.csv')"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := a.sqlStore(ctx, allowFiles)
			if err != nil {
				return err
			}
			var t duckstore.Table
			err = s.QueryReadOnly(ctx, args[0], !allowFiles, func(rows *sql.Rows) error {
				t, err = duckstore.ReadTable(rows)
				return err
			})
			if err != nil {
				return fmt.Errorf("sql: %w", err)
			}
			return printTable(a.Out, t, format)
		},
	}
	addFormatFlag(cmd, &format)
	cmd.Flags().BoolVar(&allowFiles, "allow-files", false, "let the query read and write files (DuckDB external access)")
	return cmd
}

// sqlStore opens the database read-only for `sql`, with DuckDB's external
// access off unless allowFiles. It is the app's store, closed at exit.
func (a *App) sqlStore(ctx context.Context, allowFiles bool) (*duckstore.Store, error) {
	if a.svc != nil {
		return a.svc.store, nil
	}
	if a.store != nil {
		return a.store, nil
	}
	cfg := a.Cfg.Store.duckstore(true)
	cfg.NoFiles = !allowFiles
	s, err := duckstore.Open(ctx, cfg, a.Log)
	if err != nil {
		return nil, err
	}
	a.store = s
	return s, nil
}
