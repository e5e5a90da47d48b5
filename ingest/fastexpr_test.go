package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// The stage's cheap forms of costly expressions (a prefilter before the
// masked-value regular expression, BIGINT directly for plain integers, no
// trim of a JSON line that starts with "{") must give what the costly forms
// give, for every kind of text a file can hold.
func TestFastExpressionsAgreeWithTheirSlowForms(t *testing.T) {
	s := testkit.Open(t)
	values := []string{
		"NULL", "''", "' '", "chr(9)",
		// masks and near misses
		"'***'", "'****'", "' *** '", "chr(9) || '*****' || chr(10)", "'**'", "'* * *'", "'a***'", "'***a'",
		"'*** ***'", "'x'", "'Priya O''Brien'", "'************'",
		// numbers
		"'3'", "'0'", "'-7'", "'+7'", "' 42 '", "'007'", "'3.0'", "'3.5'", "'3.0000001'", "'-0.0'",
		"'1e3'", "'1E3'", "'0x10'", "'0b101'", "'1_000'", "'1-2'", "'+-5'", "'- 5'", "'5-'", "'--5'", "' '",
		// JSON lines
		"'{}'", "'{\"a\": 1}'", "' {\"a\": 1}'", "chr(9) || '{'", "chr(13)", "' ' || chr(9) || chr(13)", "chr(10)",
		"'[1]'", "' x'", "'x{'", "chr(160) || '{'",
		"'9223372036854775807'", "'9223372036854775808'", "'-9223372036854775808'", "'-9223372036854775809'",
		"'99999999999999999999999999'", "'12345678901234567890123456789012345'", "'٣'", "'１２'", "'abc'", "'inf'", "'nan'",
	}
	cases := []struct {
		name       string
		fast, slow func(string) string
	}{
		{"masked", isMaskedExpr, slowIsMaskedExpr},
		{"whole number", wholeNumberExpr, slowWholeNumberExpr},
		{"JSON object line", jsonObjectLineExpr, slowJSONObjectLineExpr},
		{"blank line", blankLineExpr, slowBlankLineExpr},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows := make([]string, len(values))
			for i, v := range values {
				rows[i] = fmt.Sprintf("(%d, %s)", i, v)
			}
			// Every value at least once, so that the test cannot pass on no rows.
			if n := testkit.Str(t, s, fmt.Sprintf(`SELECT count(%s IS NOT NULL) FROM (VALUES %s) AS v(i, t)`, c.fast("t"), strings.Join(rows, ", "))); n != fmt.Sprint(len(values)) {
				t.Fatalf("evaluated %s of %d values", n, len(values))
			}
			q := fmt.Sprintf(`SELECT i, CAST(t AS VARCHAR), CAST(f AS VARCHAR), CAST(s AS VARCHAR)
				FROM (SELECT i, t, %s AS f, %s AS s FROM (VALUES %s) AS v(i, t))
				WHERE f IS DISTINCT FROM s ORDER BY i`, c.fast("t"), c.slow("t"), strings.Join(rows, ", "))
			if differ := testkit.RowsNull(t, s, "∅", q); len(differ) > 0 {
				t.Errorf("fast and slow forms differ (row, text, fast, slow):\n%s", strings.Join(differ, "\n"))
			}
		})
	}
}
