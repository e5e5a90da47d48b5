package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/marketplace-insights/insights/serve/auth"
)

// The People page: the rewards team's admin manages everyone, a company's
// partner admin the company's own people. Every change goes through
// serve/auth (recorded with who, when, before and after) and counts on the
// person's next request.

// admins requires a session of an admin (rewards admin, partner admin, or a
// token, which acts with its holder's whole authority). Anyone else: 404 for
// a page (it does not exist for them), 403 with a reason for a form.
func (w *Web) admins(h sessionHandler) http.Handler {
	return w.session(func(rw http.ResponseWriter, r *http.Request, s *session) {
		if !s.p.Admin {
			if r.Method == http.MethodPost {
				w.log.Warn("change refused: not an admin", "path", r.URL.Path, "person_id", s.p.PersonID, "token_id", s.p.TokenID)
				w.fail(rw, r, s, http.StatusForbidden, "your role may look but not change anything here; ask your company's partner admin")
				return
			}
			w.fail(rw, r, s, http.StatusNotFound, errNoPage.Error())
			return
		}
		if s.p.Role == auth.RolePartner && s.p.PGAID == "" {
			// A partner's token: its company is its profile's.
			pga, err := w.people.PartnerCompany(r.Context(), s.p.PartnerID)
			if err != nil {
				w.internal(rw, r, s, "look up the company", err)
				return
			}
			cp := *s
			cp.p.PGAID = pga
			s = &cp
		}
		h(rw, r, s)
	})
}

func init() { pageNames = append(pageNames, "no_profile") }

// noProfileView is the page of a company's person whose company has no
// publisher profile yet.
type noProfileView struct {
	PGAID string
	Admin bool
}

// GET /portal/: a company's person's start page when the company has no
// publisher profile yet (the portal's pages are each a profile's: there is
// nothing to show but what to do); anyone else goes to their start page.
func (w *Web) portalStart(rw http.ResponseWriter, r *http.Request, s *session) {
	switch {
	case s.p.IsRewards():
		http.Redirect(rw, r, "/desk/", http.StatusSeeOther)
	case s.p.PartnerID != "":
		http.Redirect(rw, r, pagePath("GET /portal/{partner}/{$}", s.p.PartnerID), http.StatusSeeOther)
	default:
		w.log.Info("company without a publisher profile", "person_id", s.p.PersonID, "pga_id", s.p.PGAID)
		w.render(rw, r, s, http.StatusOK, "no_profile", noProfileView{PGAID: s.p.PGAID, Admin: s.p.Admin})
	}
}

type peopleView struct {
	Rewards bool // the rewards team's admin: every company, rewards roles too
	Company string
	People  []personRow
	Roles   []auth.PersonRole
	Error   string
	Done    string
	History []changeRow // the latest changes to the people shown, newest first
}

// changeRow is one recorded change as the page shows it.
type changeRow struct {
	auth.Change
	Who, What string
}

// historyShown is how many of the latest changes the page lists (the CLI has all).
const historyShown = 20

type personRow struct {
	auth.Person
	RoleLabel, CompanyLabel string
	SignedIn                bool
	Self                    bool
	Roles                   []auth.PersonRole // the roles it may be given
}

func rolesFor(pga string) []auth.PersonRole {
	if pga == "" {
		return []auth.PersonRole{auth.RoleReviewer, auth.RoleRewardsAdmin}
	}
	return []auth.PersonRole{auth.RolePartnerAdmin, auth.RoleViewer}
}

// GET /people
func (w *Web) peoplePage(rw http.ResponseWriter, r *http.Request, s *session) {
	w.renderPeople(rw, r, s, http.StatusOK, "", r.URL.Query().Get("done"))
}

func (w *Web) renderPeople(rw http.ResponseWriter, r *http.Request, s *session, code int, errMsg, done string) {
	scope := ""
	if !s.p.IsRewards() {
		scope = s.p.PGAID
	}
	people, err := w.people.People(r.Context(), scope, false)
	if err != nil {
		w.internal(rw, r, s, "list people", err)
		return
	}
	v := peopleView{Rewards: s.p.IsRewards(), Company: s.p.PGAID, Error: errMsg, Done: done, Roles: rolesFor(scope)}
	if v.Rewards {
		v.Roles = auth.PersonRoles
	}
	for _, p := range people {
		row := personRow{Person: p, RoleLabel: p.Role.Label(), CompanyLabel: p.PGAID, SignedIn: p.Subject != "",
			Self: p.ID == s.p.PersonID, Roles: rolesFor(p.PGAID)}
		if p.PGAID == "" {
			row.CompanyLabel = "Rewards team"
		}
		v.People = append(v.People, row)
	}
	if v.History, err = w.history(r, scope); err != nil {
		w.internal(rw, r, s, "list changes", err)
		return
	}
	w.render(rw, r, s, code, "people", v)
}

// target finds the person of the path that the session may manage (404 otherwise).
func (w *Web) target(rw http.ResponseWriter, r *http.Request, s *session) (auth.Person, bool) {
	p, err := w.people.Person(r.Context(), r.PathValue("id"))
	if err == nil && p.Active() && auth.CanManage(s.p, p.PGAID) {
		return p, true
	}
	if err != nil && !errors.Is(err, auth.ErrNotFound) {
		w.internal(rw, r, s, "find person", err)
		return auth.Person{}, false
	}
	w.fail(rw, r, s, http.StatusNotFound, errNoPage.Error())
	return auth.Person{}, false
}

func (w *Web) peopleDone(rw http.ResponseWriter, r *http.Request, msg string) {
	http.Redirect(rw, r, "/people?done="+url.QueryEscape(msg), http.StatusSeeOther)
}

// POST /people
func (w *Web) peopleAdd(rw http.ResponseWriter, r *http.Request, s *session) {
	role, err := auth.ParseRole(r.PostFormValue("role"))
	if err != nil {
		w.renderPeople(rw, r, s, http.StatusBadRequest, err.Error(), "")
		return
	}
	pga := strings.TrimSpace(r.PostFormValue("company"))
	if !s.p.IsRewards() {
		pga = s.p.PGAID // a partner admin adds to their own company only
	}
	if role.Rewards() {
		pga = ""
	}
	if !auth.CanManage(s.p, pga) {
		w.log.Warn("change refused: outside the admin's people", "path", r.URL.Path, "person_id", s.p.PersonID, "pga_id", pga, "role", string(role))
		w.fail(rw, r, s, http.StatusForbidden, "you may add people to your own company only")
		return
	}
	// A partner admin adds to their own company, which exists for people even
	// before its first publisher profile is in the partner data; the rewards
	// team's admin names a company, which must be there (a typo is refused).
	ownCompany := !s.p.IsRewards()
	p, err := auth.AddPerson(r.Context(), w.people, auth.Actor(s.p), r.PostFormValue("email"), r.PostFormValue("name"), pga, role, ownCompany, w.cfg.Now())
	if err != nil {
		w.renderPeople(rw, r, s, http.StatusBadRequest, err.Error(), "")
		return
	}
	w.log.Info("person added", "by", auth.Actor(s.p), "person_id", p.ID, "role", string(p.Role), "pga_id", p.PGAID)
	w.peopleDone(rw, r, p.Name+" added as "+p.Role.Label()+".")
}

// POST /people/{id}/role
func (w *Web) peopleRole(rw http.ResponseWriter, r *http.Request, s *session) {
	p, ok := w.target(rw, r, s)
	if !ok {
		return
	}
	role, err := auth.ParseRole(r.PostFormValue("role"))
	if err == nil {
		_, err = auth.SetRole(r.Context(), w.people, auth.Actor(s.p), p, role, w.cfg.Now())
	}
	if err != nil {
		w.renderPeople(rw, r, s, http.StatusBadRequest, err.Error(), "")
		return
	}
	w.log.Info("role changed", "by", auth.Actor(s.p), "person_id", p.ID, "from", string(p.Role), "to", string(role))
	w.peopleDone(rw, r, p.Name+" is now "+role.Label()+".")
}

// POST /people/{id}/remove
func (w *Web) peopleRemove(rw http.ResponseWriter, r *http.Request, s *session) {
	p, ok := w.target(rw, r, s)
	if !ok {
		return
	}
	if _, err := auth.RemovePerson(r.Context(), w.people, auth.Actor(s.p), p, w.cfg.Now()); err != nil {
		w.internal(rw, r, s, "remove person", err)
		return
	}
	w.log.Info("person removed", "by", auth.Actor(s.p), "person_id", p.ID)
	w.peopleDone(rw, r, p.Name+" removed; their sessions have ended.")
}

// history is the latest changes to the people of scope ("" = everyone),
// newest first: a partner admin sees their company's only.
func (w *Web) history(r *http.Request, scope string) ([]changeRow, error) {
	changes, err := w.people.Changes(r.Context(), "")
	if err != nil {
		return nil, err
	}
	var out []changeRow
	for i := len(changes) - 1; i >= 0 && len(out) < historyShown; i-- {
		c := changes[i]
		var after auth.Person
		if err := json.Unmarshal([]byte(c.After), &after); err != nil {
			return nil, fmt.Errorf("change %d: %w", c.ID, err)
		}
		if scope != "" && after.PGAID != scope {
			continue
		}
		what := map[string]string{"add": "added as " + after.Role.Label(), "remove": "removed", "bind": "signed in for the first time"}[c.Action]
		if c.Action == "role" {
			var before auth.Person
			_ = json.Unmarshal([]byte(c.Before), &before) // written by ChangeText
			what = "role " + before.Role.Label() + " → " + after.Role.Label()
		}
		out = append(out, changeRow{Change: c, Who: after.Name + " (" + after.Email + ")", What: what})
	}
	return out, nil
}
