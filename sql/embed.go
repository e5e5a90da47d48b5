// Package sql owns the project's SQL text: numbered schema migrations, the
// transform steps run in name order, and one file per report query. Keeping
// SQL in .sql files (embedded at build time) lets analysts read and review it
// as SQL, and keeps Go code free of long string literals.
//
// Import it under an alias (sqlfiles) because its name clashes with database/sql.
package sql

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed schema/*.sql
var schemaFS embed.FS

//go:embed all:transform
var transformFS embed.FS

//go:embed all:reports
var reportsFS embed.FS

// File is one embedded SQL file.
type File struct {
	Name string // base name, e.g. "0001_raw.sql"
	Text string
}

// Migrations returns the schema migrations in version order.
func Migrations() ([]File, error) { return list(schemaFS, "schema") }

// TransformSteps returns the transform steps in name (= execution) order.
func TransformSteps() ([]File, error) { return list(transformFS, "transform") }

// Report returns the text of one report query, by base name without ".sql".
func Report(name string) (string, error) {
	b, err := reportsFS.ReadFile("reports/" + name + ".sql")
	if err != nil {
		return "", fmt.Errorf("report query %q: %w", name, err)
	}
	return string(b), nil
}

// Reports returns every report query in name order.
func Reports() ([]File, error) { return list(reportsFS, "reports") }

func list(fsys fs.FS, dir string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("list embedded %s: %w", dir, err)
	}
	var out []File
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := fs.ReadFile(fsys, dir+"/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("read embedded %s/%s: %w", dir, e.Name(), err)
		}
		out = append(out, File{Name: e.Name(), Text: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
