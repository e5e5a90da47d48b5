package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/serve"
	"github.com/marketplace-insights/insights/serve/download"
)

type queueView struct {
	HasRun bool
	AsOf   time.Time
	Rows   []queueRow
}

// GET /desk/: unlocks waiting for a decision, oldest first.
func (w *Web) queue(rw http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	run, hasRun, err := lastRun(ctx, w.store)
	if err != nil {
		w.internal(rw, r, s, "read last run", err)
		return
	}
	rows, err := queue(ctx, w.store)
	if err != nil {
		w.internal(rw, r, s, "read review queue", err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "queue", queueView{HasRun: hasRun, AsOf: run.AsOf, Rows: rows})
}

type unlockView struct {
	U        unlockRow
	History  []rewards.Decision
	Chart    salesCharts
	Sales    []salesMonth
	Rules    []threshold
	Form     decisionForm
	Recorded int64
}

type decisionForm struct {
	Decision, By, Note string
	Error              string
	// Field is the field at fault ("decision" or "by"): focused, so the
	// reviewer can correct it at once.
	Field string
}

// GET /desk/unlocks/{id}
func (w *Web) unlock(rw http.ResponseWriter, r *http.Request, s *session) {
	recorded, _ := strconv.ParseInt(r.URL.Query().Get("recorded"), 10, 64)
	w.showUnlock(rw, r, s, http.StatusOK, decisionForm{By: w.sessions.reviewer(s)}, recorded)
}

func (w *Web) showUnlock(rw http.ResponseWriter, r *http.Request, s *session, code int, form decisionForm, recorded int64) {
	ctx := r.Context()
	u, err := unlockByID(ctx, w.store, r.PathValue("id"))
	if errors.Is(err, errNoUnlock) {
		w.fail(rw, r, s, http.StatusNotFound, "no such unlock")
		return
	}
	if err != nil {
		w.internal(rw, r, s, "read unlock", err)
		return
	}
	v := unlockView{U: u, Form: form, Recorded: recorded}
	if v.History, err = rewards.History(ctx, w.store, u.UnlockID); err != nil {
		w.internal(rw, r, s, "read decision history", err)
		return
	}
	if v.Sales, err = pgaSales(ctx, w.store, u.PGAID); err != nil {
		w.internal(rw, r, s, "read billed sales", err)
		return
	}
	if v.Rules, err = tierRules(ctx, w.store); err != nil {
		w.internal(rw, r, s, "read tier rules", err)
		return
	}
	v.Chart = newSalesCharts(v.Sales, v.Rules, markAt{Month: u.UnlockedOn, Label: u.Tier + " unlocked"})
	w.renderTitled(rw, r, s, code, "unlock", u.Company+" "+u.Tier, v)
}

// POST /desk/unlocks/{id}: record a decision through package rewards (the
// same append-only history and the same refusals as `insights review decide`).
func (w *Web) decide(rw http.ResponseWriter, r *http.Request, s *session) {
	form := decisionForm{
		Decision: strings.TrimSpace(r.PostFormValue("decision")),
		By:       strings.TrimSpace(r.PostFormValue("by")),
		Note:     strings.TrimSpace(r.PostFormValue("note")),
	}
	switch {
	case !slices.Contains(rewards.Decisions, form.Decision):
		form.Error, form.Field = "Choose a decision: approve, reject or defer.", "decision"
	case form.By == "":
		form.Error, form.Field = "Say who decides (your name): it is recorded with the decision.", "by"
	}
	if form.Error != "" {
		w.showUnlock(rw, r, s, http.StatusUnprocessableEntity, form, 0)
		return
	}
	id := r.PathValue("id")
	// A second approve would record a duplicate activation (issue 10 makes
	// the CLI refuse it too): show the decision in force instead.
	if form.Decision == rewards.Approve {
		prev, ok, err := rewards.Latest(r.Context(), w.store, id)
		if err != nil {
			w.internal(rw, r, s, "read latest decision", err)
			return
		}
		if ok && prev.Decision == rewards.Approve {
			form.Error = fmt.Sprintf("Not recorded: already approved by %s on %s (decision %d). Nothing was changed.",
				prev.By, prev.At.UTC().Format("2006-01-02 15:04 UTC"), prev.ID)
			form.Field = "decision"
			w.showUnlock(rw, r, s, http.StatusUnprocessableEntity, form, 0)
			return
		}
	}
	d, err := rewards.Decide(r.Context(), w.store, rewards.Request{UnlockID: id, Decision: form.Decision, By: form.By, Note: form.Note})
	switch {
	case errors.Is(err, rewards.ErrUnknownUnlock):
		w.fail(rw, r, s, http.StatusNotFound, "no such unlock")
		return
	case errors.Is(err, rewards.ErrNotReady):
		form.Error, form.Field = "Not recorded: "+err.Error(), "decision"
		w.showUnlock(rw, r, s, http.StatusUnprocessableEntity, form, 0)
		return
	case err != nil:
		w.internal(rw, r, s, "record decision", err)
		return
	}
	if err := w.sessions.remember(r.Context(), s, form.By); err != nil {
		w.log.Error("remembering the reviewer's name failed", "err", err) // the decision is recorded
	}
	w.log.Info("review decision recorded", "decision_id", d.ID, "unlock_id", d.UnlockID, "decision", d.Decision,
		"by", d.By, "token_id", s.p.TokenID)
	http.Redirect(rw, r, "/desk/unlocks/"+url.PathEscape(id)+"?recorded="+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
}

type slaView struct {
	HasRun     bool
	AsOf       time.Time
	Activation []slaActivationRow
	Offers     []slaOfferRow
	Overdue    int
	// ActivationOverdue and OffersOverdue split Overdue by list.
	ActivationOverdue, OffersOverdue int
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// GET /desk/sla
func (w *Web) sla(rw http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	run, hasRun, err := lastRun(ctx, w.store)
	if err != nil {
		w.internal(rw, r, s, "read last run", err)
		return
	}
	v := slaView{HasRun: hasRun, AsOf: run.AsOf}
	if hasRun {
		if v.Activation, v.Offers, err = slaLists(ctx, w.store, run.AsOf); err != nil {
			w.internal(rw, r, s, "read SLA lists", err)
			return
		}
	}
	// Overdue first (still waiting for contact: act on these), then the
	// contacted-late ones; each part as the report orders it (most days first).
	overdueFirst := func(a, b string) int {
		return cmp.Compare(boolRank(a != "overdue"), boolRank(b != "overdue"))
	}
	slices.SortStableFunc(v.Activation, func(a, b slaActivationRow) int { return overdueFirst(a.Status, b.Status) })
	slices.SortStableFunc(v.Offers, func(a, b slaOfferRow) int { return overdueFirst(a.Status, b.Status) })
	for _, a := range v.Activation {
		if a.Status == "overdue" {
			v.Overdue++
			v.ActivationOverdue++
		}
	}
	for _, o := range v.Offers {
		if o.Status == "overdue" {
			v.Overdue++
			v.OffersOverdue++
		}
	}
	w.render(rw, r, s, http.StatusOK, "sla", v)
}

type tiersView struct {
	HasRun      bool
	AsOf        time.Time
	Rows        []tierRow
	Total       int
	Q, Tier     string
	Ready       string
	Sort, Dir   string
	Tiers       []string
	Columns     []sortColumn
	FilterCount int
}

type sortColumn struct {
	Key, Label, Href, Aria string
	Numeric                bool
}

type tierColumn struct {
	key, label string
	numeric    bool
}

var tierColumns = []tierColumn{
	{"company", "Company", false}, {"tier", "Tier", false}, {"ttm", "Trailing billed sales", true},
	{"next", "Next tier", false}, {"gap", "Gap", true}, {"projected", "Projected", false}, {"readiness", "Readiness", false},
}

// GET /desk/tiers?q=&tier=&ready=&sort=&dir=: every company, filtered and
// sorted on the server (links and a GET form: no script needed).
func (w *Web) tiers(rw http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	run, hasRun, err := lastRun(ctx, w.store)
	if err != nil {
		w.internal(rw, r, s, "read last run", err)
		return
	}
	q := r.URL.Query()
	v := tiersView{HasRun: hasRun, AsOf: run.AsOf, Q: strings.TrimSpace(q.Get("q")), Tier: q.Get("tier"),
		Ready: q.Get("ready"), Sort: q.Get("sort"), Dir: q.Get("dir")}
	if !slices.ContainsFunc(tierColumns, func(c tierColumn) bool { return c.key == v.Sort }) {
		v.Sort = "tier"
	}
	if v.Dir != "asc" && v.Dir != "desc" {
		v.Dir = map[bool]string{true: "desc", false: "asc"}[v.Sort == "tier" || v.Sort == "ttm"]
	}
	var all []tierRow
	if hasRun {
		if all, err = tierStatus(ctx, w.store, run.AsOf); err != nil {
			w.internal(rw, r, s, "read tier status", err)
			return
		}
	}
	rules, err := tierRules(ctx, w.store)
	if err != nil {
		w.internal(rw, r, s, "read tier rules", err)
		return
	}
	rank := map[string]int{}
	for i, t := range rules {
		rank[t.Tier] = i + 1
		v.Tiers = append(v.Tiers, t.Tier)
	}
	v.Total = len(all)
	needle := strings.ToLower(v.Q)
	for _, t := range all {
		t.tierRank = rank[t.Tier]
		t.ttmRat, t.gapRat = amount(string(t.TTM)), amount(string(t.Gap))
		if needle != "" && !strings.Contains(strings.ToLower(t.Company+" "+t.PGAID+" "+t.Partners), needle) {
			continue
		}
		if v.Tier == "none" && t.Tier != "" || v.Tier != "" && v.Tier != "none" && t.Tier != v.Tier {
			continue
		}
		if v.Ready == "ready" && t.Readiness != "ready" || v.Ready == "missing" && t.Readiness == "ready" {
			continue
		}
		v.Rows = append(v.Rows, t)
	}
	slices.SortStableFunc(v.Rows, func(a, b tierRow) int {
		var c int
		switch v.Sort {
		case "company":
			c = cmp.Compare(strings.ToLower(a.Company), strings.ToLower(b.Company))
		case "tier":
			c = cmp.Or(cmp.Compare(a.tierRank, b.tierRank), cmp.Compare(a.ttmRat, b.ttmRat))
		case "ttm":
			c = cmp.Compare(a.ttmRat, b.ttmRat)
		case "next":
			c = cmp.Compare(a.NextTier, b.NextTier)
		case "gap":
			c = cmp.Compare(a.gapRat, b.gapRat)
		case "projected":
			c = cmp.Compare(a.Projected, b.Projected)
		case "readiness":
			c = cmp.Compare(a.Readiness, b.Readiness)
		}
		if v.Dir == "desc" {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a.PGAID, b.PGAID))
	})
	for _, c := range tierColumns {
		dir := "asc"
		if c.key == v.Sort && v.Dir == "asc" {
			dir = "desc"
		}
		link := url.Values{"sort": {c.key}, "dir": {dir}}
		for k, val := range map[string]string{"q": v.Q, "tier": v.Tier, "ready": v.Ready} {
			if val != "" {
				link.Set(k, val)
			}
		}
		col := sortColumn{Key: c.key, Label: c.label, Href: "/desk/tiers?" + link.Encode(), Aria: "none", Numeric: c.numeric}
		if c.key == v.Sort {
			col.Aria = map[string]string{"asc": "ascending", "desc": "descending"}[v.Dir]
		}
		v.Columns = append(v.Columns, col)
	}
	w.render(rw, r, s, http.StatusOK, "tiers", v)
}

type packsView struct {
	Packs []download.Report
}

// GET /desk/packs
func (w *Web) packs(rw http.ResponseWriter, r *http.Request, s *session) {
	packs, err := w.api.Reports(r.Context(), s.p)
	if err != nil {
		w.internal(rw, r, s, "list review packs", err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "packs", packsView{Packs: packs})
}

// GET /desk/packs/{rid}
func (w *Web) packDownload(rw http.ResponseWriter, r *http.Request, s *session) {
	w.download(rw, r, s)
}

// download serves report {rid} if the session may see it (the API's rule).
func (w *Web) download(rw http.ResponseWriter, r *http.Request, s *session) {
	rep, err := w.api.VisibleReport(r.Context(), s.p, r.PathValue("rid"))
	if errors.Is(err, download.ErrNotFound) {
		w.fail(rw, r, s, http.StatusNotFound, "no such report")
		return
	}
	if err != nil {
		w.internal(rw, r, s, "find report", err)
		return
	}
	if err := w.api.ServeReport(rw, r, rep); err != nil {
		if code, msg := serve.Status(err); code < http.StatusInternalServerError {
			w.fail(rw, r, s, code, msg)
			return
		}
		w.internal(rw, r, s, "serve report", err)
	}
}
