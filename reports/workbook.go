package reports

import (
	"time"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/reports/render"
)

// partnerWorkbook assembles one partner's workbook from its query results
// (in partnerCatalog order), in lang: the Summary introduces itself with a
// title block (whose report, for which month, how current), the charts sit
// beside it, and every page prints with the partner and month in its footer.
// The last sheet before Metadata is the Definitions (defs, from
// definitionsTable; the caller releases it). tables are not changed: the
// CSV and Parquet files are written from them with their English names.
func partnerWorkbook(run Run, pt PartnerInfo, p Period, tables []render.Table, defs render.Table, lang i18n.Lang) render.Workbook {
	loc := i18n.For(lang)
	sheets := make([]render.Table, 0, len(tables)+1)
	for i, r := range partnerCatalog {
		t := tables[i]
		t.Name = sheetName(loc, r)
		t.Columns = localColumns(loc, r)
		if r.Empty != "" {
			t.Empty = loc.T("workbook.empty."+r.Name, map[string]any{"Window": describe(loc, p)})
		}
		sheets = append(sheets, t)
	}
	label := partnerLabel(loc, pt)
	return render.Workbook{
		Sheets: append(sheets, defs),
		Charts: summaryCharts(loc),
		Meta:   localMeta(loc, run, pt, p),
		Props:  partnerMeta(run, pt, p),
		Title:  loc.T("workbook.title", map[string]any{"Partner": label}),
		About:  partnerAbout(loc, run, pt, p),
		Footer: loc.T("workbook.footer", map[string]any{"Partner": label, "Month": monthLabel(loc, p.Month), "AsOf": loc.Date(run.AsOf)}),
		Locale: workbookLocale(loc),
	}
}

// partnerLabel is "Name (id)", or the id alone when the partner has no name.
func partnerLabel(loc *i18n.Localizer, pt PartnerInfo) string {
	if pt.Name == "" || pt.Name == pt.ID {
		return pt.ID
	}
	return loc.T("workbook.about.partner_value", map[string]any{"Name": pt.Name, "ID": pt.ID})
}

// partnerAbout is the Summary's title block.
func partnerAbout(loc *i18n.Localizer, run Run, pt PartnerInfo, p Period) [][2]string {
	var company string
	switch {
	case pt.PGA == "":
		company = loc.T("workbook.about.no_pga")
	case pt.Company != "":
		company = loc.T("workbook.about.company_pga", map[string]any{"Company": pt.Company, "PGA": pt.PGA})
	default:
		company = loc.T("workbook.about.pga", map[string]any{"PGA": pt.PGA})
	}
	about := [][2]string{
		{loc.T("workbook.about.partner"), partnerLabel(loc, pt)},
		{loc.T("workbook.about.company"), company},
		{loc.T("workbook.about.report_month"), loc.T("workbook.about.report_month_value",
			map[string]any{"Month": monthLabel(loc, p.Month), "Previous": monthLabel(loc, p.Month.AddDate(0, -1, 0))})},
		{loc.T("workbook.about.trend_window"), describe(loc, p)},
		{loc.T("workbook.about.as_of"), loc.Date(run.AsOf)},
	}
	if run.DataThrough != "" {
		about = append(about, [2]string{loc.T("workbook.about.data_through"), dataThrough(loc, run.DataThrough)})
	}
	when := loc.DateTime(run.GeneratedAt)
	return append(about, [2]string{loc.T("workbook.about.generated"),
		loc.T("workbook.about.generated_value", map[string]any{"When": when, "Run": run.ID})})
}

// localMeta is the Metadata sheet in the workbook's language (partnerMeta,
// in English, fills the document properties).
func localMeta(loc *i18n.Localizer, run Run, pt PartnerInfo, p Period) [][2]string {
	return [][2]string{
		{loc.T("workbook.meta.partner"), pt.ID},
		{loc.T("workbook.meta.partner_name"), pt.Name},
		{loc.T("workbook.meta.period"), p.Label()},
		{loc.T("workbook.meta.window"), describe(loc, p)},
		{loc.T("workbook.meta.as_of"), run.AsOf.Format(time.DateOnly)},
		{loc.T("workbook.meta.run_id"), run.ID},
		{loc.T("workbook.meta.generated_at"), run.GeneratedAt.Format(time.RFC3339)},
		{loc.T("workbook.meta.language"), loc.Lang().Name()},
		{loc.T("workbook.meta.privacy"), loc.T("workbook.meta.privacy_text")},
	}
}
