package reports

import (
	"regexp"
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
	for i, cat := range [][]Report{Catalog(), ReviewCatalog()} {
		tb, err := definitionsTable(cat)
		if err != nil {
			t.Fatal(err)
		}
		want := len([][][2]string{generalDefinitions, reviewGeneralDefinitions}[i])
		for _, r := range cat {
			want += len(r.Columns)
		}
		if got := tb.NumRows(); got != int64(want) {
			t.Errorf("definitions table has %d rows, want %d", got, want)
		}
		Release(tb)
	}
}

// TestReviewPackDefinitionsAreItsOwn: the review pack is internal and covers
// every company, so its Definitions sheet must not copy the partner
// workbook's rules ("your partner's rows", "bought from you"): it has its
// own general rules, and no definition of its columns talks to a partner.
func TestReviewPackDefinitionsAreItsOwn(t *testing.T) {
	partner := map[string]bool{}
	for _, g := range generalDefinitions {
		partner[g[0]+"|"+g[1]] = true
	}
	for _, g := range reviewGeneralDefinitions {
		if partner[g[0]+"|"+g[1]] {
			t.Errorf("pack rule %q copies the partner workbook's", g[0])
		}
	}
	you := regexp.MustCompile(`(?i)\b(you|your|yours)\b`)
	for _, g := range reviewGeneralDefinitions {
		if you.MatchString(g[1]) {
			t.Errorf("pack rule %q speaks to a partner: %q", g[0], g[1])
		}
	}
	for _, r := range ReviewCatalog() {
		for _, c := range r.Columns {
			d, _ := definitionOf(r.Name, c.Name)
			if you.MatchString(d.Meaning) {
				t.Errorf("%s: column %q is defined for a partner: %q", r.Sheet, c.HeaderText(), d.Meaning)
			}
		}
	}
	for _, topic := range []string{"Internal", "Decisions", "SLAs"} {
		found := false
		for _, g := range reviewGeneralDefinitions {
			found = found || g[0] == topic
		}
		if !found {
			t.Errorf("the pack's rules lack %q", topic)
		}
	}
}
