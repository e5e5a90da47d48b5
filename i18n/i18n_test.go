package i18n

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"en", English, true}, {"EN_us", English, true}, {"en-GB", English, true},
		{"fr", French, true}, {"fr-CA", French, true}, {"Français", French, true}, {"french", French, true},
		{"zh", Chinese, true}, {"zh-CN", Chinese, true}, {"zh-Hans", Chinese, true}, {"zh-Hans-CN", Chinese, true}, {"简体中文", Chinese, true},
		{"zh-Hant", "", false}, {"zh-TW", "", false}, {"de", "", false}, {"", "", false}, {"x-pseudo", "", false}, {"not a language!", "", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := Parse(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Parse(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestNegotiate(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   Lang
	}{
		{"", English},
		{"fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", French},
		{"de-DE,de;q=0.9,fr;q=0.5,en;q=0.3", French},
		{"zh-CN,zh;q=0.9", Chinese},
		{"en;q=0.2,zh-Hans;q=0.9", Chinese},
		{"de-DE", English},
		{"zh-TW,zh-Hant;q=0.9", English},
		{";;;garbage", English},
	} {
		t.Run(tc.header, func(t *testing.T) {
			if got := Negotiate(tc.header); got != tc.want {
				t.Errorf("Negotiate(%q) = %q, want %q", tc.header, got, tc.want)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	day := time.Date(2026, 10, 31, 14, 5, 0, 0, time.UTC)
	first := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	type row struct{ name, en, fr, zh string }
	run := func(rows []row, f func(*Localizer, string) string) {
		for _, r := range rows {
			for lang, want := range map[Lang]string{English: r.en, French: r.fr, Chinese: r.zh} {
				t.Run(r.name+"/"+string(lang), func(t *testing.T) {
					if got := f(For(lang), r.name); got != want {
						t.Errorf("%s: got %q, want %q", lang, got, want)
					}
				})
			}
		}
	}
	run([]row{
		{"1234567.894", "USD 1,234,567.89", "1\u202f234\u202f567,89\u00a0$US", "US$1,234,567.89"},
		{"1234567.895", "USD 1,234,567.90", "1\u202f234\u202f567,90\u00a0$US", "US$1,234,567.90"},
		{"-0.004", "USD 0.00", "0,00\u00a0$US", "US$0.00"},
		{"-1500", "USD -1,500.00", "-1\u202f500,00\u00a0$US", "US$-1,500.00"},
		{"999", "USD 999.00", "999,00\u00a0$US", "US$999.00"},
		{"", "–", "–", "–"},
	}, func(l *Localizer, s string) string { return l.Money(s, "USD") })
	run([]row{{"EUR", "EUR 12.50", "12,50\u00a0€", "€12.50"}, {"JPY", "JPY 12.50", "12,50\u00a0JPY", "JPY 12.50"}},
		func(l *Localizer, s string) string { return l.Money("12.5", s) })
	run([]row{{"int", "1,234,567", "1\u202f234\u202f567", "1,234,567"}},
		func(l *Localizer, _ string) string { return l.Int(1234567) })
	run([]row{{"pct", "12.5%", "12,5\u202f%", "12.5%"}},
		func(l *Localizer, _ string) string { return l.Percent(0.125, 1) })
	run([]row{{"date", "2026-10-31", "31/10/2026", "2026/10/31"}},
		func(l *Localizer, _ string) string { return l.Date(day) })
	run([]row{{"datetime", "2026-10-31 14:05 UTC", "31/10/2026 14:05 UTC", "2026/10/31 14:05 UTC"}},
		func(l *Localizer, _ string) string { return l.DateTime(day) })
	run([]row{{"long", "31 October 2026", "31 octobre 2026", "2026年10月31日"}, {"first", "1 November 2026", "1er novembre 2026", "2026年11月1日"}},
		func(l *Localizer, s string) string {
			if s == "first" {
				return l.LongDate(first)
			}
			return l.LongDate(day)
		})
	run([]row{{"month", "October 2026", "octobre 2026", "2026年10月"}},
		func(l *Localizer, _ string) string { return l.Month(day) })
	run([]row{{"short", "Oct 2026", "oct. 2026", "2026年10月"}},
		func(l *Localizer, _ string) string { return l.ShortMonth(day) })
	run([]row{{"size", "1.5 MB", "1,5\u00a0Mo", "1.5 MB"}},
		func(l *Localizer, _ string) string { return l.Size(3 << 19) })
	run([]row{{"zero", "–", "–", "–"}}, func(l *Localizer, _ string) string { return l.Date(time.Time{}) })
}

func TestTexts(t *testing.T) {
	for _, tc := range []struct {
		lang Lang
		want string
	}{{English, "Language"}, {French, "Langue"}, {Chinese, "语言"}, {Pseudo, "⟦Language⟧"}, {"de", "Language"}} {
		t.Run(string(tc.lang), func(t *testing.T) {
			if got := For(tc.lang).T("common.language"); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if got := For(French).T("common.no-such-key"); got != "⟦common.no-such-key⟧" {
		t.Errorf("a missing key reads %q, want it marked", got)
	}
	if For(French).Has("common.no-such-key") || !For(French).Has("common.language") {
		t.Error("Has is wrong")
	}
}
