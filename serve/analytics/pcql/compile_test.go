package pcql

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

var fixedEnd = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

// testDataset is a small dataset over inline rows of two partners, so that
// compiled queries run on a real DuckDB.
func testDataset() *Dataset {
	return &Dataset{
		Name:   "Things",
		Ranges: DailyRanges,
		SQL: `SELECT name AS "Name", kind AS "Kind", CAST(day AS DATE) AS "Day", flag AS "Flag",
       CAST(qty AS BIGINT) AS "Qty", CAST(amount AS DECIMAL(18,2)) AS "Amount", CAST(day AS DATE) AS _date
FROM (VALUES
    ('p1', 'Alpha',   'saas', '2025-06-30', true,  1, 10.50),
    ('p1', 'alpha',   'saas', '2025-06-01', false, 2, 20.25),
    ('p1', 'Beta',    'vm',   '2025-03-15', true,  3, 30.00),
    ('p1', 'O''Brien','vm',   '2024-12-30', false, 4, 40.00),
    ('p1', NULL,      NULL,   '2025-06-10', NULL,  5, 50.00),
    ('p2', 'Secret',  'saas', '2025-06-30', true,  100, 999.99)
) t(partner, name, kind, day, flag, qty, amount)
WHERE partner = $1`,
		Columns: []Column{
			{Name: "Name", Type: Text}, {Name: "Kind", Type: Text}, {Name: "Day", Type: Date}, {Name: "Flag", Type: Bool},
			{Name: "Qty", Type: Integer, Metric: true, Agg: "sum"}, {Name: "Amount", Type: Decimal, Metric: true, Agg: "sum"},
		},
	}
}

func memStore(t *testing.T) *duckstore.Store {
	t.Helper()
	s, err := duckstore.Open(context.Background(), duckstore.Config{Path: filepath.Join(t.TempDir(), "q.duckdb"), Threads: 1, MemoryLimit: "256MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// run compiles and executes query for partner p1 and returns its rows as
// "a|b|c" lines (NULL as ∅).
func run(t *testing.T, s *duckstore.Store, query string, o Options) []string {
	t.Helper()
	if o.PartnerID == "" {
		o.PartnerID = "p1"
	}
	if o.End.IsZero() {
		o.End = fixedEnd
	}
	c, err := Compile(query, NewCatalog(testDataset()), o)
	if err != nil {
		t.Fatalf("Compile(%q): %v", query, err)
	}
	rows, err := s.Query(context.Background(), c.SQL, c.Args...)
	if err != nil {
		t.Fatalf("run %q: %v\n%s", query, err, c.SQL)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals := make([]any, len(c.Columns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, v := range vals {
			parts = append(parts, show(v))
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func show(v any) string {
	if v == nil {
		return "∅"
	}
	if d, ok := duckstore.DecimalText(v); ok {
		return d
	}
	if tm, ok := v.(time.Time); ok {
		return tm.Format(time.DateOnly)
	}
	return fmt.Sprint(v)
}

// TestCompiledQueriesRun runs each clause and operator on a real DuckDB.
func TestCompiledQueriesRun(t *testing.T) {
	s := memStore(t)
	tests := []struct {
		name, query string
		want        []string
	}{
		{"default six months, total order", "SELECT Name, Day FROM Things",
			[]string{"Alpha|2025-06-30", "Beta|2025-03-15", "alpha|2025-06-01", "∅|2025-06-10"}},
		{"lifetime", "SELECT Name FROM Things TIMESPAN LIFETIME",
			[]string{"Alpha", "Beta", "O'Brien", "alpha", "∅"}},
		{"today", "SELECT Name FROM Things TIMESPAN TODAY", []string{"Alpha"}},
		{"last 30 days", "SELECT Name FROM Things TIMESPAN LAST_30_DAYS", []string{"Alpha", "alpha", "∅"}},
		{"metrics per distinct combination", "SELECT Kind, Qty, Amount FROM Things ORDER BY Qty TIMESPAN LIFETIME",
			[]string{"vm|7|70.00", "∅|5|50.00", "saas|3|30.75"}},
		{"metrics only", "SELECT Qty, Amount FROM Things TIMESPAN LIFETIME", []string{"15|150.75"}},
		{"no metric: distinct without DISTINCT", "SELECT Kind FROM Things WHERE Kind = 'SAAS' TIMESPAN LIFETIME", []string{"saas"}},
		{"no metric: distinct in every selected column", "SELECT Kind, Name FROM Things WHERE Kind = 'saas' TIMESPAN LIFETIME", []string{"saas|Alpha", "saas|alpha"}},
		{"typographic quotes on both sides", "SELECT Name FROM Things WHERE Name = ’Beta’ TIMESPAN LIFETIME", []string{"Beta"}},
		{"typographic quotes, opening and closing", "SELECT Name FROM Things WHERE Name = ‘Beta’ TIMESPAN LIFETIME", []string{"Beta"}},
		{"distinct", "SELECT DISTINCT Kind FROM Things WHERE Kind = 'saas' TIMESPAN LIFETIME", []string{"saas"}},
		{"equals is case-insensitive", "SELECT Name FROM Things WHERE Name = 'ALPHA' TIMESPAN LIFETIME", []string{"Alpha", "alpha"}},
		{"not equal keeps missing values", "SELECT Name FROM Things WHERE Kind != 'saas' TIMESPAN LIFETIME", []string{"Beta", "O'Brien", "∅"}},
		{"like", "SELECT Name FROM Things WHERE Name LIKE '%bri%' TIMESPAN LIFETIME", []string{"O'Brien"}},
		{"not like", "SELECT Name FROM Things WHERE Name NOT LIKE 'a%' TIMESPAN LIFETIME", []string{"Beta", "O'Brien", "∅"}},
		{"in", "SELECT Name FROM Things WHERE Name IN ('beta', 'o''brien') TIMESPAN LIFETIME", []string{"Beta", "O'Brien"}},
		{"not in", "SELECT Name FROM Things WHERE Kind NOT IN ('vm') TIMESPAN LIFETIME", []string{"Alpha", "alpha", "∅"}},
		{"greater on a metric filters the aggregate", "SELECT Kind, Qty FROM Things WHERE Qty > 4 TIMESPAN LIFETIME", []string{"vm|7", "∅|5"}},
		{"metric filter without aggregation filters rows", "SELECT Name FROM Things WHERE Qty >= 4 TIMESPAN LIFETIME", []string{"O'Brien", "∅"}},
		{"quoted number", "SELECT Name FROM Things WHERE Qty = '3' TIMESPAN LIFETIME", []string{"Beta"}},
		{"decimal less or equal", "SELECT Name FROM Things WHERE Amount <= 20.25 TIMESPAN LIFETIME", []string{"Alpha", "alpha"}},
		{"number in list", "SELECT Name FROM Things WHERE Qty IN (1, 4) TIMESPAN LIFETIME", []string{"Alpha", "O'Brien"}},
		{"date compare", "SELECT Name FROM Things WHERE Day < '2025-06-01' TIMESPAN LIFETIME", []string{"Beta", "O'Brien"}},
		{"boolean", "SELECT Name FROM Things WHERE Flag = 'yes' TIMESPAN LIFETIME", []string{"Alpha", "Beta"}},
		{"order asc and limit", "SELECT Name, Qty FROM Things ORDER BY Qty ASC LIMIT 2 TIMESPAN LIFETIME", []string{"Alpha|1", "alpha|2"}},
		{"order default desc", "SELECT Name, Qty FROM Things ORDER BY Qty LIMIT 1 TIMESPAN LIFETIME", []string{"∅|5"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := run(t, s, tc.query, Options{})
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
	t.Run("override replaces TIMESPAN", func(t *testing.T) {
		got := run(t, s, "SELECT Name FROM Things TIMESPAN TODAY", Options{Override: &Span{
			From: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)}})
		if strings.Join(got, ",") != "Beta" {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("paging", func(t *testing.T) {
		q := "SELECT Name FROM Things TIMESPAN LIFETIME"
		p1 := run(t, s, q, Options{PageSize: 2})
		p2 := run(t, s, q, Options{PageSize: 2, Offset: 2})
		p3 := run(t, s, q, Options{PageSize: 2, Offset: 4})
		if got := strings.Join(append(append(p1, p2...), p3...), ","); got != "Alpha,Beta,O'Brien,alpha,∅" {
			t.Fatalf("pages %v %v %v", p1, p2, p3)
		}
		limited := run(t, s, "SELECT Name FROM Things LIMIT 3 TIMESPAN LIFETIME", Options{PageSize: 2, Offset: 2})
		if strings.Join(limited, ",") != "O'Brien" {
			t.Fatalf("the query's LIMIT did not bound the last page: %v", limited)
		}
	})
}

// TestIsolation: whatever the query says, it reads only the partner bound as
// $1, and injection attempts are values or unknown names, never SQL.
func TestIsolation(t *testing.T) {
	s := memStore(t)
	for _, q := range []string{
		"SELECT Name, Qty FROM Things TIMESPAN LIFETIME",
		"SELECT Name FROM Things WHERE Name = 'Secret' TIMESPAN LIFETIME",
		"SELECT Name FROM Things WHERE Name = 'x'' OR partner = ''p2' TIMESPAN LIFETIME",
		"SELECT Name FROM Things WHERE Name LIKE '%' TIMESPAN LIFETIME",
		"SELECT Name FROM Things WHERE Name IN ('Secret', ''') OR 1=1 --') TIMESPAN LIFETIME",
		"SELECT Qty, Amount FROM Things WHERE Qty > -1 TIMESPAN LIFETIME",
	} {
		for _, row := range run(t, s, q, Options{}) {
			if strings.Contains(row, "Secret") || strings.Contains(row, "999.99") || strings.HasPrefix(row, "115") {
				t.Fatalf("%s returned another partner's row %q", q, row)
			}
		}
	}
	if got := run(t, s, "SELECT Name FROM Things TIMESPAN LIFETIME", Options{PartnerID: "p1' OR '1'='1"}); len(got) != 0 {
		t.Fatalf("a partner id that is SQL matched rows: %v", got)
	}
	cat := NewCatalog(testDataset())
	for _, q := range []string{
		`SELECT "partner" FROM Things`,
		"SELECT partner FROM Things",
		"SELECT _date FROM Things",
		"SELECT Name FROM orders",
		"SELECT Name FROM Things WHERE partner = 'p2'",
		"SELECT Name FROM Things; SELECT * FROM api_tokens",
		"SELECT Name FROM read_csv",
	} {
		if _, err := Compile(q, cat, Options{PartnerID: "p1", End: fixedEnd}); err == nil {
			t.Errorf("%s compiled", q)
		}
	}
}

// TestCheckErrors: name and type problems say where and what, with a suggestion.
func TestCheckErrors(t *testing.T) {
	cat := NewCatalog(testDataset())
	tests := []struct{ query, want string }{
		{"SELECT Nmae FROM Things", "position 8: unknown column 'Nmae' in Things; did you mean 'Name'?"},
		{"SELECT Foo FROM Things", "position 8: unknown column 'Foo' in Things"},
		{"SELECT Name FROM Thngs", "position 18: unknown dataset 'Thngs'; did you mean 'Things'?; datasets: Things"},
		{"SELECT Name, name FROM Things", "position 14: 'Name' is selected twice"},
		{"SELECT Name FROM Things TIMESPAN LAST_2_WEEKS", "position 34: TIMESPAN LAST_2_WEEKS is not available for Things; use one of TODAY, "},
		{"SELECT Name FROM Things LIMIT 0", "position 31: LIMIT must be a whole number greater than 0, not 0"},
		{"SELECT Name FROM Things LIMIT 1.5", "LIMIT must be a whole number greater than 0, not 1.5"},
		{"SELECT Name FROM Things WHERE Qty = 'ten'", "position 37: 'ten' is not a number, and Qty is a integer column"},
		{"SELECT Name FROM Things WHERE Day = '31/12/2024'", "'31/12/2024' is not a date (yyyy-MM-dd or yyyy-MM-ddTHH:mm:ssZ), and Day is a date column"},
		{"SELECT Name FROM Things WHERE Flag = 'maybe'", "'maybe' is not yes/no"},
		{"SELECT Name FROM Things WHERE Flag > 'yes'", "'Flag' is yes/no: compare it with = or != (or IN)"},
		{"SELECT Name FROM Things WHERE Qty LIKE '1%'", "position 31: LIKE applies to text; 'Qty' is a integer column"},
		{"SELECT Name FROM Things WHERE Name IN 'a'", "position 39: IN needs a list of values in parentheses"},
		{"SELECT Name FROM Things WHERE Name = ('a', 'b')", "position 38: a list of values needs IN or NOT IN, not ="},
		{"SELECT Name FROM Things ORDER BY Qty", "position 34: ORDER BY 'Qty': only selected columns and metrics can order the rows"},
		{"SELECT Name FROM Things WHERE Qty = 12345678901234567890123456789", "is not a number"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			_, err := Compile(tc.query, cat, Options{PartnerID: "p1", End: fixedEnd})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestSpanOf(t *testing.T) {
	end := time.Date(2025, 6, 30, 15, 4, 5, 0, time.UTC)
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	tests := []struct {
		ts       string
		from, to string
	}{
		{"TODAY", "2025-06-30", "2025-06-30"},
		{"YESTERDAY", "2025-06-29", "2025-06-29"},
		{"LAST_7_DAYS", "2025-06-24", "2025-06-30"},
		{"LAST_14_DAYS", "2025-06-17", "2025-06-30"},
		{"LAST_30_DAYS", "2025-06-01", "2025-06-30"},
		{"LAST_90_DAYS", "2025-04-02", "2025-06-30"},
		{"LAST_180_DAYS", "2025-01-02", "2025-06-30"},
		{"LAST_365_DAYS", "2024-07-01", "2025-06-30"},
		{"last_month", "2025-05-31", "2025-06-30"},
		{"LAST_3_MONTHS", "2025-03-31", "2025-06-30"},
		{"LAST_6_MONTHS", "2024-12-31", "2025-06-30"},
		{"LAST_1_YEAR", "2024-07-01", "2025-06-30"},
	}
	for _, tc := range tests {
		sp, ok := SpanOf(tc.ts, end)
		if !ok || !sp.From.Equal(d(tc.from)) || !sp.To.Equal(d(tc.to)) {
			t.Errorf("%s = %v..%v, want %s..%s", tc.ts, sp.From, sp.To, tc.from, tc.to)
		}
	}
	if sp, ok := SpanOf("LIFETIME", end); !ok || !sp.From.IsZero() || !sp.To.IsZero() {
		t.Error("LIFETIME is bounded")
	}
	if _, ok := SpanOf("LAST_2_DAYS", end); ok {
		t.Error("unknown range accepted")
	}
}
