package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/serve"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// cookieName is the session cookie. The __Host- prefix (browsers then insist
// on Secure, Path=/ and no Domain) is used when the cookie is Secure.
const (
	cookieName       = "insights_session"
	secureCookieName = "__Host-insights_session"
)

// session is one signed-in browser. The cookie carries a random id; sessions
// are keyed by its SHA-256, so a memory dump, log or database never holds a
// usable cookie.
type session struct {
	key     string
	p       auth.Principal
	csrf    string // the per-session form token
	created time.Time
	seen    time.Time
	saved   time.Time // the last use written to the database
	by      string    // the reviewer's name, remembered for the next decision form
	idToken string    // a person's: the provider's ID token, for its sign-out (serve/web/oidc.go)
}

// sessions are kept in the database (web_sessions), so that a restart of
// the service does not sign everyone out, and in memory for the requests of
// this process. A session's last use is written at most once a minute, so
// after a restart its idle time may count up to a minute early.
type sessions struct {
	mu        sync.Mutex
	m         map[string]*session // by key
	idle, max time.Duration
	now       func() time.Time
	store     *duckstore.Store // nil = in memory only
	// principal re-derives a restored session's principal from its token (the
	// table keeps the role and partner only): found is false for a token gone.
	principal func(ctx context.Context, tokenID string) (p auth.Principal, found bool, err error)
}

// touchEvery is how often a session's last use is written to the database.
const touchEvery = time.Minute

func newSessions(store *duckstore.Store, idle, max time.Duration, now func() time.Time) *sessions {
	return &sessions{m: map[string]*session{}, idle: idle, max: max, now: now, store: store}
}

func randomText(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

func sessionKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

func (ss *sessions) expired(s *session, now time.Time) bool {
	return now.Sub(s.seen) > ss.idle || now.Sub(s.created) > ss.max
}

// exec runs one of the session statements (sql/serve/web/session_*.sql).
func (ss *sessions) exec(ctx context.Context, name string, args ...any) error {
	if ss.store == nil {
		return nil
	}
	_, err := duckstore.ExecNamed(ctx, ss.store, "serve/web/"+name, args...)
	return err
}

// create starts a session for p and returns the cookie value. Each sign-in
// also drops the expired sessions, so the table and the map stay bounded by
// the sessions alive.
func (ss *sessions) create(ctx context.Context, p auth.Principal, idToken string) (string, *session, error) {
	id := randomText(32)
	now := ss.now()
	s := &session{key: sessionKey(id), p: p, csrf: randomText(32), created: now, seen: now, saved: now, idToken: idToken}
	var partner any
	if p.PartnerID != "" {
		partner = p.PartnerID
	}
	if err := ss.exec(ctx, "session_end", "", "", now.Add(-ss.idle), now.Add(-ss.max)); err != nil {
		return "", nil, err
	}
	if err := ss.exec(ctx, "session_create", s.key, p.TokenID, string(p.Role), partner, s.csrf, now, now, p.PersonID, idToken); err != nil {
		return "", nil, err
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, old := range ss.m {
		if ss.expired(old, now) {
			delete(ss.m, k)
		}
	}
	ss.m[s.key] = s
	return id, s, nil
}

// get returns the live session of a cookie value, touching it; nil if none.
func (ss *sessions) get(ctx context.Context, id string) (*session, error) {
	s, _, err := ss.lookup(ctx, id)
	return s, err
}

// lookup is get, and when the cookie opens no session, why. A session this
// process has not seen yet (it started after the sign-in) is read from the
// database.
func (ss *sessions) lookup(ctx context.Context, id string) (*session, ended, error) {
	if id == "" {
		return nil, "", nil
	}
	k := sessionKey(id)
	ss.mu.Lock()
	s := ss.m[k]
	ss.mu.Unlock()
	if s == nil {
		loaded, err := ss.load(ctx, k)
		if err != nil {
			return nil, "", err
		}
		if loaded == nil {
			return nil, endedInvalid, nil
		}
		ss.mu.Lock()
		if s = ss.m[k]; s == nil {
			s = loaded
			ss.m[k] = s
		}
		ss.mu.Unlock()
	}
	now := ss.now()
	ss.mu.Lock()
	if ss.expired(s, now) {
		why := endedIdle
		if now.Sub(s.created) > ss.max {
			why = endedMax
		}
		delete(ss.m, k)
		ss.mu.Unlock()
		return nil, why, ss.exec(ctx, "session_end", k, "", time.Time{}, time.Time{})
	}
	s.seen = now
	save := now.Sub(s.saved) >= touchEvery
	if save {
		s.saved = now
	}
	by := s.by
	ss.mu.Unlock()
	if save {
		if err := ss.exec(ctx, "session_touch", k, now, by); err != nil {
			return nil, "", err
		}
	}
	return s, "", nil
}

// load reads a session from the database; nil if there is none.
func (ss *sessions) load(ctx context.Context, key string) (*session, error) {
	if ss.store == nil {
		return nil, nil
	}
	var s *session
	err := queryRows(ctx, ss.store, "session_get", func(rows *sql.Rows) error {
		s = &session{key: key}
		var role string
		if err := rows.Scan(&s.p.TokenID, &role, &s.p.PartnerID, &s.csrf, &s.created, &s.seen, &s.by, &s.p.PersonID, &s.idToken); err != nil {
			return err
		}
		s.p.Role, s.saved = auth.Role(role), s.seen
		return nil
	}, key)
	if s != nil && err == nil && ss.principal != nil {
		p, found, perr := ss.principal(ctx, s.p.TokenID)
		if perr != nil {
			return nil, perr
		}
		if found && p.Role == s.p.Role && p.PartnerID == s.p.PartnerID {
			s.p = p
		}
	}
	return s, err
}

// reviewer is the name the session remembers for the next decision form.
func (ss *sessions) reviewer(s *session) string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return s.by
}

// remember keeps the reviewer's name of a recorded decision for the next form.
func (ss *sessions) remember(ctx context.Context, s *session, by string) error {
	now := ss.now()
	ss.mu.Lock()
	s.by, s.seen, s.saved = by, now, now
	if o := ss.m[s.key]; o != nil { // s may be a person's per-request copy
		o.by = by
	}
	ss.mu.Unlock()
	return ss.exec(ctx, "session_touch", s.key, now, by)
}

// end ends the session of a cookie value (sign-out, a new sign-in).
func (ss *sessions) end(ctx context.Context, id string) error {
	k := sessionKey(id)
	ss.mu.Lock()
	delete(ss.m, k)
	ss.mu.Unlock()
	return ss.exec(ctx, "session_end", k, "", time.Time{}, time.Time{})
}

// endToken ends every session made from a token (it was revoked).
func (ss *sessions) endToken(ctx context.Context, tokenID string) error {
	ss.mu.Lock()
	for k, s := range ss.m {
		if s.p.TokenID == tokenID {
			delete(ss.m, k)
		}
	}
	ss.mu.Unlock()
	return ss.exec(ctx, "session_end", "", tokenID, time.Time{}, time.Time{})
}

func (w *Web) secure(r *http.Request) bool { return w.cfg.SecureCookies || r.TLS != nil }

func (w *Web) cookieName(r *http.Request) string {
	if w.secure(r) {
		return secureCookieName
	}
	return cookieName
}

func (w *Web) setCookie(rw http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(rw, &http.Cookie{
		Name: w.cookieName(r), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: w.secure(r), SameSite: http.SameSiteStrictMode,
	})
}

func (w *Web) cookieValue(r *http.Request) string {
	c, err := r.Cookie(w.cookieName(r))
	if err != nil {
		return ""
	}
	return c.Value
}

// current returns the request's session after checking its token is still
// active (revocation ends the session at once), or nil.
func (w *Web) current(r *http.Request) (*session, error) {
	s, _, err := w.currentWhy(r)
	return s, err
}

// currentWhy is current, and when the request's cookie opens no session, why.
func (w *Web) currentWhy(r *http.Request) (*session, ended, error) {
	s, why, err := w.sessions.lookup(r.Context(), w.cookieValue(r))
	if s == nil || err != nil {
		return nil, why, err
	}
	if s.p.PersonID != "" {
		ps, err := w.currentPerson(r, s)
		if ps == nil && err == nil { // removed, or no longer of a company: the session was ended
			return nil, endedInvalid, nil
		}
		return ps, "", err
	}
	ok, err := auth.TokenActive(r.Context(), w.api.Tokens(), s.p.TokenID)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		if err := w.sessions.endToken(r.Context(), s.p.TokenID); err != nil {
			return nil, "", err
		}
		w.log.Info("session ended: token revoked", "token_id", s.p.TokenID)
		return nil, endedRevoked, nil
	}
	serve.NoteToken(r, s.p.TokenID)
	return s, "", nil
}

type sessionHandler func(rw http.ResponseWriter, r *http.Request, s *session)

// session requires a signed-in session (else to the sign-in page), and a valid
// form token on every POST.
func (w *Web) session(h sessionHandler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		s, why, err := w.currentWhy(r)
		if err != nil {
			w.internal(rw, r, nil, "check session", err)
			return
		}
		if s == nil {
			if wantsHTML(r) {
				// To the sign-in page, which says why the session ended, and
				// back here after signing in: this page, or for a form sent
				// after the session ended, the page the form was on.
				next := r.URL.RequestURI()
				if r.Method != http.MethodGet {
					next = refererPath(r)
				}
				q := url.Values{}
				if next != "" {
					q.Set("next", next)
				}
				if why != "" {
					q.Set("ended", string(why))
					w.setCookie(rw, r, "", -1) // said once: the cookie is dropped
				}
				http.Redirect(rw, r, "/sign-in?"+q.Encode(), http.StatusSeeOther)
				return
			}
			w.fail(rw, r, nil, http.StatusUnauthorized, "sign in first")
			return
		}
		if r.Method == http.MethodPost && !validCSRF(s, r.PostFormValue("csrf")) {
			w.log.Warn("form post without a valid form token refused", "path", r.URL.Path, "token_id", s.p.TokenID)
			w.fail(rw, r, s, http.StatusForbidden, "the form has expired or did not come from this site; reload the page and try again")
			return
		}
		h(rw, r, s)
	})
}

func validCSRF(s *session, got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) == 1
}

// rewards requires a rewards session; anyone else gets 404 (the desk does not
// exist for them).
func (w *Web) rewards(h sessionHandler) http.Handler {
	return w.session(func(rw http.ResponseWriter, r *http.Request, s *session) {
		if s.p.Role != auth.RoleRewards {
			w.fail(rw, r, s, http.StatusNotFound, errNoPage.Error())
			return
		}
		h(rw, r, s)
	})
}

// partner requires the session of the partner in the path; any other partner,
// and the rewards team, get 404, the same answer as for a partner that does
// not exist.
func (w *Web) partner(h sessionHandler) http.Handler {
	return w.session(func(rw http.ResponseWriter, r *http.Request, s *session) {
		ps, ok := w.portalSession(r, s)
		if !ok {
			w.fail(rw, r, s, http.StatusNotFound, errNoPage.Error())
			return
		}
		h(rw, r, ps)
	})
}

// GET /sign-in[?next=…][&ended=…][&signed_out=1]
func (w *Web) signInPage(rw http.ResponseWriter, r *http.Request) {
	v := w.signInNotes(r, i18n.For(w.pageLang(r, nil, "signin")))
	v.OIDC, v.Tokens = w.cfg.OIDC != nil, w.tokenSignIn()
	w.render(rw, r, nil, http.StatusOK, "signin", v)
}

type signInView struct {
	Next      string
	Error     string
	Ended     string // why the last session ended
	SignedOut bool
	OIDC      bool // offer the identity provider's sign-in
	Tokens    bool // offer the token form
}

// POST /sign-in: token → session cookie. The token is never stored in the
// browser; the answer is a redirect so a reload does not post it again.
func (w *Web) signIn(rw http.ResponseWriter, r *http.Request) {
	if !w.tokenSignIn() {
		w.log.Warn("token sign-in refused: off with an identity provider", "remote", r.RemoteAddr)
		w.fail(rw, r, nil, http.StatusNotFound, "token sign-in is off: sign in with your organization's account")
		return
	}
	token := strings.TrimSpace(r.PostFormValue("token"))
	next := safeNext(r.PostFormValue("next"))
	p, err := auth.CheckToken(r.Context(), w.api.Tokens(), token)
	if errors.Is(err, auth.ErrUnauthenticated) {
		w.log.Info("sign-in refused", "remote", r.RemoteAddr)
		w.render(rw, r, nil, http.StatusUnauthorized, "signin", signInView{Next: next, OIDC: w.cfg.OIDC != nil, Tokens: true,
			Error: i18n.For(w.pageLang(r, nil, "signin")).T("portal.signin.invalid")})
		return
	}
	if err != nil {
		w.internal(rw, r, nil, "sign in", err)
		return
	}
	if old := w.cookieValue(r); old != "" {
		// No session fixation: a sign-in always starts a new one.
		if err := w.sessions.end(r.Context(), old); err != nil {
			w.internal(rw, r, nil, "sign in", err)
			return
		}
	}
	id, _, err := w.sessions.create(r.Context(), p, "")
	if err != nil {
		w.internal(rw, r, nil, "sign in", err)
		return
	}
	w.setCookie(rw, r, id, int(w.cfg.SessionMax/time.Second))
	serve.NoteToken(r, p.TokenID)
	w.log.Info("signed in", "token_id", p.TokenID, "role", string(p.Role), "partner_id", p.PartnerID)
	if next == "" {
		next = "/"
	}
	http.Redirect(rw, r, next, http.StatusSeeOther)
}

// POST /sign-out
func (w *Web) signOut(rw http.ResponseWriter, r *http.Request, s *session) {
	if err := w.sessions.end(r.Context(), w.cookieValue(r)); err != nil {
		w.internal(rw, r, s, "sign out", err)
		return
	}
	w.setCookie(rw, r, "", -1)
	w.log.Info("signed out", "token_id", s.p.TokenID, "person_id", s.p.PersonID)
	if u := w.providerLogout(s); u != "" {
		// The provider's sign-out too. A page that moves on, not a redirect: the
		// form-action policy would stop a form's redirect to another site.
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		rw.Header().Set("Cache-Control", "no-store")
		_ = continueTmpl.Execute(rw, u)
		return
	}
	http.Redirect(rw, r, "/sign-in?signed_out=1", http.StatusSeeOther)
}

// safeNext keeps a post-sign-in destination only when it is a path on this
// site (no scheme, no host, no "//"), so the sign-in cannot redirect away.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") || strings.HasPrefix(next, "/sign-") {
		return ""
	}
	return next
}
