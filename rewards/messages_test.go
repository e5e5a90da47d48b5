package rewards

import (
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/i18n"
)

// TestActivationMessageFromCatalogs: the activation message of each language
// is its catalog's texts (i18n/locales/<lang>/mail.toml) with the data filled
// in, the due date the language's long date, the data escaped in the HTML
// part; an unknown language is English.
func TestActivationMessageFromCatalogs(t *testing.T) {
	d := messageData{Contact: "Léa <Martin>", Company: "A&B Ltd", Benefit: "Go-to-market consultation", By: "ann@ab.example",
		DueOn: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		lang, htmlLang, subject, due string
	}{
		{"fr", "fr", "Récompenses de la Place de marché\u00a0: Go-to-market consultation est activé", "au plus tard le 1er mars 2026."},
		{"zh-Hans", "zh-Hans", "市场奖励：Go-to-market consultation 已激活", "（2026年3月1日之前）"},
		{"en", "en", "Marketplace Rewards: Go-to-market consultation is activated", "by 1 March 2026."},
		{"de", "en", "Marketplace Rewards: Go-to-market consultation is activated", "by 1 March 2026."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			m := activationMessage(tc.lang, d)
			loc := i18n.For(i18n.Lang(tc.htmlLang))
			if m.Subject != tc.subject || m.Subject != loc.T("mail.activation.subject", d) {
				t.Errorf("subject %q, want %q", m.Subject, tc.subject)
			}
			for _, key := range []string{"mail.activation.body", "mail.activation.prepare", "mail.activation.sign"} {
				if want := loc.T(key, d); !strings.Contains(m.Text, want) {
					t.Errorf("text lacks %s %q:\n%s", key, want, m.Text)
				}
			}
			if !strings.Contains(m.Text, tc.due) || !strings.Contains(m.HTML, tc.due) {
				t.Errorf("due date %q missing:\n%s\n%s", tc.due, m.Text, m.HTML)
			}
			if !strings.Contains(m.HTML, `<html lang="`+tc.htmlLang+`">`) || strings.Contains(m.HTML, "<Martin>") ||
				!strings.Contains(m.HTML, "Léa &lt;Martin&gt;") || !strings.Contains(m.HTML, "A&amp;B Ltd") {
				t.Errorf("html:\n%s", m.HTML)
			}
		})
	}
}

// TestNormalizeLanguage: a contact's language as people and systems write it
// maps to the code of one of Languages, or is refused.
func TestNormalizeLanguage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"en", "en"}, {"en-US", "en"}, {"EN_gb", "en"}, {"English", "en"},
		{"fr", "fr"}, {"fr-CA", "fr"}, {"Français", "fr"},
		{"zh", "zh-Hans"}, {"zh-CN", "zh-Hans"}, {"zh-Hans-SG", "zh-Hans"}, {"简体中文", "zh-Hans"},
		{"zh-TW", ""}, {"de", ""}, {"", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := NormalizeLanguage(tc.in)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("NormalizeLanguage(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
			}
			if ok && !containsCode(Languages, got) {
				t.Errorf("%q is not in Languages", got)
			}
		})
	}
}

func containsCode(ls []Language, code string) bool {
	for _, l := range ls {
		if l.Code == code {
			return true
		}
	}
	return false
}
