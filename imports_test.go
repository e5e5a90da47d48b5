// The repository's layout rules, checked on every `make check` and `make test`
// (docs/architecture.md): imports point one way, cmd → serve → ingest,
// transform, reports, rewards → sql/duckstore; the middle packages do not
// import each other nor the HTTP tier; inside serve/, every surface builds on
// serve (router, middleware, adapters) and serve/auth, and on no other
// surface; only sql/duckstore imports the DuckDB driver.
package insights_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/marketplace-insights/insights/"

// middle are the domain packages (with their sub-packages).
var middle = []string{"ingest", "transform", "reports", "rewards"}

// tree is the top-level area of a package path ("transform/tiers" → "transform",
// "sql/duckstore" → "sql/duckstore").
func tree(pkg string) string {
	if pkg == "sql" || strings.HasPrefix(pkg, "sql/") {
		if strings.HasPrefix(pkg, "sql/duckstore") {
			return "sql/duckstore"
		}
		return "sql"
	}
	top, _, _ := strings.Cut(pkg, "/")
	return top
}

func isMiddle(area string) bool {
	for _, m := range middle {
		if area == m {
			return true
		}
	}
	return false
}

// importViolation says why pkg may not import imp ("" when it may). Test
// files may import across the middle (fixtures run ingest and transform), but
// never the driver.
func importViolation(pkg, imp string, test bool) string {
	if strings.HasPrefix(imp, "github.com/duckdb/") {
		if tree(pkg) != "sql/duckstore" || pkg == "sql/duckstore/testkit" {
			return "only sql/duckstore imports the DuckDB driver"
		}
		return ""
	}
	if !strings.HasPrefix(imp, module) {
		return ""
	}
	from, to := tree(pkg), tree(strings.TrimPrefix(imp, module))
	if from == "serve" && to == "serve" {
		return serveViolation(pkg, strings.TrimPrefix(imp, module), test)
	}
	switch {
	case from == to:
		return ""
	case to == "cmd":
		return "nothing imports cmd"
	case from == "sql" && to != "sql":
		return "sql (the embedded files) imports nothing of the project"
	case from == "sql/duckstore" && to != "sql":
		return "sql/duckstore imports only sql"
	case isMiddle(from) && to == "serve":
		return "the middle packages (ingest, transform, reports, rewards) do not import the HTTP tier (serve)"
	case isMiddle(from) && isMiddle(to) && !test:
		return "the middle packages (ingest, transform, reports, rewards) do not import each other"
	case from == "i18n" && to != "i18n":
		return "i18n (the languages) imports nothing of the project: pages, workbooks and messages use it"
	case from == "gen" && to != "gen":
		return "gen (the synthetic generator) stands alone"
	}
	return ""
}

// serveViolation is the rule inside the HTTP tier: serve/auth (who a caller
// is) imports no other part of it; serve (router, middleware, adapters)
// imports only serve/auth; each surface (download, analytics, web) imports
// serve, serve/auth and its own sub-packages, and no other surface — except
// that the pages (serve/web) list, download and link reports through the
// download API, so that one rule decides what a partner may download. Tests
// may use any part (to make tokens, say).
func serveViolation(pkg, imp string, test bool) string {
	surface := func(p string) string { // "serve/analytics/pcql" → "serve/analytics"
		parts := strings.SplitN(p, "/", 3)
		if len(parts) < 2 {
			return p
		}
		return parts[0] + "/" + parts[1]
	}
	from, to := surface(pkg), surface(imp)
	switch {
	case test, from == to:
		return ""
	case from == "serve/auth":
		return "serve/auth imports no other part of serve"
	case to == "serve/auth":
		return ""
	case from == "serve":
		return "serve (router, middleware, adapters) imports only serve/auth: the surfaces register on it"
	case to == "serve":
		return ""
	case from == "serve/web" && to == "serve/download":
		return ""
	}
	return "a surface of serve (" + from + ") does not import another (" + to + ")"
}

func TestImportDirection(t *testing.T) {
	fset := token.NewFileSet()
	var problems []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		test := strings.HasSuffix(path, "_test.go")
		for _, is := range f.Imports {
			imp, err := strconv.Unquote(is.Path.Value)
			if err != nil {
				return err
			}
			if why := importViolation(pkg, imp, test); why != "" {
				problems = append(problems, path+" imports "+imp+": "+why)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

// The rule itself: each kind of violation is caught, and the allowed
// directions pass.
func TestImportViolation(t *testing.T) {
	tests := []struct {
		pkg, imp string
		test     bool
		bad      bool
	}{
		{"cmd/internal/app", module + "transform", false, false},
		{"cmd/internal/app", module + "sql/duckstore", false, false},
		{"transform", module + "transform/tiers", false, false},
		{"transform/tiers", module + "sql/duckstore", false, false},
		{"reports", module + "reports/render", false, false},
		{"reports", module + "transform", false, true},
		{"ingest", module + "reports/render", false, true},
		{"rewards", module + "transform/tiers", false, true},
		{"reports", module + "transform", true, false}, // fixtures in tests
		{"serve/web", module + "rewards", false, false},
		{"serve/web", module + "serve/download", false, false},
		{"serve/web", module + "serve/auth", false, false},
		{"serve/analytics", module + "serve/download", false, true},
		{"serve/analytics", module + "serve/download", true, false}, // tests make tokens
		{"serve/analytics/pcql", module + "serve/analytics/pcql", false, false},
		{"serve/download", module + "serve/web", false, true},
		{"serve", module + "serve/download", false, true},
		{"serve", module + "serve/auth", false, false},
		{"serve/auth", module + "serve", false, true},
		{"serve/analytics", module + "reports/render", false, false},
		{"reports", module + "serve/download", false, true},
		{"rewards", module + "serve/auth", false, true},
		{"cmd/internal/app", module + "serve/web", false, false},
		{"transform", module + "cmd/internal/app", false, true},
		{"sql/duckstore", module + "transform", false, true},
		{"sql", module + "sql/duckstore", false, true},
		{"sql/duckstore", "github.com/duckdb/duckdb-go/v2", false, false},
		{"reports", "github.com/duckdb/duckdb-go/v2", false, true},
		{"reports", "github.com/duckdb/duckdb-go/v2", true, true},
		{"cmd/internal/app", "github.com/duckdb/duckdb-go/v2", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.pkg+"→"+tc.imp, func(t *testing.T) {
			if got := importViolation(tc.pkg, tc.imp, tc.test) != ""; got != tc.bad {
				t.Fatalf("violation = %v, want %v", got, tc.bad)
			}
		})
	}
}

// The check must see the packages: an empty walk would pass vacuously.
func TestImportDirectionSeesTheTree(t *testing.T) {
	for _, dir := range append([]string{"cmd", "sql/duckstore", "serve", "serve/auth", "serve/download", "serve/analytics", "serve/web"}, middle...) {
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("%s: %v", dir, err)
		}
	}
}
