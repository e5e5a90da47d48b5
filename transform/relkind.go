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
	var drops []string
	err := duckstore.QueryNamed(ctx, tx, "incremental/relation_kinds", func(rows *sql.Rows) error {
		var name, kind string
		if err := rows.Scan(&name, &kind); err != nil {
			return err
		}
		if w, ok := want[strings.ToLower(name)]; ok && w != kind {
			drops = append(drops, fmt.Sprintf("DROP %s %s;", kind, duckstore.Ident(name)))
		}
		return nil
	}, names, names)
	if err != nil {
		return fmt.Errorf("relations the step replaces: %w", err)
	}
	for _, d := range drops {
		if _, err := tx.Exec(ctx, d); err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
	}
	return nil
}
