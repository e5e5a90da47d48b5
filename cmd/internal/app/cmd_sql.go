package app

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

func init() { register(newSQLCmd) }

func newSQLCmd(a *App) *cobra.Command {
	var format string
	var allowFiles bool
	cmd := &cobra.Command{
		Use:   "sql QUERY",
		Short: "Run read-only SQL against the store and print the result",
		Long: `sql runs one query on the database opened read-only. It is read-only for files too:
DuckDB's external access is off, so the query cannot write files (COPY … TO), read files
(read_csv, read_parquet, glob of any path), ATTACH another database or load extensions.
--allow-files turns file access back on, with the rights of the user running it.`,
		Example: `  insights sql "SELECT dataset, count(*) FROM ingest_files GROUP BY ALL ORDER BY 1"
  insights sql --format csv "SELECT * FROM ingest_rejects ORDER BY path, line"
  insights sql --allow-files "SELECT count(*) FROM read_csv('landing/orders.csv')"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := a.sqlStore(ctx, allowFiles)
			if err != nil {
				return err
			}
			rows, err := s.Query(ctx, args[0])
			if err != nil {
				return fmt.Errorf("sql: %w", err)
			}
			defer rows.Close()
			return printRows(ctx, a.Out, rows, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	cmd.Flags().BoolVar(&allowFiles, "allow-files", false, "let the query read and write files (DuckDB external access)")
	return cmd
}

// sqlStore opens the database read-only for `sql`, with DuckDB's external
// access off unless allowFiles. It is the app's store, closed at exit.
func (a *App) sqlStore(ctx context.Context, allowFiles bool) (*duckstore.Store, error) {
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

// printRows writes a result set as an aligned table, CSV or JSON lines-free array.
func printRows(_ context.Context, w io.Writer, rows *sql.Rows, format string) error {
	cols, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("sql: %w", err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	switch format {
	case "table":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return fmt.Errorf("sql: %w", err)
			}
			cells := make([]string, len(vals))
			for i, v := range vals {
				cells[i] = cellText(v)
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sql: %w", err)
		}
		return tw.Flush()
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(cols); err != nil {
			return err
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return fmt.Errorf("sql: %w", err)
			}
			cells := make([]string, len(vals))
			for i, v := range vals {
				cells[i] = cellText(v)
			}
			if err := cw.Write(cells); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sql: %w", err)
		}
		cw.Flush()
		return cw.Error()
	case "json":
		out := []map[string]any{}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return fmt.Errorf("sql: %w", err)
			}
			m := make(map[string]any, len(cols))
			for i, c := range cols {
				m[c] = jsonValue(vals[i])
			}
			out = append(out, m)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sql: %w", err)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	default:
		return fmt.Errorf("--format %q: want table, csv or json", format)
	}
}

// cellText renders a scanned value the way an analyst expects to read it.
func cellText(v any) string {
	if d, ok := duckstore.DecimalText(v); ok {
		return d
	}
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	case fmt.Stringer:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case nil, bool, string, int64, int32, float64, float32:
		return x
	case []byte:
		return string(x)
	default:
		return cellText(x) // decimals as exact text, never a float
	}
}
