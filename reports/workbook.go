package reports

import (
	"time"

	"github.com/marketplace-insights/insights/reports/render"
)

// partnerWorkbook assembles one partner's workbook from its query results
// (in partnerCatalog order): the Summary introduces itself with a title block
// (whose report, for which month, how current), the charts sit beside it, and
// every page prints with the partner and month in its footer.
// The last sheet before Metadata is the Definitions (defs, from
// definitionsTable; the caller releases it).
func partnerWorkbook(run Run, pt PartnerInfo, p Period, tables []render.Table, defs render.Table) render.Workbook {
	for i, r := range partnerCatalog {
		if r.Empty != "" {
			tables[i].Empty = r.Empty + " in " + p.Describe()
		}
	}
	return render.Workbook{
		Sheets: append(tables[:len(tables):len(tables)], defs),
		Charts: summaryCharts(),
		Meta:   partnerMeta(run, pt, p),
		Title:  "Marketplace Insights: " + partnerLabel(pt),
		About:  partnerAbout(run, pt, p),
		Footer: partnerLabel(pt) + " · report month " + p.Label() + " · as of " + run.AsOf.Format(time.DateOnly),
	}
}

// partnerLabel is "Name (id)", or the id alone when the partner has no name.
func partnerLabel(pt PartnerInfo) string {
	if pt.Name == "" || pt.Name == pt.ID {
		return pt.ID
	}
	return pt.Name + " (" + pt.ID + ")"
}

// partnerAbout is the Summary's title block.
func partnerAbout(run Run, pt PartnerInfo, p Period) [][2]string {
	company := pt.PGA
	switch {
	case company == "":
		company = "not linked to a partner global account"
	case pt.Company != "":
		company = pt.Company + " (PGA " + pt.PGA + ")"
	default:
		company = "PGA " + pt.PGA
	}
	about := [][2]string{
		{"Partner", partnerLabel(pt)},
		{"Company", company},
		{"Report month", p.Label() + " (against " + p.Month.AddDate(0, -1, 0).Format("2006-01") + ")"},
		{"Trend window", p.Describe()},
		{"As of", run.AsOf.Format(time.DateOnly)},
	}
	if run.DataThrough != "" {
		about = append(about, [2]string{"Data through", run.DataThrough})
	}
	return append(about, [2]string{"Generated", run.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC") + ", run " + run.ID})
}
