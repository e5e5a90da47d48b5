package reports_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/reports"
)

// TestCompanyLanguage: a partner's workbook is in its company's language
// (company_languages of the partner's PGA), English when the company chose
// none; a change of language renders that company's partners again and
// keeps the others' files, and --lang (Options.Lang) overrides the company.
func TestCompanyLanguage(t *testing.T) {
	ctx := context.Background()
	s, _ := fixtureStore(t)
	p := fixturePeriod(t)
	out := t.TempDir()
	generate := func(t *testing.T, lang i18n.Lang) (map[string]reports.File, reports.Stats) {
		t.Helper()
		g, err := reports.New(s, nil, out, reports.Options{Workers: 2, Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		files, err := g.All(ctx, runFor(t, s), p)
		if err != nil {
			t.Fatal(err)
		}
		return filesByName2(files), g.Stats()
	}
	firstSheet := func(t *testing.T, files map[string]reports.File, partner string) string {
		t.Helper()
		f := openXLSX(t, filepath.Join(out, filepath.FromSlash(files[partner+"/insights_2025-06_6m.xlsx"].Path)))
		return f.GetSheetList()[0]
	}
	setLang := func(t *testing.T, pga, lang string) {
		t.Helper()
		if _, err := s.Exec(ctx, `INSERT OR REPLACE INTO company_languages VALUES (?, ?, 'test', TIMESTAMP '2025-07-05 08:00:00')`, pga, lang); err != nil {
			t.Fatal(err)
		}
	}

	files, _ := generate(t, "")
	if got := firstSheet(t, files, "p-contoso"); got != "Summary" {
		t.Fatalf("no company language: first sheet %q, want English", got)
	}

	setLang(t, "pga-contoso", "fr")
	files, st := generate(t, "")
	for _, c := range []struct{ partner, sheet string }{
		{"p-contoso", "Synthèse"}, {"p-contoso-labs", "Synthèse"}, // both profiles of the company
		{"p-fabrikam", "Summary"},
	} {
		if got := firstSheet(t, files, c.partner); got != c.sheet {
			t.Errorf("%s: first sheet %q, want %q", c.partner, got, c.sheet)
		}
	}
	if st.Partners-st.Kept != 2 {
		t.Errorf("after Contoso's change of language: %d partners rendered (%+v), want its 2 profiles", st.Partners-st.Kept, st)
	}

	if _, st := generate(t, ""); st.Kept != st.Partners {
		t.Errorf("same language again: %+v, want every partner kept", st)
	}

	setLang(t, "pga-contoso", "zh-Hans")
	files, _ = generate(t, "")
	if got := firstSheet(t, files, "p-contoso"); got != "摘要" {
		t.Errorf("Chinese: first sheet %q", got)
	}

	files, st = generate(t, i18n.French)
	if got := firstSheet(t, files, "p-fabrikam"); got != "Synthèse" || st.Kept == st.Partners {
		t.Errorf("--lang fr: Fabrikam's first sheet %q (%+v)", got, st)
	}
}

// filesByName2 indexes files by partner folder and base name.
func filesByName2(files []reports.File) map[string]reports.File {
	m := map[string]reports.File{}
	for _, f := range files {
		m[f.PartnerID+"/"+f.Name] = f
	}
	return m
}
