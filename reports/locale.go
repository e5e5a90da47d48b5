package reports

import (
	"regexp"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/reports/render"
)

// The partner workbook in the company's language. Every text a partner
// reads in it comes from the workbook catalog (i18n/locales/<lang>/workbook.toml):
// sheet names, headers, the title block, notes, chart titles, the Definitions
// and Metadata sheets, and the program's own words inside the data (the
// Summary's metric names, slice names). The CSV and Parquet files keep the
// English column names of the catalog (Column.Header) and the query's values:
// partners' scripts read them by name.

// langFor is the language pt's workbook is written in: the generator's
// (--lang) when set, else the company's, else English.
func (g *Generator) langFor(pt PartnerInfo) i18n.Lang {
	if g.opt.Lang != "" {
		return g.opt.Lang
	}
	if l, ok := i18n.Parse(pt.Lang); ok {
		return l
	}
	return i18n.English
}

// sheetName is the report's sheet in the workbook's language.
func sheetName(loc *i18n.Localizer, r Report) string {
	return loc.T("workbook.sheet." + r.Name)
}

// columnKey is the catalog key of a column's header: the report's own when
// it has one ("workbook.column.<report>.<column>"), else the column's.
func columnKey(loc *i18n.Localizer, report, column string) string {
	if k := "workbook.column." + report + "." + column; loc.Has(k) {
		return k
	}
	return "workbook.column." + column
}

// localColumns are a report's columns with headers in the workbook's
// language and the program's words in the data translated where shown.
func localColumns(loc *i18n.Localizer, r Report) []render.Column {
	cols := make([]render.Column, len(r.Columns))
	for j, c := range r.Columns {
		c.Header = loc.T(columnKey(loc, r.Name, c.Name))
		switch {
		case r.Name == "summary" && c.Name == "area":
			c.Display = vocabulary(loc, "workbook.area.")
		case r.Name == "summary" && c.Name == "metric":
			c.Display = vocabulary(loc, "workbook.metric.")
		case r.Name == "summary" && c.Name == "unit":
			c.Display = vocabulary(loc, "workbook.unit.")
		case r.Name == "summary" && c.Name == "better":
			c.Display = vocabulary(loc, "workbook.better.")
		case r.Name == "summary" && c.Name == "note":
			c.Display = func(s string) string { return tierNote(loc, s) }
		case c.Name == "slice":
			c.Display = vocabulary(loc, "workbook.slice.")
		case c.Name == "value" || c.Name == "tier" || c.Name == "contact_details":
			c.Display = vocabulary(loc, "workbook.value.")
		}
		// The Summary's USD rows keep the plain amount (the metric and the
		// Unit column say USD): with the symbol, the French table no longer
		// prints beside its charts at a readable scale.
		cols[j] = c
	}
	return cols
}

// vocabulary translates the program's own words in a column ("New orders",
// "(none)") through the catalog family prefix; anything else is data (an
// offer's name) and shows as it is.
func vocabulary(loc *i18n.Localizer, family string) func(string) string {
	return func(s string) string {
		if k := family + slug(s); slug(s) != "" && loc.Has(k) {
			return loc.T(k)
		}
		return s
	}
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// slug is a text as a catalog key part: "Trailing billed sales, company
// (USD)" → "trailing_billed_sales_company_usd".
func slug(s string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(s), "_"), "_")
}

// The Summary's tier notes, as summary.sql writes them.
var (
	noteTier      = regexp.MustCompile(`^Tier: (.+?)( \(top tier\))? as of (\d{4}-\d{2}-\d{2})$`)
	noteNext      = regexp.MustCompile(`^Next tier: (.+)$`)
	noteProjected = regexp.MustCompile(`^Projected: (.+) in (\d{4}-\d{2})$`)
)

// tierNote writes a Summary note in the workbook's language; a note of
// another shape shows as it is.
func tierNote(loc *i18n.Localizer, s string) string {
	tier := vocabulary(loc, "workbook.value.")
	if m := noteTier.FindStringSubmatch(s); m != nil {
		day, _ := time.Parse(time.DateOnly, m[3])
		key := "workbook.note.tier"
		if m[2] != "" {
			key = "workbook.note.tier_top"
		}
		return loc.T(key, map[string]any{"Tier": tier(m[1]), "Date": loc.Date(day)})
	}
	if m := noteNext.FindStringSubmatch(s); m != nil {
		return loc.T("workbook.note.next", map[string]any{"Tier": tier(m[1])})
	}
	if m := noteProjected.FindStringSubmatch(s); m != nil {
		month, _ := time.Parse("2006-01", m[2])
		return loc.T("workbook.note.projected", map[string]any{"Tier": tier(m[1]), "Month": monthLabel(loc, month)})
	}
	if s == "Not reached at the current pace" {
		return loc.T("workbook.note.not_reached")
	}
	return s
}

var throughMonth = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}) \(latest complete month (\d{4}-\d{2})\)$`)

// dataThrough writes Coverage.DataThrough in the workbook's language:
// "2026-10-31 (latest complete month 2026-10)" → "31/10/2026 (dernier mois
// complet : oct. 2026)".
func dataThrough(loc *i18n.Localizer, s string) string {
	if s == "no data" {
		return loc.T("workbook.through.none")
	}
	if m := throughMonth.FindStringSubmatch(s); m != nil {
		day, _ := time.Parse(time.DateOnly, m[1])
		month, _ := time.Parse("2006-01", m[2])
		return loc.T("workbook.through.month", map[string]any{"Date": loc.Date(day), "Month": monthLabel(loc, month)})
	}
	if d, rest, ok := strings.Cut(s, " (no complete month yet)"); ok && rest == "" {
		if day, err := time.Parse(time.DateOnly, d); err == nil {
			return loc.T("workbook.through.no_month", map[string]any{"Date": loc.Date(day)})
		}
	}
	if day, err := time.Parse(time.DateOnly, s); err == nil {
		return loc.Date(day)
	}
	return s
}

// describe is the trend window: "2025-01 to 2025-06 (6 months)", "janv.
// 2025 à juin 2025 (6 mois)".
func describe(loc *i18n.Localizer, p Period) string {
	short := loc.ShortMonth
	if loc.Lang() == i18n.English {
		short = func(t time.Time) string { return t.Format("2006-01") } // the ISO months English always had
	}
	if p.Months == 1 {
		return loc.T("workbook.window.one", map[string]any{"Month": short(p.Month)})
	}
	return loc.N("workbook.window.many", int64(p.Months), map[string]any{"From": short(p.First()), "To": short(p.Month)})
}

// monthLabel is a month in the title block: "2025-06" in English as always,
// "juin 2025", "2025年6月".
func monthLabel(loc *i18n.Localizer, t time.Time) string {
	if loc.Lang() == i18n.English {
		return t.Format("2006-01")
	}
	return loc.Month(t)
}

// workbookLocale is the renderer's side of the language: number formats and
// its own texts.
func workbookLocale(loc *i18n.Localizer) *render.Locale {
	e := loc.Excel()
	l := &render.Locale{
		MetadataSheet: loc.T("workbook.metadata.sheet"),
		Key:           loc.T("workbook.metadata.key"),
		Value:         loc.T("workbook.metadata.value"),
		RowsLabel:     loc.T("workbook.metadata.rows"),
		Page:          loc.T("workbook.page"),
	}
	if e.Integer == "" { // English: Excel's built-in formats and ISO dates, as before
		return l
	}
	l.NumFmts = map[render.Format]string{
		render.Integer: e.Integer, render.Decimal: e.Decimal, render.Money: e.Amount, render.Percent: e.Percent,
		render.Date: e.Date, render.Month: e.Month, render.Timestamp: e.Timestamp, render.Points: e.Points,
	}
	l.MoneyFmts = map[string]string{"USD": e.Money("USD")}
	l.ChartNumFmts = map[render.Format]string{
		render.Integer: e.ChartNumber, render.Decimal: e.ChartNumber, render.Money: e.ChartNumber,
		render.Percent: e.ChartPercent, render.Month: e.ChartMonth, render.Date: e.ChartDate,
	}
	l.Widths = map[render.Format]int{render.Month: e.MonthWidth, render.Money: e.MoneyWidth, render.Percent: e.PercentWidth}
	return l
}
