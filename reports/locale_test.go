package reports

import (
	"fmt"
	"testing"

	"github.com/marketplace-insights/insights/i18n"
)

// TestEnglishCatalogIsTheFileNames: the English workbook shows the column
// names of the CSV and Parquet files (catalog.go's headers), the Definitions
// of definitions.go and the sheet names of the catalog, so that the English
// workbook and the data files never drift apart; and every language has a
// header, a sheet name and a definition for every column.
func TestEnglishCatalogIsTheFileNames(t *testing.T) {
	en := i18n.For(i18n.English)
	for _, r := range partnerCatalog {
		if got := sheetName(en, r); got != r.Sheet {
			t.Errorf("%s: English sheet name %q, catalog.go says %q", r.Name, got, r.Sheet)
		}
		for _, c := range r.Columns {
			if got := en.T(columnKey(en, r.Name, c.Name)); got != c.Header {
				t.Errorf("%s.%s: English header %q, the CSV column is %q", r.Name, c.Name, got, c.Header)
			}
			key := c.Name
			if _, ok := definitions[r.Name+"."+c.Name]; ok {
				key = r.Name + "." + c.Name
			}
			d := definitions[key]
			if got := en.T("workbook.definition." + key); got != d.Meaning {
				t.Errorf("definition %s: catalog %q, definitions.go %q", key, got, d.Meaning)
			}
			if d.PartnerCenter != "" {
				if got := en.T("workbook.definition." + key + ".pc"); got != d.PartnerCenter {
					t.Errorf("definition %s.pc: catalog %q, definitions.go %q", key, got, d.PartnerCenter)
				}
			}
		}
	}
	for i, g := range generalDefinitions {
		key := fmt.Sprintf("workbook.general.%02d.", i+1)
		if en.T(key+"label") != g[0] || en.T(key+"text") != g[1] {
			t.Errorf("general definition %d: catalog %q / %q, definitions.go %q / %q", i+1, en.T(key+"label"), en.T(key+"text"), g[0], g[1])
		}
	}
	for _, l := range i18n.Langs {
		loc := i18n.For(l)
		seen := map[string]bool{}
		for _, r := range partnerCatalog {
			name := sheetName(loc, r)
			if n := len([]rune(name)); n == 0 || n > 31 || seen[name] {
				t.Errorf("%s: sheet name %q is empty, longer than 31 characters or taken", l, name)
			}
			seen[name] = true
			if r.Empty != "" && !loc.Has("workbook.empty."+r.Name) {
				t.Errorf("%s: no empty note for %s", l, r.Name)
			}
		}
	}
}

// TestVocabulary: the program's own words in the data are translated, and
// anything else (an offer's name) is shown as it is.
func TestVocabulary(t *testing.T) {
	fr := i18n.For(i18n.French)
	for _, c := range []struct{ family, in, want string }{
		{"workbook.metric.", "Trailing billed sales, company (USD)", "Ventes 12 mois, entreprise (USD)"},
		{"workbook.slice.", "New or existing customer", "Client nouveau ou existant"},
		{"workbook.value.", "(none)", "(aucun)"},
		{"workbook.value.", "Backup Vault", "Backup Vault"},
		{"workbook.value.", "", ""},
	} {
		if got := vocabulary(fr, c.family)(c.in); got != c.want {
			t.Errorf("%s%q = %q, want %q", c.family, c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"Tier: none yet as of 2025-07-05", "Niveau : aucun pour l'instant au 05/07/2025"},
		{"Tier: Tier 3 (top tier) as of 2026-10-31", "Niveau : Tier 3 (niveau le plus élevé) au 31/10/2026"},
		{"Next tier: Tier 2", "Niveau suivant : Tier 2"},
		{"Projected: Tier 2 in 2026-02", "Prévision : Tier 2 en février 2026"},
		{"Not reached at the current pace", "Non atteint au rythme actuel"},
		{"something else", "something else"},
	} {
		if got := tierNote(fr, c.in); got != c.want {
			t.Errorf("tierNote(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		lang    i18n.Lang
		in, out string
	}{
		{i18n.French, "2026-10-31 (latest complete month 2026-10)", "31/10/2026 (dernier mois complet : octobre 2026)"},
		{i18n.Chinese, "2026-10-31 (latest complete month 2026-10)", "2026/10/31（最近完整月份：2026年10月）"},
		{i18n.English, "2026-10-31 (latest complete month 2026-10)", "2026-10-31 (latest complete month 2026-10)"},
		{i18n.French, "2026-10-31 (no complete month yet)", "31/10/2026 (pas encore de mois complet)"},
		{i18n.French, "no data", "aucune donnée"},
	} {
		if got := dataThrough(i18n.For(c.lang), c.in); got != c.out {
			t.Errorf("%s: dataThrough(%q) = %q, want %q", c.lang, c.in, got, c.out)
		}
	}
}
