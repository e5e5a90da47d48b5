package transform

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
	"github.com/marketplace-insights/insights/transform/tiers"
)

func TestRefillText(t *testing.T) {
	kinds := map[string]string{"resolved_usage": "TABLE", "facts": "TABLE", "a_view": "VIEW"}
	cases := []struct {
		name, in, want string
	}{
		{"existing table", "CREATE OR REPLACE TABLE resolved_usage AS\nWITH a AS (SELECT 1) SELECT * FROM a;",
			"DELETE FROM resolved_usage;\nINSERT INTO resolved_usage BY NAME\nWITH a AS (SELECT 1) SELECT * FROM a;"},
		{"any case and spacing", "create  or replace\ttable Facts as SELECT 1 AS x;",
			"DELETE FROM Facts;\nINSERT INTO Facts BY NAME SELECT 1 AS x;"},
		{"a table not there yet", "CREATE OR REPLACE TABLE new_facts AS SELECT 1;", "CREATE OR REPLACE TABLE new_facts AS SELECT 1;"},
		{"temp table", "CREATE OR REPLACE TEMP TABLE resolved_usage AS SELECT 1;", "CREATE OR REPLACE TEMP TABLE resolved_usage AS SELECT 1;"},
		{"view", "CREATE OR REPLACE VIEW facts AS SELECT 1;", "CREATE OR REPLACE VIEW facts AS SELECT 1;"},
		{"a view to become a table", "CREATE OR REPLACE TABLE a_view AS SELECT 1;", "CREATE OR REPLACE TABLE a_view AS SELECT 1;"},
		{"two statements, one refilled", "CREATE OR REPLACE TABLE facts AS SELECT 1;\nCREATE OR REPLACE TABLE other AS SELECT 2;",
			"DELETE FROM facts;\nINSERT INTO facts BY NAME SELECT 1;\nCREATE OR REPLACE TABLE other AS SELECT 2;"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := refillText(tc.in, kinds); got != tc.want {
				t.Fatalf("refillText:\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// A run with the definitions of the last successful run refills the tables
// that run made (same catalog entries, so DuckDB scans them in parallel in the
// rest of the run) and gets the same rows; a run with new definitions creates
// them again, so a step may change its columns.
func TestSameDefinitionsRefillTables(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	testkit.LoadCSVDir(t, s, filepath.Join("..", "reports", "testdata", "fixtures"), "review_decisions")
	r := NewRunner(s, nil, defaultPipeline(t, tiers.Default()))
	var names []string
	for _, st := range r.Steps() {
		for _, m := range replaceRe.FindAllStringSubmatch(st.SQL, -1) {
			names = append(names, strings.ToLower(m[1]))
		}
	}
	if len(names) < 10 {
		t.Fatalf("the steps create %d tables with CREATE OR REPLACE TABLE: %v", len(names), names)
	}
	list := "['" + strings.Join(names, "','") + "']"
	// oids: the catalog entry of each table; rows: a hash of every table's rows.
	oids := func() string {
		return testkit.Str(t, s, `SELECT string_agg(table_name || '=' || table_oid, ' ' ORDER BY table_name)
			FROM duckdb_tables() WHERE NOT temporary AND list_contains(`+list+`, table_name)`)
	}
	rows := func() string {
		var b strings.Builder
		for _, n := range names {
			b.WriteString(n + ":" + testkit.Str(t, s, `SELECT count(*) || '/' || coalesce(sum(hash(x))::HUGEINT, 0) FROM `+n+` x`) + " ")
		}
		return b.String()
	}
	run := func() {
		t.Helper()
		if _, err := r.RunFull(ctx, fixtureAsOf); err != nil {
			t.Fatal(err)
		}
	}
	run()
	firstOids, firstRows := oids(), rows()
	if n := strings.Count(firstOids, "="); n != len(names) {
		t.Fatalf("after the first run %d of %d tables exist: %s", n, len(names), firstOids)
	}
	if !strings.Contains(firstRows, "resolved_usage:") || strings.Contains(firstRows, "resolved_usage:0/") {
		t.Fatalf("the fixtures give no resolved usage: %s", firstRows)
	}

	run()
	if got := oids(); got != firstOids {
		t.Fatalf("a run with the same definitions created tables again:\n%s\nwant\n%s", got, firstOids)
	}
	if got := rows(); got != firstRows {
		t.Fatalf("refilled tables differ:\n%s\nwant\n%s", got, firstRows)
	}

	if _, err := s.Exec(ctx, `UPDATE transform_state SET defs = 'an earlier build'`); err != nil {
		t.Fatal(err)
	}
	run()
	after := oids()
	for _, pair := range strings.Fields(firstOids) {
		if strings.Contains(" "+after+" ", " "+pair+" ") {
			t.Fatalf("a run with new definitions kept table %s instead of creating it again", pair)
		}
	}
	if got := rows(); got != firstRows {
		t.Fatalf("re-created tables differ:\n%s\nwant\n%s", got, firstRows)
	}
}
