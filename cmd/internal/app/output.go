package app

import (
	"bytes"
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

// The output helpers every listing command shares: one --format flag, checked
// before any work is done, and one printer for its three formats.

// tableFormats are the --format values of listing commands.
var tableFormats = []string{"table", "csv", "json"}

// formatAnnotation marks a command's --format flag as a listing format, so
// that setup checks it before the command opens the database.
const formatAnnotation = "insights/table-format"

// addFormatFlag adds --format (table, csv or json) to a listing command.
func addFormatFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "format", "table", "output format: "+strings.Join(tableFormats, ", "))
	_ = cmd.Flags().SetAnnotation("format", formatAnnotation, []string{"true"})
}

// checkFormatFlag validates a listing command's --format early.
func checkFormatFlag(cmd *cobra.Command) error {
	f := cmd.Flags().Lookup("format")
	if f == nil || f.Annotations[formatAnnotation] == nil {
		return nil
	}
	return checkFormat(f.Value.String())
}

func checkFormat(format string) error {
	for _, f := range tableFormats {
		if format == f {
			return nil
		}
	}
	return fmt.Errorf("--format %q: want table, csv or json", format)
}

// printTable writes t as an aligned table, CSV, or a JSON array of objects.
// It renders into memory first so that nothing is written on error.
func printTable(w io.Writer, t duckstore.Table, format string) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	var buf bytes.Buffer
	switch format {
	case "table":
		tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(t.Columns, "\t"))
		for _, r := range t.Rows {
			fmt.Fprintln(tw, strings.Join(cells(r), "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	case "csv":
		cw := csv.NewWriter(&buf)
		if err := cw.Write(t.Columns); err != nil {
			return err
		}
		for _, r := range t.Rows {
			if err := cw.Write(cells(r)); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	case "json":
		out := make([]map[string]any, 0, len(t.Rows))
		for _, r := range t.Rows {
			m := make(map[string]any, len(t.Columns))
			for i, c := range t.Columns {
				m[c] = jsonValue(r[i])
			}
			out = append(out, m)
		}
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func cells(r []any) []string {
	out := make([]string, len(r))
	for i, v := range r {
		out[i] = cellText(v)
	}
	return out
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
