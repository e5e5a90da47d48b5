package duckstore

import "strings"

// Ident quotes an identifier (table, column) for DuckDB. Every identifier that
// is not a literal in a .sql file goes through here.
func Ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Literal quotes a string literal, for the few places DuckDB takes no
// parameter (file paths in table functions, COPY targets, PRAGMA values).
// Values in ordinary queries go in as parameters instead.
func Literal(s string) string {
	return `'` + strings.ReplaceAll(s, `'`, `''`) + `'`
}
