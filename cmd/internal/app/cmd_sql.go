package app

import (
	"database/sql"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

func init() { register(newSQLCmd) }

func newSQLCmd(a *App) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "sql QUERY",
		Short: "Run read-only SQL against the store and print the result",
		Long: `sql runs one read-only statement (SELECT, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMA) and
prints the result. While ` + "`insights serve`" + ` runs, the statement runs inside the service, in a
read-only transaction.`,
		Example: `  insights sql "SELECT dataset, count(*) FROM ingest_files GROUP BY ALL ORDER BY 1"
  insights sql --format csv "SELECT * FROM ingest_rejects ORDER BY path, line"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := a.ReadOnlyStore(ctx)
			if err != nil {
				return err
			}
			var t duckstore.Table
			err = s.QueryReadOnly(ctx, args[0], func(rows *sql.Rows) error {
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
	return cmd
}
