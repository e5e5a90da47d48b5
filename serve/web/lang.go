package web

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// The partner's language (issue 22). Every page a partner sees (the portal,
// the rewards workspace, the sign-in pages, the error pages) takes its words
// from the catalogs of package i18n and writes numbers, money and dates the
// language's way; the review desk stays in English through the same
// templates (their Localizer is English's), so adding a language to it is a
// matter of letting deskLang return another.
//
// Which language: a signed-in person's own choice (person_languages, set with
// the switch on every portal page), else their company's (company_languages,
// set by a partner admin on the rewards workspace or `insights company
// language`), else the browser's Accept-Language, else English. A token
// session (no person: `make demo`, scripts) and a visitor not signed in have
// the switch's cookie in place of the person's choice.

// langCookie keeps the switch's choice in the browser (for a person too, so
// that the sign-in page after signing out stays in their language).
const langCookie = "lang"

// localizedPages are the templates partners read, in their language; every
// other page (the desk's, People) is English.
var localizedPages = map[string]bool{
	"portal_tier": true, "portal_reports": true, "portal_attribution": true, "workspace": true,
	"workspace_assist": true, "signin": true, "signin_refused": true, "error": true,
}

// pageLangs are the languages templates are parsed for: the offered ones and
// the tests' pseudo language.
var pageLangs = append(append([]i18n.Lang{}, i18n.Langs...), i18n.Pseudo)

// funcsFor are the template functions bound to one language: texts from the
// catalogs (t, th, n), and numbers, money and dates written its way. The desk
// gets English's, which write as the desk always has ("USD 1,234.50",
// "2026-10-31").
func funcsFor(l *i18n.Localizer) template.FuncMap {
	f := template.FuncMap{}
	for k, v := range funcs {
		f[k] = v
	}
	f["t"] = func(key string, data ...any) string { return l.T(key, data...) }
	// th is a text whose catalog entry carries markup (<code>, <strong>): the
	// catalog is ours and trusted; the data filled in is escaped first.
	f["th"] = func(key string, data ...map[string]any) template.HTML {
		var d map[string]any
		if len(data) > 0 {
			d = map[string]any{}
			for k, v := range data[0] {
				d[k] = template.HTMLEscapeString(fmt.Sprint(v))
			}
		}
		if d == nil {
			return template.HTML(l.T(key)) //nolint:gosec // a catalog text: ours
		}
		return template.HTML(l.T(key, d)) //nolint:gosec // a catalog text: ours; the data escaped just above
	}
	f["n"] = func(key string, n any, data ...map[string]any) string { return l.N(key, toInt64(n), data...) }
	f["has"] = l.Has
	f["usd"] = func(s string) string { return l.Money(s, "USD") }
	f["date"] = l.Date
	f["datetime"] = l.DateTime
	f["size"] = l.Size
	f["month"] = l.Month
	f["num"] = func(n any) string { return l.Int(toInt64(n)) }
	// dec writes an exact decimal text with the decimals it has.
	f["dec"] = func(s string) string {
		_, frac, _ := strings.Cut(s, ".")
		return l.Decimal(s, len(frac))
	}
	// code is the catalog's name of a code the data carries (a tracking ID's
	// kind, a listing type), the code itself when the catalog has none.
	f["code"] = func(prefix, code string) string {
		if l.Has(prefix + code) {
			return l.T(prefix + code)
		}
		return code
	}
	// sources names where tracking IDs were found ("deployment_name, user_agent").
	f["sources"] = func(s string) string {
		parts := strings.Split(s, ", ")
		for i, p := range parts {
			if l.Has("portal.attribution.source." + p) {
				parts[i] = l.T("portal.attribution.source." + p)
			}
		}
		return strings.Join(parts, l.T("portal.list.separator"))
	}
	f["fnum"] = func(v float64, places int) string { return l.Float(v, places) }
	f["period"] = func(s string) string { return periodText(l, s) }
	f["statelabel"] = func(state string) string { return l.T("portal.rewards.state." + state) }
	f["msg"] = func(s string) string { return translate(l, s) }
	f["dict"] = dict
	return f
}

func toInt64(n any) int64 {
	switch x := n.(type) {
	case int:
		return int64(x)
	case int64:
		return x
	case int32:
		return int64(x)
	case float64:
		return int64(x)
	}
	return 0
}

// dict builds the data of a catalog text in a template: dict "Name" .Name "Count" 3.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a text", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// periodText writes a report period: a month "2026-10" as the language names
// it ("2026-10" as English pages write dates, "octobre 2026", "2026年10月"); a
// day as the language's short date; anything else as it is.
func periodText(l *i18n.Localizer, s string) string {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		t, err = time.Parse("2006-01-02", s)
		if err != nil {
			return s
		}
		return l.Date(t)
	}
	if l.Lang() == i18n.English || l.Lang() == i18n.Pseudo {
		return s // English pages write dates as ISO does: 2026-10
	}
	return l.Month(t)
}

// langOption is one entry of the language switch.
type langOption struct {
	Code, Name string
	Current    bool
}

func langOptions(cur i18n.Lang) []langOption {
	out := make([]langOption, 0, len(i18n.Langs))
	for _, l := range i18n.Langs {
		out = append(out, langOption{Code: string(l), Name: l.Name(), Current: l == cur})
	}
	return out
}

// pageLang is the language of page name for this request.
func (w *Web) pageLang(r *http.Request, s *session, name string) i18n.Lang {
	if !localizedPages[name] || (s != nil && s.p.IsRewards()) {
		return deskLang
	}
	return w.partnerLang(r, s)
}

// deskLang is the review desk's language (the rewards team's working language).
const deskLang = i18n.English

// partnerLang decides a partner-facing page's language: person > company >
// Accept-Language > English; the switch's cookie stands for the person's
// choice when no person is signed in.
func (w *Web) partnerLang(r *http.Request, s *session) i18n.Lang {
	if s == nil || s.p.PersonID == "" {
		if l, ok := w.cookieLang(r); ok {
			return l
		}
	}
	if s != nil && !s.p.IsRewards() {
		person, company, err := languageOf(r.Context(), w.store, s.p.PersonID, s.p.PGAID, s.p.PartnerID)
		if err != nil {
			w.log.Error("read the language setting failed", "person_id", s.p.PersonID, "partner_id", s.p.PartnerID, "err", err)
		}
		for _, c := range []string{person, company} {
			if l, ok := i18n.Parse(c); ok {
				return l
			}
		}
	}
	return i18n.Negotiate(r.Header.Get("Accept-Language"))
}

// cookieLang is the switch's choice kept in the browser.
func (w *Web) cookieLang(r *http.Request) (i18n.Lang, bool) {
	c, err := r.Cookie(langCookie)
	if err != nil {
		return "", false
	}
	if w.cfg.PseudoLanguage && c.Value == string(i18n.Pseudo) {
		return i18n.Pseudo, true
	}
	return i18n.Parse(c.Value)
}

// languageOf reads the person's and the company's setting ("" when none).
func languageOf(ctx context.Context, store *duckstore.Store, person, pga, partner string) (personLang, companyLang string, err error) {
	if store == nil {
		return "", "", nil
	}
	err = duckstore.QueryRowNamed(ctx, store, "serve/web/language_of", []any{person, pga, partner}, &personLang, &companyLang)
	return personLang, companyLang, err
}

// POST /language (lang=fr&next=/portal/P1/reports): the switch. A signed-in
// person's choice is stored with them; otherwise (a token session, no
// session) it is the browser's cookie. Either way the cookie is set too, and
// the browser goes back to the page it was on.
func (w *Web) switchLanguage(rw http.ResponseWriter, r *http.Request) {
	s, err := w.current(r)
	if err != nil {
		w.internal(rw, r, nil, "check session", err)
		return
	}
	if s != nil && !validCSRF(s, r.PostFormValue("csrf")) {
		w.log.Warn("form post without a valid form token refused", "path", r.URL.Path, "token_id", s.p.TokenID, "person_id", s.p.PersonID)
		w.fail(rw, r, s, http.StatusForbidden, "the form has expired or did not come from this site; reload the page and try again")
		return
	}
	lang, ok := i18n.Parse(r.PostFormValue("lang"))
	if !ok {
		w.fail(rw, r, s, http.StatusBadRequest, "not a language offered")
		return
	}
	if s != nil && s.p.PersonID != "" {
		if _, err := duckstore.ExecNamed(r.Context(), w.store, "serve/web/person_language_set", s.p.PersonID, string(lang), w.cfg.Now().UTC()); err != nil {
			w.internal(rw, r, s, "record the language", err)
			return
		}
		w.log.Info("language chosen", "person_id", s.p.PersonID, "language", string(lang))
	}
	http.SetCookie(rw, &http.Cookie{Name: langCookie, Value: string(lang), Path: "/", MaxAge: 400 * 24 * 3600,
		HttpOnly: true, Secure: w.secure(r), SameSite: http.SameSiteLaxMode})
	next := switchNext(r.PostFormValue("next"))
	if next == "" {
		next = "/"
	}
	http.Redirect(rw, r, next, http.StatusSeeOther)
}

// POST /portal/{partner}/rewards/language: a partner admin sets the
// company's language (recorded with who and when): the partner workbook
// follows it, and so does the portal of every person of the company who has
// chosen none.
func (w *Web) setCompanyLanguage(rw http.ResponseWriter, r *http.Request, s *session) {
	pga, ok := w.adminCompany(rw, r, s)
	if !ok {
		return
	}
	ctx := r.Context()
	c, err := rewards.SetCompanyLanguage(ctx, w.store, pga, r.PostFormValue("language"), actor(s), w.cfg.Now())
	if err != nil {
		if _, ok := i18n.Parse(r.PostFormValue("language")); !ok {
			w.fail(rw, r, s, http.StatusUnprocessableEntity, "not a language offered")
			return
		}
		w.internal(rw, r, s, "set the company's language", err)
		return
	}
	w.log.Info("company language set", "pga_id", pga, "language", string(c.Language), "by", c.ChangedBy)
	http.Redirect(rw, r, w.workspaceURL(s, "", "language"), http.StatusSeeOther)
}

// here is the address of the page shown, for the switch to come back to (a
// form's answer comes back to the page the form was on).
func here(r *http.Request) string {
	if r.Method == http.MethodGet {
		return switchNext(r.URL.RequestURI())
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		if next := switchNext(ref.RequestURI()); next != "" {
			return next
		}
	}
	return switchNext(r.URL.Path)
}

// switchNext is where the switch may send the browser back to: a path of
// this site (safeNext), or the sign-in page itself with its notes
// (?ended=…), which safeNext keeps out of a sign-in's destinations.
func switchNext(p string) string {
	if (p == "/sign-in" || strings.HasPrefix(p, "/sign-in?")) && !strings.ContainsAny(p, "\r\n") {
		return p
	}
	return safeNext(p)
}

// messageKeys name the catalog text of the English messages the handlers
// and packages rewards and serve/auth give (errors, refusals, what a contact
// lacks); a message not listed shows as it is.
var messageKeys = map[string]string{
	"no such page":                           "portal.error.msg.no-page",
	"no such report":                         "portal.error.msg.no-report",
	"cross-origin request refused":           "portal.error.msg.cross-origin",
	"this address cannot be opened directly": "portal.error.msg.form-address",
	"this download link has expired":         "portal.error.msg.link-expired",
	"this download link is not valid":        "portal.error.msg.link-invalid",
	"internal error":                         "portal.error.msg.internal",
	"sign in first":                          "portal.error.msg.sign-in-first",
	"not a language offered":                 "portal.error.msg.no-language",
	"the form has expired or did not come from this site; reload the page and try again": "portal.error.msg.csrf",
	"only a partner admin of your company can do this; nothing was recorded":             "portal.error.msg.admins-only",
	"your company is not in the reference data yet; nothing was recorded":                "portal.error.msg.unknown-company",
	"token sign-in is off: sign in with your organization's account":                     "portal.error.msg.token-sign-in-off",
	"your role may look but not change anything here; ask your company's partner admin":  "portal.error.msg.look-only",

	"the contact's name is required": "portal.field.name-required",
	"an email address is required":   "portal.field.email-required",
	"not an email address":           "portal.field.email-invalid",
	"a phone number is required":     "portal.field.phone-required",
	"choose a preferred language":    "portal.field.language-required",
	"describe what you need":         "portal.field.description-required",
	"who should the team reach?":     "portal.field.contact-name-required",
	"no marketing contact":           "portal.missing.contact",
	"email missing":                  "portal.missing.email",
	"email is not an address":        "portal.missing.email-invalid",
	"email equals the account email": "portal.missing.email-account",
	"phone missing":                  "portal.missing.phone",
	"language missing":               "portal.missing.language",
	"not a phone number: write it with its country code, e.g. +33 1 23 45 67 89":              "portal.field.phone-invalid",
	"this is the email of the company's account: the marketing contact needs a different one": "portal.field.email-account",
	"not one of your company's people: pick one from the list, or type the contact in":        "portal.field.person-unknown",
	"choose a phase: " + strings.Join(rewards.Phases, ", "):                                   "portal.field.phase-required",

	"The identity provider did not accept the sign-in code (used already, expired, or not issued for this sign-in).": "portal.refused.exchange",
	"The identity provider sent no ID token.":                                                                                            "portal.refused.no-id-token",
	"The identity provider's answer has expired. Sign in again.":                                                                         "portal.refused.expired",
	"The identity provider's answer could not be verified (its signature, issuer or audience is not this application's).":                "portal.refused.unverified",
	"The identity provider's answer belongs to another sign-in.":                                                                         "portal.refused.nonce",
	"The identity provider's answer could not be read.":                                                                                  "portal.refused.unreadable",
	"Your organization's tenant is not associated with a company in Marketplace Rewards.":                                                "portal.refused.tenant-unknown",
	"You signed in from a tenant that is not the rewards team's.":                                                                        "portal.refused.tenant-not-rewards",
	"You signed in from the tenant of another company than the one you were added to.":                                                   "portal.refused.tenant-other",
	"The identity provider gave no email address, so you cannot be matched to a person added here.":                                      "portal.refused.no-email",
	"The identity provider does not vouch for your email address (it is not verified), so you cannot be matched to a person added here.": "portal.refused.email-unverified",
	"You have not been added to Marketplace Insights yet.":                                                                               "portal.refused.no-person",
	"Your email belongs to a person who signs in with another account.":                                                                  "portal.refused.bound",
	"This sign-in did not start in this browser, or it has already been used. Start again from the sign-in page.":                        "portal.refused.state-mismatch",
	"This sign-in has already been used or has expired. Start again from the sign-in page.":                                              "portal.refused.state-unknown",
	"This sign-in took longer than ten minutes. Start again from the sign-in page.":                                                      "portal.refused.state-expired",
	"Your organization's tenant is associated with more than one company here, which is a configuration error. Nothing was granted; the administrators have been told (insights people check).": "portal.refused.tenant-two",
}

// translate is an English message of the code in l's language, when the
// catalogs have it.
func translate(l *i18n.Localizer, s string) string {
	if key, ok := messageKeys[s]; ok {
		return l.T(key)
	}
	if rest, ok := strings.CutPrefix(s, "at most "); ok { // the assistance request's length
		var max, n int
		if _, err := fmt.Sscanf(rest, "%d characters (this one has %d)", &max, &n); err == nil {
			return l.T("portal.field.description-long", map[string]any{"Max": l.Int(int64(max)), "Count": l.Int(int64(n))})
		}
	}
	if q, ok := strings.CutSuffix(s, " is not one of the languages offered (English, French, Simplified Chinese)"); ok {
		if v, err := strconv.Unquote(q); err == nil {
			return l.T("portal.field.language-invalid", map[string]any{"Value": v})
		}
	}
	return s
}

// durationIn is a session limit in words in l's language: "2 hours", "30 minutes".
func durationIn(l *i18n.Localizer, d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 {
		return l.N("portal.signin.hours", int64(d/time.Hour))
	}
	return l.N("portal.signin.minutes", int64(d.Round(time.Minute)/time.Minute))
}

// shortMoney is a chart's axis amount, short: "$1.2M", "1,2 M$", "US$120万".
func shortMoney(l *i18n.Localizer, v float64) string {
	switch l.Lang() {
	case i18n.French:
		switch {
		case v >= 1e6:
			return l.Float(v/1e6, decimalsOf(v/1e6)) + "\u00a0M$"
		case v >= 1e3:
			return l.Float(math.Round(v/1e3*10)/10, decimalsOf(math.Round(v/1e3*10)/10)) + "\u00a0k$"
		}
		return l.Float(math.Round(v), 0) + "\u00a0$"
	case i18n.Chinese:
		switch {
		case v >= 1e8:
			return "US$" + strconv.FormatFloat(v/1e8, 'f', -1, 64) + "亿"
		case v >= 1e4:
			return "US$" + strconv.FormatFloat(math.Round(v/1e4*10)/10, 'f', -1, 64) + "万"
		}
		return "US$" + strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	}
	return shortUSD(v)
}

// axisMoney is a chart's tick: shortMoney, but in Chinese without "US$"
// ("300万"), which the phone's narrow gutter has no room for (the legend, the
// table and the footer say the amounts are in US dollars).
func axisMoney(l *i18n.Localizer, v float64) string {
	if l.Lang() == i18n.Chinese {
		return strings.TrimPrefix(shortMoney(l, v), "US$")
	}
	return shortMoney(l, v)
}

// decimalsOf is how many decimals v needs (at most 2) to be written exactly.
func decimalsOf(v float64) int {
	for p := 0; p < 2; p++ {
		if math.Abs(v*math.Pow(10, float64(p))-math.Round(v*math.Pow(10, float64(p)))) < 1e-9 {
			return p
		}
	}
	return 2
}

// chartMonth is a chart's month label: "Jan 25", "janv. 25"; Chinese names
// the year only in January ("25年1月", then "2月"), as its charts do, so that
// the labels fit side by side.
func chartMonth(l *i18n.Localizer, t time.Time) string {
	switch l.Lang() {
	case i18n.English, i18n.Pseudo:
		return t.Format("Jan 06")
	case i18n.Chinese:
		if t.Month() != time.January {
			return strconv.Itoa(int(t.Month())) + "月"
		}
		return strconv.Itoa(t.Year()%100) + "年1月"
	}
	y := strconv.Itoa(t.Year())
	return strings.Replace(l.ShortMonth(t), y, y[2:], 1)
}
