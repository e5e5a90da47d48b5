package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/marketplace-insights/insights/serve"
	"github.com/marketplace-insights/insights/serve/auth"
)

// Sign-in with OpenID Connect. GET /sign-in/oidc sends the browser to the
// provider with a fresh state, nonce and PKCE challenge; the state's hash, the
// nonce and the verifier wait in the database (oidc_logins) for ten minutes,
// and the state also in a cookie of this browser, so that a callback is good
// once and only in the browser that started it. GET /sign-in/callback checks
// all of it, lets go-oidc check the ID token, finds the person
// (auth.OIDC.SignIn) and starts a database-kept session like a token's.
// Every refusal is a page that says what happened and what to do, and a log
// line with its reason; nothing is granted.

const (
	stateCookie       = "insights_oidc"
	secureStateCookie = "__Host-insights_oidc"
	loginMaxAge       = 10 * time.Minute
)

func (w *Web) stateCookieName(r *http.Request) string {
	if w.secure(r) {
		return secureStateCookie
	}
	return stateCookie
}

// setStateCookie: SameSite=Lax, not Strict, because the callback is a
// navigation from the provider's site, on which a Strict cookie is not sent.
func (w *Web) setStateCookie(rw http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(rw, &http.Cookie{
		Name: w.stateCookieName(r), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: w.secure(r), SameSite: http.SameSiteLaxMode,
	})
}

// tokenSignIn reports whether the sign-in page takes API tokens: always
// without a provider (a single machine, `make demo`), with one only when
// [web] token_sign_in says so.
func (w *Web) tokenSignIn() bool { return w.cfg.OIDC == nil || w.cfg.TokenSignIn }

// GET /sign-in/oidc
func (w *Web) oidcStart(rw http.ResponseWriter, r *http.Request) {
	if w.cfg.OIDC == nil {
		w.fail(rw, r, nil, http.StatusNotFound, errNoPage.Error())
		return
	}
	state, nonce, verifier := randomText(32), randomText(32), auth.NewVerifier()
	raw := r.URL.Query().Get("next")
	next := safeNext(raw)
	if raw != "" && next == "" {
		// Not a path on this site (another host, a scheme, "//", a sign-in
		// page): the person lands on their start page instead.
		w.log.Warn("return address refused: not a path on this site", "next", raw, "remote", r.RemoteAddr)
	}
	l := auth.Login{Nonce: nonce, Verifier: verifier, Next: next, Created: w.cfg.Now()}
	if err := w.people.SaveLogin(r.Context(), state, l, loginMaxAge); err != nil {
		w.internal(rw, r, nil, "start sign-in", err)
		return
	}
	w.setStateCookie(rw, r, state, int(loginMaxAge/time.Second))
	http.Redirect(rw, r, w.cfg.OIDC.AuthURL(state, nonce, verifier), http.StatusSeeOther)
}

// refusedView is the page of a refused sign-in.
type refusedView struct {
	Message    string
	WhyRewards bool // the tenant belongs to no company: the "Why can't I see Marketplace Rewards?" answer
	OIDC       bool
}

func (w *Web) refuse(rw http.ResponseWriter, r *http.Request, code int, reason, msg string, err error, attrs ...any) {
	args := append([]any{"reason", reason, "remote", r.RemoteAddr}, attrs...)
	if err != nil {
		args = append(args, "err", err)
	}
	w.log.Warn("sign-in refused", args...)
	w.setStateCookie(rw, r, "", -1)
	name := "signin_refused"
	w.render(rw, r, nil, code, name, refusedView{Message: msg, WhyRewards: reason == auth.ReasonTenantUnknown, OIDC: w.cfg.OIDC != nil})
}

// GET /sign-in/callback
func (w *Web) oidcCallback(rw http.ResponseWriter, r *http.Request) {
	o := w.cfg.OIDC
	if o == nil {
		w.fail(rw, r, nil, http.StatusNotFound, errNoPage.Error())
		return
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		w.refuse(rw, r, http.StatusUnauthorized, "provider_error", "The identity provider did not sign you in: "+firstNonEmpty(q.Get("error_description"), e)+".", nil, "error", e)
		return
	}
	state := q.Get("state")
	c, _ := r.Cookie(w.stateCookieName(r))
	if state == "" || c == nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(state)) != 1 {
		w.refuse(rw, r, http.StatusBadRequest, "state_mismatch", "This sign-in did not start in this browser, or it has already been used. Start again from the sign-in page.", nil)
		return
	}
	l, err := w.people.TakeLogin(r.Context(), state)
	if errors.Is(err, auth.ErrNotFound) {
		w.refuse(rw, r, http.StatusBadRequest, "state_unknown_or_reused", "This sign-in has already been used or has expired. Start again from the sign-in page.", nil)
		return
	}
	if err != nil {
		w.internal(rw, r, nil, "sign in", err)
		return
	}
	if w.cfg.Now().Sub(l.Created) > loginMaxAge {
		w.refuse(rw, r, http.StatusBadRequest, "state_expired", "This sign-in took longer than ten minutes. Start again from the sign-in page.", nil)
		return
	}
	id, err := o.Exchange(r.Context(), q.Get("code"), l.Verifier, l.Nonce)
	if err == nil {
		var p auth.Person
		p, err = o.SignIn(r.Context(), w.people, id, w.cfg.Now())
		if err == nil {
			w.startPersonSession(rw, r, p, id, l.Next)
			return
		}
	}
	var ref *auth.Refusal
	if errors.As(err, &ref) {
		code := http.StatusForbidden
		if ref.Reason == auth.ReasonIDToken || ref.Reason == auth.ReasonNonce || ref.Reason == auth.ReasonExchange {
			code = http.StatusUnauthorized
		}
		w.refuse(rw, r, code, ref.Reason, ref.Msg, ref.Err, "subject", id.Subject, "email", id.Email, "tenant", id.Tenant)
		return
	}
	w.internal(rw, r, nil, "sign in", err)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// continueTmpl answers a successful callback. Not a redirect: the callback
// was reached from the provider's site, and a browser does not send a
// SameSite=Strict cookie (the session's) on a redirect chain that started
// cross-site; a page of this site that moves on (meta refresh, or the link)
// starts a same-site navigation that does.
var continueTmpl = template.Must(template.New("continue").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={{.}}">
<title>Signed in · Marketplace Insights</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main id="main"><p>Signed in. <a href="{{.}}">Continue</a>.</p></main></body></html>
`))

func (w *Web) startPersonSession(rw http.ResponseWriter, r *http.Request, p auth.Person, id auth.Identity, next string) {
	if old := w.cookieValue(r); old != "" {
		// No session fixation: a sign-in always starts a new one.
		if err := w.sessions.end(r.Context(), old); err != nil {
			w.internal(rw, r, nil, "sign in", err)
			return
		}
	}
	sid, _, err := w.sessions.create(r.Context(), w.personPrincipal(r.Context(), p), id.IDToken)
	if err != nil {
		w.internal(rw, r, nil, "sign in", err)
		return
	}
	w.setStateCookie(rw, r, "", -1)
	w.setCookie(rw, r, sid, int(w.cfg.SessionMax/time.Second))
	serve.NotePerson(r, p.ID, string(p.Role))
	w.log.Info("signed in", "person_id", p.ID, "role", string(p.Role), "pga_id", p.PGAID, "tenant", id.Tenant)
	if next == "" {
		next = "/"
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	_ = continueTmpl.Execute(rw, next)
}

// personPrincipal is a person's authority, with the company's first
// publisher profile as the one the portal opens on.
func (w *Web) personPrincipal(ctx context.Context, p auth.Person) auth.Principal {
	pr := p.Principal()
	if p.PGAID != "" {
		if ids, err := w.people.CompanyPartners(ctx, p.PGAID); err == nil && len(ids) > 0 {
			pr.PartnerID = ids[0]
		} else if err != nil {
			w.log.Error("list a company's publisher profiles failed", "pga_id", p.PGAID, "err", err)
		}
	}
	return pr
}

// currentPerson re-reads a person's session's person: removed → the session
// ends now; otherwise the session acts with the person's role of this moment.
// It returns a copy of the session (handlers read it without a lock).
func (w *Web) currentPerson(r *http.Request, s *session) (*session, error) {
	p, err := w.people.Person(r.Context(), s.p.PersonID)
	if err != nil && !errors.Is(err, auth.ErrNotFound) {
		return nil, err
	}
	if err != nil || !p.Active() {
		if err := w.sessions.end(r.Context(), w.cookieValue(r)); err != nil {
			return nil, err
		}
		w.log.Info("session ended: person removed", "person_id", s.p.PersonID)
		return nil, nil
	}
	cp := *s
	cp.p = w.personPrincipal(r.Context(), p)
	cp.p.TokenID = ""
	serve.NotePerson(r, p.ID, string(p.Role))
	return &cp, nil
}

// portalSession allows the portal of the partner in the path: a company's
// person sees every publisher profile of their company (partners.pga_id), a
// partner's token its partner only. The session returned acts for the path's
// partner.
func (w *Web) portalSession(r *http.Request, s *session) (*session, bool) {
	partner := r.PathValue("partner")
	if s.p.Role != auth.RolePartner || partner == "" {
		return nil, false
	}
	if s.p.PersonID == "" {
		return s, s.p.PartnerID == partner
	}
	pga, err := w.people.PartnerCompany(r.Context(), partner)
	if err != nil {
		w.log.Error("look up a partner's company failed", "partner_id", partner, "err", err)
		return nil, false
	}
	if !s.p.SeesCompany(pga) {
		return nil, false
	}
	cp := *s
	cp.p.PartnerID = partner
	return &cp, true
}

// POST /sign-out for a person: the provider's sign-out too, when it offers one.
func (w *Web) providerLogout(s *session) string {
	if w.cfg.OIDC == nil || s.p.PersonID == "" {
		return ""
	}
	return w.cfg.OIDC.LogoutURL(s.idToken)
}
