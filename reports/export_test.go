package reports

import (
	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/reports/render"
)

// SetAfterRename lets the external tests act between a file's rename and its
// manifest row; it returns a function that removes the hook.
func SetAfterRename(f func(rel string)) (restore func()) {
	afterRename = f
	return func() { afterRename = nil }
}

// PartnerWorkbook is the workbook the generator writes for pt from its
// report tables (no Coverage), so that the benchmark's baseline renders the
// same cells; release frees the Definitions sheet.
func PartnerWorkbook(run Run, pt PartnerInfo, p Period, tables []render.Table) (wb render.Workbook, release func(), err error) {
	defs, err := localDefinitionsTable(i18n.For(i18n.English))
	if err != nil {
		return render.Workbook{}, nil, err
	}
	return partnerWorkbook(run, pt, p, tables, defs, i18n.English), func() { Release(defs) }, nil
}
