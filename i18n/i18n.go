// Package i18n owns the languages partners read the program in: the message
// catalogs (locales/<lang>/<area>.toml, one key per text, with CLDR plural
// rules through go-i18n) and how each language writes numbers, money, percents
// and dates. Pages, workbooks and messages ask a Localizer for every word they
// show; the analytics API, the data files' column names, the review desk, the
// logs and the CLI stay in English and do not use it.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Lang is one language the partner-facing texts exist in, as a BCP 47 tag.
type Lang string

const (
	English Lang = "en"
	French  Lang = "fr"
	Chinese Lang = "zh-Hans" // Simplified Chinese
	// Pseudo is for tests only: every catalog text reads "⟦English text⟧",
	// so a test can tell a text that came from a catalog from one that did not.
	Pseudo Lang = "x-pseudo"
)

// PseudoOpen and PseudoClose wrap every text of the Pseudo language.
const (
	PseudoOpen  = "⟦"
	PseudoClose = "⟧"
)

// Langs are the languages a partner can choose, English (the fallback) first.
var Langs = []Lang{English, French, Chinese}

// Name is the language's name written in itself, as a language switch shows it.
func (l Lang) Name() string {
	switch l {
	case French:
		return "Français"
	case Chinese:
		return "简体中文"
	}
	return "English"
}

// Tag is the language's BCP 47 tag.
func (l Lang) Tag() language.Tag {
	switch l {
	case French:
		return language.French
	case Chinese:
		return language.SimplifiedChinese
	}
	return language.English
}

// LCID is the Windows locale id Excel number formats name ([$-40C]): the
// language that month names and, in LibreOffice, separators follow.
func (l Lang) LCID() string {
	switch l {
	case French:
		return "40C"
	case Chinese:
		return "804"
	}
	return "409"
}

// Parse reads a language as people and browsers write it: a code or tag
// ("fr", "fr-CA", "zh", "zh-CN", "zh-Hans-CN", "EN_us") or its name
// ("Français", "French", "简体中文"). ok is false for anything else,
// including Traditional Chinese, which is not offered.
func Parse(s string) (Lang, bool) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "":
		return "", false
	case "english", "anglais":
		return English, true
	case "français", "francais", "french":
		return French, true
	case "简体中文", "中文", "chinese", "simplified chinese", "chinois":
		return Chinese, true
	}
	tag, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return "", false
	}
	base, _ := tag.Base()
	switch base.String() {
	case "en":
		return English, true
	case "fr":
		return French, true
	case "zh":
		script, _ := tag.Script()
		if script.String() == "Hant" {
			return "", false
		}
		if reg, conf := tag.Region(); conf == language.Exact && (reg.String() == "TW" || reg.String() == "HK" || reg.String() == "MO") && script.String() != "Hans" {
			return "", false
		}
		return Chinese, true
	}
	return "", false
}

// Negotiate picks the language for a browser's Accept-Language header:
// the first one offered that the header names, by its q-values; English when
// it names none.
func Negotiate(acceptLanguage string) Lang {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return English
	}
	// The tags come sorted by q-value; the first one offered wins, so that
	// "de, fr;q=0.5" gets French rather than English. Traditional Chinese is
	// not read as Simplified: a Taiwanese reader gets English, not a script
	// they did not ask for.
	for _, t := range tags {
		if l, ok := Parse(t.String()); ok {
			return l
		}
	}
	return English
}

//go:embed locales
var catalogFS embed.FS

var (
	loadOnce sync.Once
	bundle   *goi18n.Bundle
	loadErr  error
	locs     sync.Map // Lang → *Localizer
)

func load() (*goi18n.Bundle, error) {
	loadOnce.Do(func() {
		b := goi18n.NewBundle(language.English)
		b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
		loadErr = fs.WalkDir(catalogFS, "locales", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || path.Ext(p) != ".toml" {
				return err
			}
			data, err := catalogFS.ReadFile(p)
			if err != nil {
				return err
			}
			// go-i18n takes the language from the file name; ours is the folder.
			lang := path.Base(path.Dir(p))
			if _, err := b.ParseMessageFileBytes(data, path.Base(p[:len(p)-len(".toml")])+"."+lang+".toml"); err != nil {
				return fmt.Errorf("catalog %s: %w", p, err)
			}
			return nil
		})
		bundle = b
	})
	return bundle, loadErr
}

// Localizer writes the texts, numbers, money and dates of one language.
type Localizer struct {
	lang Lang
	loc  *goi18n.Localizer
	f    format
}

// For is the Localizer of l (English for a language not offered). It panics
// if the embedded catalogs do not parse, which their tests rule out.
func For(l Lang) *Localizer {
	if v, ok := locs.Load(l); ok {
		return v.(*Localizer)
	}
	b, err := load()
	if err != nil {
		panic(err)
	}
	tag := l
	switch l {
	case English, French, Chinese, Pseudo:
	default:
		l, tag = English, English
	}
	if l == Pseudo {
		tag = English
	}
	loc := &Localizer{lang: l, loc: goi18n.NewLocalizer(b, string(tag), string(English)), f: formats[tag]}
	v, _ := locs.LoadOrStore(l, loc)
	return v.(*Localizer)
}

// Lang is the localizer's language.
func (l *Localizer) Lang() Lang { return l.lang }

// T is the text of key, its {{.Name}} fields filled from data (a map or a
// struct). A key no catalog has reads "⟦key⟧", so that it shows and a test
// that looks for catalog texts fails, instead of leaving a blank.
func (l *Localizer) T(key string, data ...any) string {
	var d any
	if len(data) > 0 {
		d = data[0]
	}
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: d})
	if err != nil && s == "" {
		return PseudoOpen + key + PseudoClose
	}
	return l.mark(s)
}

// N is the text of key for the count n, in the language's plural form (one,
// other, …); {{.Count}} is n written the language's way.
func (l *Localizer) N(key string, n int64, data ...map[string]any) string {
	d := map[string]any{}
	if len(data) > 0 {
		for k, v := range data[0] {
			d[k] = v
		}
	}
	d["Count"] = l.Int(n)
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: key, PluralCount: n, TemplateData: d})
	if err != nil && s == "" {
		return PseudoOpen + key + PseudoClose
	}
	return l.mark(s)
}

// Has says whether some catalog has key (in this language or English).
func (l *Localizer) Has(key string) bool {
	_, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: key})
	return err == nil
}

func (l *Localizer) mark(s string) string {
	if l.lang == Pseudo {
		return PseudoOpen + s + PseudoClose
	}
	return s
}
