package i18n

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// entry is one text of a catalog: its plural forms (just "other" when the
// text has none) and the {{.Field}}s it fills.
type entry struct {
	file   string
	forms  []string
	fields []string
}

var fieldRE = regexp.MustCompile(`{{\s*\.(\w+)`)

// catalogs reads every catalog file: language → key → entry.
func catalogs(t *testing.T) map[Lang]map[string]entry {
	t.Helper()
	out := map[Lang]map[string]entry{}
	err := fs.WalkDir(catalogFS, "locales", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if path.Ext(p) != ".toml" {
			t.Errorf("%s: a catalog file must be .toml", p)
			return nil
		}
		lang := Lang(path.Base(path.Dir(p)))
		data, err := catalogFS.ReadFile(p)
		if err != nil {
			return err
		}
		mf, err := goi18n.ParseMessageFileBytes(data, path.Base(p)[:len(path.Base(p))-5]+"."+string(lang)+".toml",
			map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if out[lang] == nil {
			out[lang] = map[string]entry{}
		}
		for _, m := range mf.Messages {
			if prev, dup := out[lang][m.ID]; dup {
				t.Errorf("%s: key %q is also in %s", p, m.ID, prev.file)
			}
			e := entry{file: p}
			fields := map[string]bool{}
			for form, text := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
				if text == "" {
					continue
				}
				e.forms = append(e.forms, form)
				for _, f := range fieldRE.FindAllStringSubmatch(text, -1) {
					fields[f[1]] = true
				}
			}
			sort.Strings(e.forms)
			for f := range fields {
				e.fields = append(e.fields, f)
			}
			sort.Strings(e.fields)
			out[lang][m.ID] = e
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// pluralForms are the CLDR forms a counted text needs in each language.
var pluralForms = map[Lang][]string{English: {"one", "other"}, French: {"one", "other"}, Chinese: {"other"}}

// TestCatalogsAgree: every language has every key and no other, counted texts
// have the language's plural forms, and each translation fills the same fields.
func TestCatalogsAgree(t *testing.T) {
	cats := catalogs(t)
	for lang := range cats {
		if _, ok := Parse(string(lang)); !ok || !contains(Langs, lang) {
			t.Errorf("locales/%s: not a language the program offers %v", lang, Langs)
		}
	}
	en := cats[English]
	if len(en) == 0 {
		t.Fatal("the English catalog is empty")
	}
	for _, lang := range Langs {
		t.Run(string(lang), func(t *testing.T) {
			cat := cats[lang]
			for key, e := range en {
				got, ok := cat[key]
				if !ok {
					t.Errorf("key %q (from %s) is missing in %s", key, e.file, lang)
					continue
				}
				counted := len(e.forms) > 1 || e.forms[0] != "other"
				if counted && strings.Join(got.forms, ",") != strings.Join(pluralForms[lang], ",") {
					t.Errorf("%s: %q has plural forms %v, %s needs %v", got.file, key, got.forms, lang, pluralForms[lang])
				}
				if !counted && strings.Join(got.forms, ",") != "other" {
					t.Errorf("%s: %q is plain in English but has forms %v", got.file, key, got.forms)
				}
				if strings.Join(got.fields, ",") != strings.Join(e.fields, ",") {
					t.Errorf("%s: %q fills %v, English fills %v", got.file, key, got.fields, e.fields)
				}
			}
			for key, e := range cat {
				if _, ok := en[key]; !ok {
					t.Errorf("%s: key %q is in no English catalog", e.file, key)
				}
			}
		})
	}
}

// keyLiteral is a quoted text that looks like a catalog key: area.word…
var keyLiteral = regexp.MustCompile("[\"`]((?:common|portal|workbook|mail)\\.[A-Za-z0-9_.\\-]*)[\"`]")

// TestEveryKeyIsUsedAndEveryUseHasAKey scans the module's Go code and
// templates: a key nothing names is dead text to translate, and a name no
// catalog has would show as "⟦key⟧". A family of keys built at run time
// ("workbook.column." + name) counts as used through its quoted prefix; the
// code that builds it checks its own members exist (Localizer.Has).
func TestEveryKeyIsUsedAndEveryUseHasAKey(t *testing.T) {
	used := map[string][]string{} // literal → files
	root := filepath.Join("..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "testdata", "node_modules", "locales":
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(p)
		if (ext != ".go" && ext != ".html" && ext != ".tmpl") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range keyLiteral.FindAllStringSubmatch(string(data), -1) {
			used[m[1]] = append(used[m[1]], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	en := catalogs(t)[English]
	for key, e := range en {
		if len(used[key]) > 0 {
			continue
		}
		family := false
		for i := strings.LastIndex(key, "."); i > 0; i = strings.LastIndex(key[:i], ".") {
			if len(used[key[:i+1]]) > 0 {
				family = true
				break
			}
		}
		if !family {
			t.Errorf("%s: key %q is used by no code or template", e.file, key)
		}
	}
	for lit, files := range used {
		if strings.HasSuffix(lit, ".") {
			continue // a family prefix
		}
		if _, ok := en[lit]; !ok {
			t.Errorf("%s names key %q, which no catalog has", files[0], lit)
		}
	}
}

func contains(ls []Lang, l Lang) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}
