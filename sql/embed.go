// Package sql owns the project's SQL text: numbered schema migrations, the
// transform steps run in name order, one file per report query, and the
// queries of each package that keeps its own (serve/analytics, serve/download,
// serve/web, scheduler, incremental: the transform's change detection, ingest:
// the files it has seen), each under a folder named after its owner. Keeping
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

//go:embed all:reports all:serve all:scheduler all:rewards all:incremental all:ingest
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

// Query returns the text of a package's query by its path under sql/ without
// ".sql": "serve/analytics/isv_order", "scheduler/runs_last", "reports/summary".
func Query(path string) (string, error) {
	b, err := reportsFS.ReadFile(path + ".sql")
	if err != nil {
		return "", fmt.Errorf("query %q: %w", path, err)
	}
	return string(b), nil
}

// Queries returns every query of the folders under sql/ other than the
// migrations and the transform steps, each named by its path
// ("serve/web/partner.sql"), in name order.
func Queries() ([]File, error) {
	var out []File
	err := fs.WalkDir(reportsFS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sql") {
			return err
		}
		b, err := fs.ReadFile(reportsFS, path)
		if err != nil {
			return fmt.Errorf("read embedded %s: %w", path, err)
		}
		out = append(out, File{Name: path, Text: string(b)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list embedded queries: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
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
