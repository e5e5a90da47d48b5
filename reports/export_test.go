package reports

import (
	"strings"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/reports/render"
	sqlfiles "github.com/marketplace-insights/insights/sql"
)

// SetAfterRename lets the external tests act between a file's rename and its
// manifest row; it returns a function that removes the hook.
func SetAfterRename(f func(rel string)) (restore func()) {
	afterRename = f
	return func() { afterRename = nil }
}

// SetAfterPlans lets the external tests act between a group's decisions and
// its links; it returns a function that removes the hook.
func SetAfterPlans(f func()) (restore func()) {
	afterPlans = f
	return func() { afterPlans = nil }
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

// DigestQueries returns a partner report's digest query as the generator
// runs it (its closing ORDER BY left out) and the same with the query whole.
func DigestQueries(r Report) (run, whole string, err error) {
	q, err := sqlfiles.Report(r.Name)
	if err != nil {
		return "", "", err
	}
	if whole, err = digestQuery(r, "SELECT 1"); err != nil {
		return "", "", err
	}
	whole = strings.Replace(whole, "SELECT 1", strings.TrimRight(strings.TrimSpace(q), ";"), 1)
	run, err = digestQuery(r, q)
	return run, whole, err
}
