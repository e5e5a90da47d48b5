package web

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/serve/download"
)

type portalTierView struct {
	Partner   partnerRow
	Known     bool
	Status    *tierFacts
	Threshold string // the next tier's threshold
	Chart     salesCharts
	Sales     []salesMonth
}

// GET /portal/{partner}/: the company's tier progress.
func (w *Web) portalTier(rw http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	p, known, err := partnerByID(ctx, w.store, s.p.PartnerID)
	if err != nil {
		w.internal(rw, r, s, "read partner", err)
		return
	}
	v := portalTierView{Partner: p, Known: known}
	if v.Partner.PartnerID == "" {
		v.Partner.PartnerID = s.p.PartnerID
	}
	st, err := w.api.Tier(ctx, s.p.PartnerID)
	switch {
	case errors.Is(err, download.ErrNotFound):
	case err != nil:
		w.internal(rw, r, s, "read tier status", err)
		return
	default:
		v.Status = &tierFacts{Tier: deref(st.Tier), TTMBilledSalesUSD: st.TTMBilledSalesUSD, AsOf: st.AsOf,
			NextTier: deref(st.NextTier), GapUSD: deref(st.GapUSD), ProjectedMonth: deref(st.ProjectedMonth)}
	}
	if known {
		if v.Sales, err = pgaSales(ctx, w.store, p.PGAID); err != nil {
			w.internal(rw, r, s, "read billed sales", err)
			return
		}
		rules, err := tierRules(ctx, w.store)
		if err != nil {
			w.internal(rw, r, s, "read tier rules", err)
			return
		}
		for _, t := range rules {
			if v.Status != nil && t.Tier == v.Status.NextTier {
				v.Threshold = t.USD
			}
		}
		l := i18n.For(w.pageLang(r, s, "portal_tier"))
		v.Chart = newSalesChartsIn(l, v.Sales, rules, reachedMarkIn(l, v.Sales, rules)...)
	} else {
		v.Chart.Empty = true
	}
	w.render(rw, r, s, http.StatusOK, "portal_tier", v)
}

// tierFacts is the API's tier status with "" for what it leaves null.
type tierFacts struct {
	Tier, TTMBilledSalesUSD, AsOf, NextTier, GapUSD, ProjectedMonth string
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

type reportMonth struct {
	Period  string
	AsOf    time.Time
	Reports []download.Report
}

type portalReportsView struct {
	Months     []reportMonth
	Link       string
	LinkFor    string
	LinkExpiry time.Time
}

// GET /portal/{partner}/reports
func (w *Web) portalReports(rw http.ResponseWriter, r *http.Request, s *session) {
	w.showReports(rw, r, s, portalReportsView{})
}

func (w *Web) showReports(rw http.ResponseWriter, r *http.Request, s *session, v portalReportsView) {
	reps, err := w.api.Reports(r.Context(), s.p)
	if err != nil {
		w.internal(rw, r, s, "list reports", err)
		return
	}
	// The catalog lists newest first; group consecutive rows of one month,
	// the workbook first, then the data files by name.
	for _, rep := range reps {
		if n := len(v.Months); n == 0 || v.Months[n-1].Period != rep.Period {
			v.Months = append(v.Months, reportMonth{Period: rep.Period, AsOf: rep.AsOf})
		}
		m := &v.Months[len(v.Months)-1]
		m.Reports = append(m.Reports, rep)
	}
	for _, m := range v.Months {
		slices.SortStableFunc(m.Reports, func(a, b download.Report) int {
			return cmp.Or(cmp.Compare(formatRank(a.Format), formatRank(b.Format)), cmp.Compare(a.Name, b.Name))
		})
	}
	w.render(rw, r, s, http.StatusOK, "portal_reports", v)
}

// formatRank puts the workbook before the data files.
func formatRank(format string) int {
	if format == "xlsx" {
		return 0
	}
	return 1
}

// GET /portal/{partner}/reports/{rid}
func (w *Web) portalDownload(rw http.ResponseWriter, r *http.Request, s *session) {
	w.download(rw, r, s)
}

// POST /portal/{partner}/reports (rid=<report id>, the page's form) and
// POST /portal/{partner}/reports/{rid}/link: an expiring link, shown on the
// reports page (a script copies it to the clipboard; without one it is
// selected text in a read-only field). The form posts to the page's own
// address, so the address the browser shows afterwards opens the page again.
func (w *Web) portalLink(rw http.ResponseWriter, r *http.Request, s *session) {
	rep, err := w.api.VisibleReport(r.Context(), s.p, cmp.Or(r.PathValue("rid"), r.PostFormValue("rid")))
	if errors.Is(err, download.ErrNotFound) {
		w.fail(rw, r, s, http.StatusNotFound, "no such report")
		return
	}
	if err != nil {
		w.internal(rw, r, s, "find report", err)
		return
	}
	link, exp := w.api.SignLink(r, rep)
	w.log.Info("download link created", "report_id", rep.ID, "token_id", s.p.TokenID, "expires_at", exp.Format(time.RFC3339))
	w.showReports(rw, r, s, portalReportsView{Link: link, LinkFor: rep.Name, LinkExpiry: exp})
}

type monthTotal struct {
	Month                  time.Time
	Key                    string // YYYY-MM
	IDs                    int
	Deployments, UsageRows int64
	Selected               bool
}

type portalAttributionView struct {
	IDs          []trackingIDRow
	Totals       []monthTotal // newest first
	Month        string       // the month shown in detail
	Detail       []attributionRow
	Unregistered []issueRow
	Malformed    []issueRow
}

// GET /portal/{partner}/attribution?month=YYYY-MM: totals by month, one
// month (the latest by default) by tracking ID, and the IDs to fix.
func (w *Web) portalAttribution(rw http.ResponseWriter, r *http.Request, s *session) {
	a, err := w.cache.attribution(r.Context(), w.store, s.p.PartnerID)
	if err != nil {
		w.internal(rw, r, s, "read attribution", err)
		return
	}
	v := portalAttributionView{IDs: a.IDs, Month: r.URL.Query().Get("month")}
	for _, m := range a.Months { // newest month first
		key := m.Month.Format("2006-01")
		if n := len(v.Totals); n == 0 || v.Totals[n-1].Key != key {
			v.Totals = append(v.Totals, monthTotal{Month: m.Month, Key: key})
		}
		t := &v.Totals[len(v.Totals)-1]
		t.IDs++
		t.Deployments += m.Deployments
		t.UsageRows += m.UsageRows
	}
	if !slices.ContainsFunc(v.Totals, func(t monthTotal) bool { return t.Key == v.Month }) {
		v.Month = ""
		if len(v.Totals) > 0 {
			v.Month = v.Totals[0].Key
		}
	}
	for i := range v.Totals {
		v.Totals[i].Selected = v.Totals[i].Key == v.Month
	}
	for _, m := range a.Months {
		if m.Month.Format("2006-01") == v.Month {
			v.Detail = append(v.Detail, m)
		}
	}
	for _, i := range a.Issues {
		if i.Status == "malformed" {
			v.Malformed = append(v.Malformed, i)
		} else {
			v.Unregistered = append(v.Unregistered, i)
		}
	}
	w.render(rw, r, s, http.StatusOK, "portal_attribution", v)
}
