package pcql

import (
	"strings"
	"testing"
)

// TestParseEveryClause parses each documented clause and operator and checks
// the canonical form, which shows how each part was read.
func TestParseEveryClause(t *testing.T) {
	tests := []struct{ name, query, want string }{
		{"select from", "SELECT MarketplaceSubscriptionId, CustomerId FROM ISVUsage",
			"SELECT MarketplaceSubscriptionId, CustomerId FROM ISVUsage"},
		{"lower-case keywords", "select distinct a from b where c = 1 and d like 'x%' order by a asc limit 5 timespan last_month",
			"SELECT DISTINCT a FROM b WHERE c = 1 AND d LIKE 'x%' ORDER BY a ASC LIMIT 5 TIMESPAN LAST_MONTH"},
		{"distinct", "SELECT DISTINCT MarketplaceSubscriptionId, OfferType FROM ISVUsage",
			"SELECT DISTINCT MarketplaceSubscriptionId, OfferType FROM ISVUsage"},
		{"equals number", "SELECT a FROM b WHERE OrderQuantity=100", "SELECT a FROM b WHERE OrderQuantity = 100"},
		{"equals quoted number", "SELECT a FROM b WHERE OrderQuantity='100'", "SELECT a FROM b WHERE OrderQuantity = '100'"},
		{"greater", "SELECT a FROM b WHERE n > 100000", "SELECT a FROM b WHERE n > 100000"},
		{"less", "SELECT a FROM b WHERE n < -1.5", "SELECT a FROM b WHERE n < -1.5"},
		{"greater or equal", "SELECT a FROM b WHERE n >= 0", "SELECT a FROM b WHERE n >= 0"},
		{"less or equal", "SELECT a FROM b WHERE n <= 2", "SELECT a FROM b WHERE n <= 2"},
		{"not equal", "SELECT a FROM b WHERE s != 'x'", "SELECT a FROM b WHERE s != 'x'"},
		{"not equal <>", "SELECT a FROM b WHERE s <> 'x'", "SELECT a FROM b WHERE s != 'x'"},
		{"like", "SELECT a FROM b WHERE CustomerName LIKE '%Contoso%'", "SELECT a FROM b WHERE CustomerName LIKE '%Contoso%'"},
		{"not like", "SELECT a FROM b WHERE CustomerName NOT LIKE '%Contoso%'", "SELECT a FROM b WHERE CustomerName NOT LIKE '%Contoso%'"},
		{"in strings", "SELECT a FROM b WHERE CustomerId IN ('2a31', '8078')", "SELECT a FROM b WHERE CustomerId IN ('2a31', '8078')"},
		{"not in numbers", "SELECT a FROM b WHERE CustomerId NOT IN (1000, 1001, 1002)", "SELECT a FROM b WHERE CustomerId NOT IN (1000, 1001, 1002)"},
		{"typographic quotes", "SELECT a FROM b WHERE s = ‘868368da’", "SELECT a FROM b WHERE s = '868368da'"},
		{"closing typographic quotes on both sides", "SELECT a FROM b WHERE s = ’Paid’", "SELECT a FROM b WHERE s = 'Paid'"},
		{"typographic quotes in a list", "SELECT a FROM b WHERE s IN (’x’, ‘y’)", "SELECT a FROM b WHERE s IN ('x', 'y')"},
		{"doubled quote", "SELECT a FROM b WHERE s = 'O''Brien'", "SELECT a FROM b WHERE s = 'O''Brien'"},
		{"several conditions", "SELECT a FROM b WHERE x = 'a' AND y = 'b' AND z > 1", "SELECT a FROM b WHERE x = 'a' AND y = 'b' AND z > 1"},
		{"order default DESC", "SELECT a, n FROM b ORDER BY n", "SELECT a, n FROM b ORDER BY n DESC"},
		{"order several", "SELECT a, n FROM b ORDER BY n ASC, a DESC", "SELECT a, n FROM b ORDER BY n ASC, a DESC"},
		{"limit", "SELECT a FROM b ORDER BY a LIMIT 10", "SELECT a FROM b ORDER BY a DESC LIMIT 10"},
		{"timespan", "SELECT a FROM b TIMESPAN LAST_6_MONTHS", "SELECT a FROM b TIMESPAN LAST_6_MONTHS"},
		{"every clause", "SELECT DISTINCT a, n FROM b WHERE n > 1 ORDER BY n LIMIT 3 TIMESPAN LIFETIME;",
			"SELECT DISTINCT a, n FROM b WHERE n > 1 ORDER BY n DESC LIMIT 3 TIMESPAN LIFETIME"},
		{"newlines and tabs", "SELECT\ta,\n  b\nFROM\n c", "SELECT a, b FROM c"},
		{"name containing a keyword", "SELECT OrderStatus, Description, Inactive FROM ISVOrder",
			"SELECT OrderStatus, Description, Inactive FROM ISVOrder"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(tc.query)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.query, err)
			}
			if got := q.String(); got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
			again, err := Parse(q.String())
			if err != nil || again.String() != q.String() {
				t.Fatalf("canonical form does not parse back: %v", err)
			}
		})
	}
}

// TestParseErrors: bad queries name the position and the problem.
func TestParseErrors(t *testing.T) {
	tests := []struct{ name, query, want string }{
		{"empty", "  ", "position 1: empty query; expected SELECT … FROM <dataset>"},
		{"misspelt FROM", "SELECT a FORM b", `position 10: unexpected "FORM"; expected "FROM"; did you mean 'FROM'?`},
		{"missing comma", "SELECT a b FROM c", `position 10: unexpected "b"; expected "FROM"; did you mean ", b" (a comma is missing before it)?`},
		{"missing opening quote", "SELECT a FROM b WHERE c = Contoso test' TIMESPAN LAST_MONTH",
			"position 27: a text value without its opening quote; did you mean 'Contoso test'?"},
		{"missing opening typographic quote", "SELECT a FROM b WHERE c = Paid’", "position 27: a text value without its opening quote; did you mean 'Paid'?"},
		{"lone quote", "SELECT a FROM b WHERE c IN (')", "position 29: a quote closes a text that no quote opens"},
		{"no columns", "SELECT FROM x", `position 8: unexpected "FROM"; expected a name`},
		{"no dataset", "SELECT a FROM", "position 14: unexpected the end of the query; expected a name"},
		{"dangling WHERE", "SELECT a FROM b WHERE", "position 22: unexpected the end of the query; expected a condition (Column = 'value')"},
		{"bare word value", "SELECT a FROM b WHERE c = d", `position 27: unexpected "d"; expected a value: a number, a 'quoted' text or a list (…)`},
		{"limit word", "SELECT a FROM b LIMIT x", `position 23: unexpected "x"; expected a number`},
		{"unterminated string", "SELECT a FROM b WHERE c = 'abc", "position 27"},
		{"trailing garbage", "SELECT a FROM b TIMESPAN LAST_MONTH extra", `position 37: unexpected "extra"`},
		{"OR is not in the language", "SELECT a FROM b WHERE c = 1 OR d = 2", `position 29: unexpected "OR"`},
		{"empty list", "SELECT a FROM b WHERE c IN ()", `position 29: unexpected ")"; expected a number or a 'quoted' text`},
		{"second line", "SELECT a\nFROM b\nWHERE c == 1", "line 3, column 10"},
		{"stacked statement", "SELECT a FROM b; DROP TABLE orders", `position 18: unexpected "DROP"`},
		{"comment", "SELECT a FROM b -- x", `position 17`},
		{"too long", "SELECT " + strings.Repeat("a,", MaxQueryLength) + "a FROM b", "query longer than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.query)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded", tc.query)
			}
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error is %T, want *Error", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

// FuzzParse: the parser never panics, and whatever it accepts it writes back
// in a canonical form that parses to the same form; compiling it against a
// dataset never panics and binds the partner as $1.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"SELECT MarketplaceSubscriptionId, CustomerId FROM ISVUsage TIMESPAN LAST_MONTH",
		"SELECT DISTINCT Name, Qty FROM Things WHERE Name LIKE '%a%' AND Qty IN (1, 2) ORDER BY Qty LIMIT 3",
		"select name from things where name not in ('a','b''c') order by name asc timespan lifetime;",
		"SELECT Name FROM Things WHERE Day >= '2025-01-01' AND Flag = 'yes'",
		"SELECT a FROM b WHERE c = ‘x’",
		"SELECT Name FROM Things WHERE Name = 'x'' OR 1=1 --'",
	} {
		f.Add(s)
	}
	cat := NewCatalog(testDataset())
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		canon := q.String()
		again, err := Parse(canon)
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", canon, s, err)
		}
		if again.String() != canon {
			t.Fatalf("canonical form unstable: %q then %q", canon, again.String())
		}
		c, err := q.Compile(cat, Options{PartnerID: "p1", End: fixedEnd})
		if err != nil {
			return
		}
		if c.Args[0] != "p1" || !strings.Contains(c.SQL, "$1") {
			t.Fatalf("partner not bound as $1: %v", c.Args)
		}
		// Values never reach the SQL text: the compiler writes no literal and
		// no statement separator of its own, so any quote or ';' comes from
		// the dataset's fixed SQL.
		ds := testDataset()
		for _, ch := range []string{"'", ";", "--", "/*"} {
			if strings.Count(c.SQL, ch) != strings.Count(ds.SQL, ch) {
				t.Fatalf("%q in the compiled SQL of %q:\n%s", ch, s, c.SQL)
			}
		}
	})
}
