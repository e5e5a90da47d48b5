package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/marketplace-insights/insights/reports/server"
)

// cookieName is the session cookie. The __Host- prefix (browsers then insist
// on Secure, Path=/ and no Domain) is used when the cookie is Secure.
const (
	cookieName       = "insights_session"
	secureCookieName = "__Host-insights_session"
)

// session is one signed-in browser. The cookie carries a random id; the map is
// keyed by its SHA-256, so a memory dump or log never holds a usable cookie.
type session struct {
	p       server.Principal
	csrf    string // the per-session form token
	created time.Time
	seen    time.Time
	by      string // the reviewer's name, remembered for the next decision form
}

type sessions struct {
	mu        sync.Mutex
	m         map[string]*session
	idle, max time.Duration
	now       func() time.Time
}

func newSessions(idle, max time.Duration, now func() time.Time) *sessions {
	return &sessions{m: map[string]*session{}, idle: idle, max: max, now: now}
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

// create starts a session for p and returns the cookie value.
func (ss *sessions) create(p server.Principal) (string, *session) {
	id := randomText(32)
	now := ss.now()
	s := &session{p: p, csrf: randomText(32), created: now, seen: now}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.sweep(now)
	ss.m[sessionKey(id)] = s
	return id, s
}

// get returns the live session of a cookie value, touching it; nil if none.
func (ss *sessions) get(id string) *session {
	if id == "" {
		return nil
	}
	now := ss.now()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	k := sessionKey(id)
	s := ss.m[k]
	if s == nil {
		return nil
	}
	if now.Sub(s.seen) > ss.idle || now.Sub(s.created) > ss.max {
		delete(ss.m, k)
		return nil
	}
	s.seen = now
	return s
}

func (ss *sessions) end(id string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, sessionKey(id))
}

// endToken ends every session made from a token (it was revoked).
func (ss *sessions) endToken(tokenID string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, s := range ss.m {
		if s.p.TokenID == tokenID {
			delete(ss.m, k)
		}
	}
}

// sweep drops expired sessions; called with mu held on each sign-in so the map
// stays bounded by the sessions alive.
func (ss *sessions) sweep(now time.Time) {
	for k, s := range ss.m {
		if now.Sub(s.seen) > ss.idle || now.Sub(s.created) > ss.max {
			delete(ss.m, k)
		}
	}
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
	s := w.sessions.get(w.cookieValue(r))
	if s == nil {
		return nil, nil
	}
	ok, err := w.api.TokenActive(r.Context(), s.p.TokenID)
	if err != nil {
		return nil, err
	}
	if !ok {
		w.sessions.endToken(s.p.TokenID)
		w.log.Info("session ended: token revoked", "token_id", s.p.TokenID)
		return nil, nil
	}
	server.NoteToken(r, s.p.TokenID)
	return s, nil
}

type sessionHandler func(rw http.ResponseWriter, r *http.Request, s *session)

// session requires a signed-in session (else to the sign-in page), and a valid
// form token on every POST.
func (w *Web) session(h sessionHandler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		s, err := w.current(r)
		if err != nil {
			w.internal(rw, r, nil, "check session", err)
			return
		}
		if s == nil {
			if r.Method == http.MethodGet && wantsHTML(r) {
				http.Redirect(rw, r, "/sign-in?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
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
		if s.p.Role != server.RoleRewards {
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
		if s.p.Role != server.RolePartner || s.p.PartnerID != r.PathValue("partner") {
			w.fail(rw, r, s, http.StatusNotFound, errNoPage.Error())
			return
		}
		h(rw, r, s)
	})
}

// GET /sign-in
func (w *Web) signInPage(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, nil, http.StatusOK, "signin", signInView{Next: safeNext(r.URL.Query().Get("next"))})
}

type signInView struct {
	Next  string
	Error string
}

// POST /sign-in: token → session cookie. The token is never stored in the
// browser; the answer is a redirect so a reload does not post it again.
func (w *Web) signIn(rw http.ResponseWriter, r *http.Request) {
	token := strings.TrimSpace(r.PostFormValue("token"))
	next := safeNext(r.PostFormValue("next"))
	p, err := w.api.CheckToken(r.Context(), token)
	if server.IsUnauthenticated(err) {
		w.log.Info("sign-in refused", "remote", r.RemoteAddr)
		w.render(rw, r, nil, http.StatusUnauthorized, "signin", signInView{Next: next,
			Error: "That token is not valid: it may be mistyped, revoked or not a Marketplace Insights token. Ask your administrator for a new one (insights tokens create)."})
		return
	}
	if err != nil {
		w.internal(rw, r, nil, "sign in", err)
		return
	}
	if old := w.cookieValue(r); old != "" {
		w.sessions.end(old) // no session fixation: a sign-in always starts a new one
	}
	id, _ := w.sessions.create(p)
	w.setCookie(rw, r, id, int(w.cfg.SessionMax/time.Second))
	server.NoteToken(r, p.TokenID)
	w.log.Info("signed in", "token_id", p.TokenID, "role", string(p.Role), "partner_id", p.PartnerID)
	if next == "" {
		next = "/"
	}
	http.Redirect(rw, r, next, http.StatusSeeOther)
}

// POST /sign-out
func (w *Web) signOut(rw http.ResponseWriter, r *http.Request, s *session) {
	w.sessions.end(w.cookieValue(r))
	w.setCookie(rw, r, "", -1)
	w.log.Info("signed out", "token_id", s.p.TokenID)
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
