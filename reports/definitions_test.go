package reports

import (
	"strings"
	"testing"
)

// TestDefinitionsCoverEveryColumn fails when a report gains a column
// without a definition, and when a definition names no column any more.
func TestDefinitionsCoverEveryColumn(t *testing.T) {
	used := map[string]bool{}
	for _, r := range append(Catalog(), ReviewCatalog()...) {
		for _, c := range r.Columns {
			key := c.Name
			if _, ok := definitions[r.Name+"."+c.Name]; ok {
				key = r.Name + "." + c.Name
			}
			d, ok := definitions[key]
			if !ok {
				t.Errorf("%s (%s): column %q has no definition in reports/definitions.go", r.Sheet, r.Name, c.Name)
				continue
			}
			used[key] = true
			if len(d.Meaning) < 10 || !strings.HasSuffix(strings.TrimSpace(d.Meaning), ".") {
				t.Errorf("%s: %q is not a sentence", key, d.Meaning)
			}
		}
	}
	for key := range definitions {
		if !used[key] {
			t.Errorf("definition %q names no column of any report", key)
		}
	}
	for _, cat := range [][]Report{Catalog(), ReviewCatalog()} {
		tb, err := definitionsTable(cat)
		if err != nil {
			t.Fatal(err)
		}
		want := len(generalDefinitions)
		for _, r := range cat {
			want += len(r.Columns)
		}
		if got := tb.NumRows(); got != int64(want) {
			t.Errorf("definitions table has %d rows, want %d", got, want)
		}
		Release(tb)
	}
}
