package transform

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// createRe finds what a step creates: CREATE OR REPLACE [TEMP] TABLE|VIEW name.
var createRe = regexp.MustCompile(`(?i)\bCREATE\s+OR\s+REPLACE\s+(TABLE|VIEW)\s+([A-Za-z_][A-Za-z0-9_]*)\b`)

// dropChangedKinds drops, before a step runs, every relation the step
// creates as the other kind: a table the step now defines as a view, or a
// view it now defines as a table. A database made by an earlier release holds
// the earlier kind, and DuckDB's CREATE OR REPLACE does not replace across
// kinds; the step recreates the relation right after, in the same transaction.
func dropChangedKinds(ctx context.Context, tx *duckstore.Tx, text string) error {
	want := map[string]string{}
	var names []string
	for _, m := range createRe.FindAllStringSubmatch(text, -1) {
		name := strings.ToLower(m[2])
		if _, ok := want[name]; !ok {
			names = append(names, name)
		}
		want[name] = strings.ToUpper(m[1])
	}
	if len(names) == 0 {
		return nil
	}
	kinds, err := relationKinds(ctx, tx, names)
	if err != nil {
		return fmt.Errorf("relations the step replaces: %w", err)
	}
	for _, name := range names {
		if kind, ok := kinds[name]; ok && kind != want[name] {
			drop := fmt.Sprintf("DROP %s %s;", kind, duckstore.Ident(name))
			if _, err := tx.Exec(ctx, drop); err != nil {
				return fmt.Errorf("%s: %w", drop, err)
			}
		}
	}
	return nil
}

// relationKinds maps each of names (lower case) that is a table or view of
// the main schema to its kind: "TABLE" or "VIEW".
func relationKinds(ctx context.Context, tx *duckstore.Tx, names []string) (map[string]string, error) {
	kinds := map[string]string{}
	err := duckstore.QueryNamed(ctx, tx, "incremental/relation_kinds", func(rows *sql.Rows) error {
		var name, kind string
		if err := rows.Scan(&name, &kind); err != nil {
			return err
		}
		kinds[strings.ToLower(name)] = kind
		return nil
	}, names, names)
	return kinds, err
}
