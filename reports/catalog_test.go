package reports_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/marketplace-insights/insights/reports"
	sqlfiles "github.com/marketplace-insights/insights/sql"
)

// Files in sql/reports that are not report queries of this catalog: other
// areas' queries and the generator's own housekeeping.
var notCatalog = regexp.MustCompile(`^(tiers_|service_|reporting_|web_|analytics_|attribution_)`)

func TestCatalogMatchesSQLFiles(t *testing.T) {
	all := append(reports.Catalog(), reports.ReviewCatalog()...)
	files, err := sqlfiles.Reports()
	if err != nil {
		t.Fatal(err)
	}
	inCatalog := map[string]bool{}
	for _, r := range all {
		inCatalog[r.Name+".sql"] = true
	}
	for _, f := range files {
		if !notCatalog.MatchString(f.Name) && !inCatalog[f.Name] {
			t.Errorf("sql/reports/%s is in no catalog", f.Name)
		}
	}
	sheets := map[string]bool{}
	for _, r := range all {
		t.Run(r.Name, func(t *testing.T) {
			q, err := sqlfiles.Report(r.Name)
			if err != nil {
				t.Fatalf("%s: %v", r.SQLFile(), err)
			}
			if n := utf8.RuneCountInString(r.Sheet); n == 0 || n > 31 || sheets[strings.ToLower(r.Sheet)] {
				t.Errorf("sheet name %q: empty, too long or taken", r.Sheet)
			}
			sheets[strings.ToLower(r.Sheet)] = true
			names := map[string]bool{}
			for _, c := range r.Columns {
				if names[c.Name] || c.Header == "" {
					t.Errorf("column %q: repeated or without a header", c.Name)
				}
				names[c.Name] = true
			}
			body := stripComments(q)
			// The final SELECT's FROM starts a line; the CTEs' FROMs are indented.
			last := body[max(strings.LastIndex(body, "\nFROM "), 0):]
			if !strings.Contains(last, "\nORDER BY ") {
				t.Errorf("%s: the final SELECT has no ORDER BY", r.SQLFile())
			}
			if strings.Count(body, "?") != map[reports.Audience]int{reports.Partner: 4, reports.Rewards: 1}[r.Audience] {
				t.Errorf("%s: %d parameters", r.SQLFile(), strings.Count(body, "?"))
			}
			// Partner reports read the rows of their range of partners only,
			// and come ordered by partner (one contiguous range each).
			if r.Audience == reports.Partner {
				if !strings.Contains(body, "partner_id BETWEEN p.partner_from AND p.partner_to") &&
					!strings.Contains(body, "\nFROM report_partner_months(CAST(? AS VARCHAR), CAST(? AS VARCHAR),") {
					t.Errorf("%s: no partner filter", r.SQLFile())
				}
				if !regexp.MustCompile(`\nORDER BY [a-z]\.partner_id`).MatchString(last) {
					t.Errorf("%s: not ordered by partner first", r.SQLFile())
				}
			}
		})
	}
}

func stripComments(q string) string {
	var b strings.Builder
	for _, line := range strings.Split(q, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestQueriesMatchCatalog runs every report on the fixtures: each returns the
// catalog's columns (Query checks names and count) and runs twice to the same rows.
func TestQueriesMatchCatalog(t *testing.T) {
	s, _ := fixtureStore(t)
	p := fixturePeriod(t)
	for _, r := range append(reports.Catalog(), reports.ReviewCatalog()...) {
		t.Run(r.Name, func(t *testing.T) {
			args := []any{"p-contoso", p.First(), p.Month}
			if r.Audience == reports.Rewards {
				args = []any{fixtureAsOf}
			}
			a, b := tableRows(t, s, r, args), tableRows(t, s, r, args)
			if len(a) != len(b) {
				t.Fatalf("%d rows, then %d", len(a), len(b))
			}
			for i := range a {
				for k, v := range a[i] {
					if b[i][k] != v {
						t.Fatalf("row %d column %s: %q then %q", i, k, v, b[i][k])
					}
				}
			}
		})
	}
}

// TestSummaryAgreesWithMonthly: the Summary's figures for the report month and
// the month before are the monthly reports' last two rows.
func TestSummaryAgreesWithMonthly(t *testing.T) {
	s, _ := fixtureStore(t)
	p := fixturePeriod(t)
	for _, partner := range []string{"p-contoso", "p-fabrikam", "p-contoso-labs"} {
		t.Run(partner, func(t *testing.T) {
			args := []any{partner, p.First(), p.Month}
			monthly := map[string][]map[string]string{}
			for _, name := range []string{"orders_monthly", "customers_monthly", "usage_monthly", "deployments_monthly", "campaigns_monthly"} {
				r, err := reports.Lookup(name)
				if err != nil {
					t.Fatal(err)
				}
				monthly[name] = tableRows(t, s, r, args)
			}
			r, err := reports.Lookup("summary")
			if err != nil {
				t.Fatal(err)
			}
			summary := map[string]map[string]string{}
			for _, row := range tableRows(t, s, r, args) {
				summary[row["metric"]] = row
			}
			checks := []struct{ metric, report, column string }{
				{"New orders", "orders_monthly", "new_orders"},
				{"Renewed orders", "orders_monthly", "renewed_orders"},
				{"Canceled orders", "orders_monthly", "canceled_orders"},
				{"Active orders", "orders_monthly", "active_orders"},
				{"New customers", "customers_monthly", "new_customers"},
				{"Total customers", "customers_monthly", "total_customers"},
				{"Normalized usage (hours)", "usage_monthly", "normalized_usage"},
				{"Metered quantity", "usage_monthly", "metered_quantity"},
				{"Estimated usage charges (USD)", "usage_monthly", "estimated_charges_usd"},
				{"Attributed deployments", "deployments_monthly", "deployments"},
				{"Attributed usage (hours)", "deployments_monthly", "attributed_normalized_usage"},
				{"Page visits", "campaigns_monthly", "page_visits"},
				{"Calls to action", "campaigns_monthly", "ctas"},
			}
			for _, c := range checks {
				rows := monthly[c.report]
				row, ok := summary[c.metric]
				if !ok || len(rows) < 2 {
					t.Fatalf("%s: no summary row or too few months", c.metric)
				}
				for col, want := range map[string]string{"this_period": rows[len(rows)-1][c.column], "previous_period": rows[len(rows)-2][c.column]} {
					if !sameNumber(row[col], want) {
						t.Errorf("%s %s = %s, %s says %s", c.metric, col, row[col], c.report, want)
					}
				}
			}
		})
	}
}

// sameNumber compares decimals written at different scales ("4.00" and "4").
func sameNumber(a, b string) bool {
	trim := func(s string) string {
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		return s
	}
	return trim(a) == trim(b)
}

// TestTrendLengths: 1, 3, 6 and 12 months give that many monthly rows ending
// with the report month; other lengths are refused.
func TestTrendLengths(t *testing.T) {
	s, _ := fixtureStore(t)
	r, err := reports.Lookup("orders_monthly")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 3, 6, 12} {
		t.Run(reports.Period{Months: n}.Suffix(), func(t *testing.T) {
			p, err := reports.NewPeriod(fixturePeriod(t).Month, n)
			if err != nil {
				t.Fatal(err)
			}
			rows := tableRows(t, s, r, []any{"p-contoso", p.First(), p.Month})
			if len(rows) != n || rows[0]["month"] != p.First().Format("2006-01-02") || rows[n-1]["month"] != "2025-06-01" {
				t.Errorf("%d rows from %v to %v", len(rows), rows[0]["month"], rows[len(rows)-1]["month"])
			}
		})
	}
	if _, err := reports.NewPeriod(fixturePeriod(t).Month, 7); err == nil {
		t.Error("a 7-month trend was accepted")
	}
	_ = context.Background()
}
