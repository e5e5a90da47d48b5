package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/serve/auth"
)

// The partner's rewards workspace (issue 24): benefits (Sales and Marketing;
// Technical) with their state, the marketing contact form and the Activate
// buttons, and technical assistance requests. Any signed-in person of the
// company sees it; only a partner admin (auth.Principal.IsPartnerAdmin) gets
// the forms and buttons, and a POST from anyone else is refused with 403 before
// anything is read or recorded. The rules live in package rewards.

func init() {
	pageNames = append(pageNames, "workspace", "workspace_assist", "desk_contact", "desk_assist", "desk_outbox")
}

// tokenPrincipal is the principal a stored token acts as (a restored session
// derives its role and company from its token again, as a sign-in does).
func (w *Web) tokenPrincipal(ctx context.Context, tokenID string) (auth.Principal, bool, error) {
	st, err := w.api.Tokens().Token(ctx, tokenID)
	if errors.Is(err, auth.ErrNotFound) {
		return auth.Principal{}, false, nil
	}
	if err != nil {
		return auth.Principal{}, false, err
	}
	return auth.FromToken(st), true, nil
}

// company is the session's company (PGA) and its name; ok is false when the
// partner is not in the reference data yet.
func (w *Web) company(ctx context.Context, s *session) (pga, name string, ok bool, err error) {
	p, known, err := partnerByID(ctx, w.store, s.p.PartnerID)
	if err != nil {
		return "", "", false, err
	}
	pga = s.p.PGAID
	if pga == "" {
		pga = p.PGAID
	}
	return pga, p.Company, known && pga != "", nil
}

type workspaceView struct {
	PartnerID   string
	PGAID       string
	Company     string
	Known       bool
	Admin       bool
	Tab         string // sales-marketing, technical
	Benefits    []rewards.Benefit
	Contact     rewards.Contact
	HasContact  bool
	Missing     []string // what keeps the contact from allowing activation
	Languages   []rewards.Language
	Form        contactForm
	Notice      string // a success message after a redirect
	Error       string // a refusal of an activation
	Now         time.Time
	Assist      []rewards.AssistRequest
	AssistForm  assistForm
	Phases      []string
	OfferIDs    []string
	ContactSeen string
	People      []auth.Person           // the company's people: a partner admin picks the contact among them
	CompanyLang rewards.CompanyLanguage // the company's language setting (Language "" when none)
}

type contactForm struct {
	Person                       string // the id of the company's person picked ("" = typed in)
	Name, Email, Phone, Language string
	Errors                       rewards.FieldErrors
	Stale                        string
}

type assistForm struct {
	Phase, OfferID, Description, ContactName, ContactEmail string
	Errors                                                 rewards.FieldErrors
}

func (w *Web) workspaceData(ctx context.Context, s *session, tab string) (workspaceView, error) {
	v := workspaceView{PartnerID: s.p.PartnerID, Admin: s.p.IsPartnerAdmin(), Tab: tab, Languages: rewards.Languages,
		Now: w.cfg.Now().UTC(), Phases: rewards.Phases}
	if v.Tab != rewards.CategoryTechnical {
		v.Tab = rewards.CategorySalesMarketing
	}
	var err error
	if v.PGAID, v.Company, v.Known, err = w.company(ctx, s); err != nil || !v.Known {
		return v, err
	}
	if v.Benefits, err = rewards.Benefits(ctx, w.store, v.PGAID, v.Now); err != nil {
		return v, err
	}
	if v.Contact, v.Missing, err = rewards.Readiness(ctx, w.store, v.PGAID); err != nil {
		return v, err
	}
	v.HasContact = v.Contact.Version != ""
	v.ContactSeen = "-"
	if v.HasContact {
		v.ContactSeen = v.Contact.Version
		v.Form = contactForm{Name: v.Contact.Name, Email: v.Contact.Email, Phone: v.Contact.Phone, Language: v.Contact.Language}
	}
	if v.Assist, err = rewards.AssistRequests(ctx, w.store, v.PGAID, ""); err != nil {
		return v, err
	}
	v.AssistForm = assistForm{ContactName: v.Contact.Name, ContactEmail: v.Contact.Email}
	if v.CompanyLang, _, err = rewards.CompanyLanguageOf(ctx, w.store, v.PGAID); err != nil {
		return v, err
	}
	if v.Admin && w.people != nil {
		if v.People, err = w.people.People(ctx, v.PGAID, false); err != nil {
			return v, err
		}
	}
	return v, nil
}

// companyPerson is the company's active person with this id, whose name and
// email become the contact's; a field error when it is not one of them.
func (w *Web) companyPerson(ctx context.Context, pga, id string) (auth.Person, rewards.FieldErrors, error) {
	refuse := rewards.FieldErrors{"person": "not one of your company's people: pick one from the list, or type the contact in"}
	if w.people == nil {
		return auth.Person{}, refuse, nil
	}
	p, err := w.people.Person(ctx, id)
	if errors.Is(err, auth.ErrNotFound) {
		return auth.Person{}, refuse, nil
	}
	if err != nil {
		return auth.Person{}, nil, err
	}
	if !p.Active() || p.PGAID != pga {
		return auth.Person{}, refuse, nil
	}
	return p, nil, nil
}

// Tabbed lists the benefits of the tab shown.
func (v workspaceView) Tabbed() []rewards.Benefit {
	var out []rewards.Benefit
	for _, b := range v.Benefits {
		if b.Category == v.Tab {
			out = append(out, b)
		}
	}
	return out
}

// Ready reports whether the contact allows activation.
func (v workspaceView) Ready() bool { return len(v.Missing) == 0 }

// LanguageName is the name of a language code written in itself ("Français"),
// the code itself when unknown.
func (v workspaceView) LanguageName(code string) string {
	if l, ok := i18n.Parse(code); ok {
		return l.Name()
	}
	return code
}

// workspaceNotices are the catalog keys of what the workspace says after an
// action (?done=…).
var workspaceNotices = map[string]string{
	"contact":   "portal.rewards.notice.contact",
	"activated": "portal.rewards.notice.activated",
	"requested": "portal.rewards.notice.requested",
	"language":  "portal.rewards.notice.language",
}

// notice is the text of ?done=… in the page's language ("" for none).
func (w *Web) notice(r *http.Request, s *session, page string) string {
	key, ok := workspaceNotices[r.URL.Query().Get("done")]
	if !ok {
		return ""
	}
	return i18n.For(w.pageLang(r, s, page)).T(key)
}

// GET /portal/{partner}/rewards
func (w *Web) workspace(rw http.ResponseWriter, r *http.Request, s *session) {
	v, err := w.workspaceData(r.Context(), s, r.URL.Query().Get("tab"))
	if err != nil {
		w.internal(rw, r, s, "read the rewards workspace", err)
		return
	}
	v.Notice = w.notice(r, s, "workspace")
	w.render(rw, r, s, http.StatusOK, "workspace", v)
}

// adminCompany is the start of every workspace POST: it answers, and returns
// ok false, when the caller is not a partner admin (403) or their company is
// not in the reference data yet (422); nothing is recorded then.
func (w *Web) adminCompany(rw http.ResponseWriter, r *http.Request, s *session) (pga string, ok bool) {
	if !s.p.IsPartnerAdmin() {
		w.log.Warn("workspace action refused: not a partner admin", "path", r.URL.Path, "partner_id", s.p.PartnerID, "person", s.p.PersonID)
		w.fail(rw, r, s, http.StatusForbidden, "only a partner admin of your company can do this; nothing was recorded")
		return "", false
	}
	pga, _, known, err := w.company(r.Context(), s)
	switch {
	case err != nil:
		w.internal(rw, r, s, "read the company", err)
		return "", false
	case !known:
		w.fail(rw, r, s, http.StatusUnprocessableEntity, "your company is not in the reference data yet; nothing was recorded")
		return "", false
	}
	return pga, true
}

// actor is who the session records as having acted: the person, else the token.
func actor(s *session) string {
	if s.p.PersonID != "" {
		return s.p.PersonID
	}
	return "partner token " + s.p.TokenID
}

func (w *Web) workspaceURL(s *session, tab, done string) string {
	q := url.Values{}
	if tab != "" && tab != rewards.CategorySalesMarketing {
		q.Set("tab", tab)
	}
	if done != "" {
		q.Set("done", done)
	}
	u := "/portal/" + url.PathEscape(s.p.PartnerID) + "/rewards"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// POST /portal/{partner}/rewards/contact
func (w *Web) assignContact(rw http.ResponseWriter, r *http.Request, s *session) {
	pga, ok := w.adminCompany(rw, r, s)
	if !ok {
		return
	}
	ctx := r.Context()
	form := contactForm{Person: r.PostFormValue("person"), Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		Phone: r.PostFormValue("phone"), Language: r.PostFormValue("language")}
	var err error
	if form.Person != "" { // a user of the company: the contact's name and email are theirs
		p, refused, perr := w.companyPerson(ctx, pga, form.Person)
		if perr != nil {
			w.internal(rw, r, s, "read the company's people", perr)
			return
		}
		form.Name, form.Email = p.Name, p.Email
		if refused != nil {
			err = refused
		}
	}
	if err == nil {
		_, err = rewards.AssignContact(ctx, w.store, rewards.ContactInput{PGAID: pga, Name: form.Name, Email: form.Email,
			Phone: form.Phone, Language: form.Language, By: actor(s), Source: "portal", Seen: r.PostFormValue("seen")})
	}
	var fe rewards.FieldErrors
	var stale *rewards.StaleError
	switch {
	case err == nil:
		w.log.Info("marketing contact assigned", "pga_id", pga, "by", actor(s))
		http.Redirect(rw, r, w.workspaceURL(s, "", "contact"), http.StatusSeeOther)
		return
	case errors.As(err, &fe):
		form.Errors = fe
	case errors.As(err, &stale):
		l := i18n.For(w.pageLang(r, s, "workspace"))
		by := stale.Contact.AssignedBy
		if stale.Contact.Source == "contacts file" || by == "" {
			by = l.T("portal.contact.stale.file")
		}
		form.Stale = l.T("portal.contact.stale", map[string]any{"Name": stale.Contact.Name, "Email": stale.Contact.Email,
			"By": by, "At": l.DateTime(stale.Contact.AssignedAt)})
	default:
		w.internal(rw, r, s, "assign the marketing contact", err)
		return
	}
	v, err := w.workspaceData(ctx, s, "")
	if err != nil {
		w.internal(rw, r, s, "read the rewards workspace", err)
		return
	}
	v.Form = form
	w.render(rw, r, s, http.StatusUnprocessableEntity, "workspace", v)
}

// POST /portal/{partner}/rewards/activate
func (w *Web) activate(rw http.ResponseWriter, r *http.Request, s *session) {
	pga, ok := w.adminCompany(rw, r, s)
	if !ok {
		return
	}
	ctx := r.Context()
	tab := r.PostFormValue("tab")
	refuse := func(msg string) {
		v, err := w.workspaceData(ctx, s, tab)
		if err != nil {
			w.internal(rw, r, s, "read the rewards workspace", err)
			return
		}
		v.Error = msg
		w.render(rw, r, s, http.StatusConflict, "workspace", v)
	}
	// The instructions go to the contact in force: if it changed since the page
	// was drawn, say so rather than send them to someone the admin did not see.
	cur, _, err := rewards.CurrentContact(ctx, w.store, pga)
	if err != nil {
		w.internal(rw, r, s, "read the marketing contact", err)
		return
	}
	seen, now := r.PostFormValue("contact"), cur.Version
	if now == "" {
		now = "-"
	}
	l := i18n.For(w.pageLang(r, s, "workspace"))
	if seen != now {
		refuse(l.T("portal.rewards.refused.stale", map[string]any{"Name": cur.Name, "Email": cur.Email}))
		return
	}
	a, err := rewards.Activate(ctx, w.store, rewards.ActivateInput{PGAID: pga, Key: r.PostFormValue("benefit"), By: actor(s), At: w.cfg.Now()})
	var already *rewards.AlreadyActivatedError
	switch {
	case err == nil:
		w.log.Info("benefit activated", "pga_id", pga, "benefit", a.Benefit.Name, "activation_id", a.ID, "message_id", a.MessageID)
		http.Redirect(rw, r, w.workspaceURL(s, tab, "activated"), http.StatusSeeOther)
	case errors.As(err, &already):
		refuse(l.T("portal.rewards.refused.already", map[string]any{"Benefit": already.Benefit, "By": already.By, "At": l.DateTime(already.At)}))
	case errors.Is(err, rewards.ErrNotAvailable):
		refuse(l.T("portal.rewards.refused.not-available"))
	case errors.Is(err, rewards.ErrNoReadyContact):
		refuse(l.T("portal.rewards.refused.no-contact"))
	default:
		w.internal(rw, r, s, "activate a benefit", err)
	}
}

// GET /portal/{partner}/rewards/assistance
func (w *Web) assistPage(rw http.ResponseWriter, r *http.Request, s *session) {
	v, err := w.workspaceData(r.Context(), s, rewards.CategoryTechnical)
	if err != nil {
		w.internal(rw, r, s, "read the rewards workspace", err)
		return
	}
	v.Notice = w.notice(r, s, "workspace_assist")
	w.render(rw, r, s, http.StatusOK, "workspace_assist", v)
}

// POST /portal/{partner}/rewards/assistance
func (w *Web) requestAssistance(rw http.ResponseWriter, r *http.Request, s *session) {
	pga, ok := w.adminCompany(rw, r, s)
	if !ok {
		return
	}
	ctx := r.Context()
	form := assistForm{Phase: r.PostFormValue("phase"), OfferID: r.PostFormValue("offer"), Description: r.PostFormValue("description"),
		ContactName: r.PostFormValue("contact_name"), ContactEmail: r.PostFormValue("contact_email")}
	_, err := rewards.RequestAssistance(ctx, w.store, rewards.AssistInput{PGAID: pga, PartnerID: s.p.PartnerID, Phase: form.Phase,
		OfferID: form.OfferID, Description: form.Description, ContactName: form.ContactName, ContactEmail: form.ContactEmail,
		By: actor(s), At: w.cfg.Now()})
	var fe rewards.FieldErrors
	switch {
	case err == nil:
		http.Redirect(rw, r, "/portal/"+url.PathEscape(s.p.PartnerID)+"/rewards/assistance?done=requested", http.StatusSeeOther)
		return
	case errors.As(err, &fe):
		form.Errors = fe
	default:
		w.internal(rw, r, s, "record an assistance request", err)
		return
	}
	v, err := w.workspaceData(ctx, s, rewards.CategoryTechnical)
	if err != nil {
		w.internal(rw, r, s, "read the rewards workspace", err)
		return
	}
	v.AssistForm = form
	w.render(rw, r, s, http.StatusUnprocessableEntity, "workspace_assist", v)
}

func init() {
	funcs["join"] = strings.Join
	funcs["int64"] = func(n int) int64 { return int64(n) }
	funcs["ptime"] = func(t *time.Time) time.Time {
		if t == nil {
			return time.Time{}
		}
		return *t
	}
}
