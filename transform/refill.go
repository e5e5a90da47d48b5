package transform

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// replaceRe finds a step's CREATE OR REPLACE TABLE name AS (not TEMP: a temp
// table does not outlive the run, so there is nothing to refill).
var replaceRe = regexp.MustCompile(`(?i)\bCREATE\s+OR\s+REPLACE\s+TABLE\s+([A-Za-z_][A-Za-z0-9_]*)\s+AS\b`)

// refill turns a step's CREATE OR REPLACE TABLE x AS <query> into
// DELETE FROM x; INSERT INTO x BY NAME <query> for every x that is a table
// already. The runner calls it only when the last successful run had the same
// definitions, so such an x has the columns the query yields.
//
// Why: the whole run is one transaction, and DuckDB 1.4 scans the rows written
// in the open transaction with as many threads as the table's committed rows
// allow (one per row group). A table created in the transaction has none, so
// every later step read it on one thread: step 120 read resolved_usage's 10 M
// rows in 31 s on one core instead of 14 s on two. Refilled, the table keeps
// its committed row groups until the commit and later steps scan it in
// parallel; the deleted row groups are freed when the commit checkpoints.
func refill(ctx context.Context, tx *duckstore.Tx, text string) (string, error) {
	var names []string
	for _, m := range replaceRe.FindAllStringSubmatch(text, -1) {
		names = append(names, strings.ToLower(m[1]))
	}
	if len(names) == 0 {
		return text, nil
	}
	kinds, err := relationKinds(ctx, tx, names)
	if err != nil {
		return "", fmt.Errorf("tables the step refills: %w", err)
	}
	return refillText(text, kinds), nil
}

// refillText rewrites the CREATE OR REPLACE TABLE statements of text whose
// relation is a table already (kinds: relationKinds).
func refillText(text string, kinds map[string]string) string {
	return replaceRe.ReplaceAllStringFunc(text, func(stmt string) string {
		name := replaceRe.FindStringSubmatch(stmt)[1]
		if kinds[strings.ToLower(name)] != "TABLE" {
			return stmt
		}
		return "DELETE FROM " + name + ";\nINSERT INTO " + name + " BY NAME"
	})
}
