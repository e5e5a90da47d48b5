package app

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/reports"
	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// personalColumns are the columns that hold a customer's personal fields
// (docs/reports.md, "Privacy"): names, email, the Azure subscription id.
var personalColumns = []string{"customer_name", "customer_email", "first_name", "last_name", "email", "azure_subscription_id"}

// maskedViews are the relations that apply the privacy rules
// (sql/transform/555_partner_views.sql and the report details built on them,
// 560_report_details.sql): the only ones with personal columns that a
// partner-facing query may name. TestPrivacySweep checks what they show.
var maskedViews = []string{
	"partner_orders", "partner_usage", "partner_customers", "partner_qos_resources", "partner_revenue",
	"report_orders_detail", "report_usage_detail", "report_customers_detail",
}

// notCustomers hold personal fields of the partners' own people, not of
// customers: contacts and contact_assignments are a company's marketing
// contact, which the rewards workspace shows to that company; people are who
// signs in (the People page shows a company only its own).
var notCustomers = []string{"contacts", "contact_assignments", "people"}

// unmaskedRelations is every table and view of the migrated, transformed
// database with a personal column, apart from the masked views: read from the
// catalog, so a new table or view that copies a personal field is covered
// without a list to keep.
func unmaskedRelations(t *testing.T, s *duckstore.Store) map[string][]string {
	t.Helper()
	rows, err := s.Query(context.Background(), `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'main' AND lower(column_name) IN (SELECT unnest(?::VARCHAR[]))
		ORDER BY table_name, column_name`, personalColumns)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(maskedViews, table) && !slices.Contains(notCustomers, table) {
			out[table] = append(out[table], col)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// referencedRelations is every table or view a query names, from DuckDB's
// own parse tree (json_serialize_sql: every BASE_TABLE reference, in CTEs and
// subqueries too); statements it cannot serialise (INSERT, UPDATE, DELETE)
// fall back to the names found after FROM, JOIN, INTO and UPDATE.
func referencedRelations(t *testing.T, s *duckstore.Store, text string) []string {
	t.Helper()
	var js string
	// The function takes a constant only: the text goes in as a quoted literal.
	if err := s.QueryRow(context.Background(), `SELECT CAST(json_serialize_sql(`+duckstore.Literal(text)+`) AS VARCHAR)`).Scan(&js); err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal([]byte(js), &tree); err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	if m, _ := tree.(map[string]any); m["error"] == true {
		noComments := regexp.MustCompile(`--[^\n]*`).ReplaceAllString(text, "")
		for _, m := range regexp.MustCompile(`(?i)\b(?:from|join|into|update)\s+([a-z_][a-z0-9_]*)`).FindAllStringSubmatch(noComments, -1) {
			set[strings.ToLower(m[1])] = true
		}
		return slices.Sorted(maps.Keys(set))
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "BASE_TABLE" {
				if name, _ := v["table_name"].(string); name != "" {
					set[strings.ToLower(name)] = true
				}
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(tree)
	return slices.Sorted(maps.Keys(set))
}

// TestPartnerQueriesNameNoUnmaskedTable: no query of a partner-facing package
// (everything under sql/serve, and the partner reports' queries) names a
// table or view that holds a customer's personal fields unmasked; they read
// the masked views (or the report facts, which have no personal field).
func TestPartnerQueriesNameNoUnmaskedTable(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	testkit.LoadCSVDir(t, s, filepath.Join("testdata", "privacy"))
	p, err := transform.Default(tiers.Default())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := transform.NewRunner(s, nil, p).Run(ctx, time.Date(2025, 7, 5, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	unmasked := unmaskedRelations(t, s)
	t.Logf("relations with personal fields unmasked: %v", slices.Sorted(maps.Keys(unmasked)))
	// The catalog is read, not assumed: the raw tables and the visible rows
	// before masking must be found, and every masked view must exist.
	for _, want := range []string{"orders", "customers", "usage", "qos", "current_orders", "resolved_usage",
		"partner_visible_orders", "partner_visible_usage", "partner_visible_customers"} {
		if _, ok := unmasked[want]; !ok {
			t.Errorf("%s is not found to hold personal fields: %v", want, slices.Sorted(maps.Keys(unmasked)))
		}
	}
	for _, v := range maskedViews {
		var n int
		if err := s.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, v).Scan(&n); err != nil || n != 1 {
			t.Errorf("masked view %s: %d, %v", v, n, err)
		}
	}
	offending := func(t *testing.T, text string) []string {
		var bad []string
		for _, r := range referencedRelations(t, s, text) {
			if cols, ok := unmasked[r]; ok {
				bad = append(bad, r+" ("+strings.Join(cols, ", ")+")")
			}
		}
		return bad
	}

	queries, err := sqlfiles.Queries()
	if err != nil {
		t.Fatal(err)
	}
	partnerReports := map[string]bool{}
	for _, r := range reports.Catalog() {
		partnerReports["reports/"+r.Name+".sql"] = true
	}
	checked := 0
	for _, q := range queries {
		if !strings.HasPrefix(q.Name, "serve/") && !partnerReports[q.Name] {
			continue
		}
		checked++
		t.Run(q.Name, func(t *testing.T) {
			if bad := offending(t, q.Text); len(bad) > 0 {
				t.Errorf("sql/%s names %s: read the masked views (%s) instead", q.Name, strings.Join(bad, ", "), strings.Join(maskedViews, ", "))
			}
		})
	}
	if checked < 40 || checked < len(reports.Catalog()) {
		t.Errorf("only %d partner-facing queries checked", checked)
	}

	// The queries as they were before the masked views (testdata/privacy/before):
	// the check must catch each of them.
	before, err := filepath.Glob(filepath.Join("testdata", "privacy", "before", "*.sql"))
	if err != nil || len(before) == 0 {
		t.Fatalf("no old queries: %v", err)
	}
	for _, path := range before {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if bad := offending(t, string(b)); len(bad) == 0 {
			t.Errorf("%s leaked personal fields, yet the check finds nothing", path)
		}
	}
}
