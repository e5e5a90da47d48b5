package web

import (
	"context"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
)

// Every page and form of the desk and the portal is declared once, here: its
// route, who may open it, its title, its entry in the navigation and the path
// that the accessibility audit and the screenshots open. The router, the
// layout's navigation, the page titles, TestBrowserAccessibility and
// TestLookPages all read this list, so a new page is one line (and its
// template).

// area is who may open a page.
type area int

const (
	public   area = iota // anyone (sign-in, static files)
	signedIn             // any session
	desk                 // a rewards-team session; 404 for anyone else
	portal               // the session of the partner in the path; 404 for anyone else
	admins               // a rewards admin or a partner admin (people); 404 (403 for a form) for anyone else
)

type (
	plainHandler   func(w *Web, rw http.ResponseWriter, r *http.Request)
	sessionMethod  func(w *Web, rw http.ResponseWriter, r *http.Request, s *session)
	pageDefinition struct {
		route string // the ServeMux pattern: "GET /desk/sla", "POST /portal/{partner}/reports/{rid}/link"
		name  string // the template, and the navigation entry shown as current ("" for downloads and form posts)
		title string // the <title> and the navigation label ("" when the page sets its own)
		area  area
		nav   bool // listed in the main navigation of its area
		// audit is the path the accessibility audit and the screenshots open
		// ({partner} stands for the signed-in partner); "" = not a page to audit
		// (a download, a form post, a redirect). needsData: only with data.
		audit     string
		needsData bool
		plain     plainHandler  // public pages
		sess      sessionMethod // every other area
		// badge counts what needs attention on the page (the SLA's overdue
		// items), shown beside its navigation entry; nil = no badge.
		badge badgeCounter
	}
	badgeCounter struct {
		count func(ctx context.Context, w *Web) (int, error)
		what  string // what is counted: "overdue"
	}
)

// pages is filled by init: the handlers render pages, and rendering reads
// this list (titles, navigation), which a package-level initializer cannot.
var pages []pageDefinition

func init() { pages = declaredPages() }

func declaredPages() []pageDefinition {
	return []pageDefinition{
		{route: "GET /static/", area: public, plain: (*Web).static},
		{route: "GET /favicon.ico", area: public, plain: (*Web).favicon},
		{route: "GET /{$}", area: public, plain: (*Web).home},
		{route: "GET /sign-in", name: "signin", title: "Sign in", area: public, audit: "/sign-in", plain: (*Web).signInPage},
		{route: "POST /sign-in", area: public, plain: (*Web).signIn},
		{route: "POST /sign-out", area: signedIn, sess: (*Web).signOut},
		{route: "POST /language", area: public, plain: (*Web).switchLanguage},
		{route: "GET /sign-in/oidc", area: public, plain: (*Web).oidcStart},
		{route: "GET /sign-in/callback", name: "signin_refused", title: "Not signed in", area: public, plain: (*Web).oidcCallback},

		{route: "GET /desk/{$}", name: "queue", title: "Review queue", area: desk, nav: true, audit: "/desk/", sess: (*Web).queue},
		{route: "GET /desk/unlocks/{id}", name: "unlock", area: desk, audit: "/desk/unlocks/PGA1:tier-1", needsData: true, sess: (*Web).unlock},
		{route: "POST /desk/unlocks/{id}", area: desk, sess: (*Web).decide},
		{route: "GET /desk/sla", name: "sla", title: "SLA lists", area: desk, nav: true, audit: "/desk/sla", sess: (*Web).sla,
			badge: badgeCounter{count: slaOverdue, what: "overdue"}},
		{route: "GET /desk/tiers", name: "tiers", title: "Tier overview", area: desk, nav: true, audit: "/desk/tiers", sess: (*Web).tiers},
		{route: "GET /desk/packs", name: "packs", title: "Review packs", area: desk, nav: true, audit: "/desk/packs", sess: (*Web).packs},
		{route: "GET /desk/packs/{rid}", area: desk, sess: (*Web).packDownload},
		{route: "GET /desk/contact", name: "desk_contact", title: "To contact", area: desk, nav: true, audit: "/desk/contact", sess: (*Web).deskContact},
		{route: "POST /desk/contact", area: desk, sess: (*Web).recordContact},
		{route: "GET /desk/assistance", name: "desk_assist", title: "Assistance requests", area: desk, nav: true, audit: "/desk/assistance", sess: (*Web).deskAssist},
		{route: "POST /desk/assistance/{id}", area: desk, sess: (*Web).updateAssist},
		{route: "GET /desk/outbox", name: "desk_outbox", title: "Outbox", area: desk, nav: true, audit: "/desk/outbox", sess: (*Web).deskOutbox},

		// A company's person's portal when the company has no publisher profile yet (else to their portal).
		{route: "GET /portal/{$}", name: "no_profile", title: "Your company", area: signedIn, nav: true, audit: "/portal/", sess: (*Web).portalStart},
		{route: "GET /portal/{partner}/{$}", name: "portal_tier", title: "Tier progress", area: portal, nav: true, audit: "/portal/{partner}/", sess: (*Web).portalTier},
		{route: "GET /portal/{partner}/reports", name: "portal_reports", title: "Reports", area: portal, nav: true, audit: "/portal/{partner}/reports", sess: (*Web).portalReports},
		{route: "GET /portal/{partner}/reports/{rid}", area: portal, sess: (*Web).portalDownload},
		{route: "POST /portal/{partner}/reports/{rid}/link", area: portal, sess: (*Web).portalLink},
		{route: "POST /portal/{partner}/reports", area: portal, sess: (*Web).portalLink}, // the form's, so the address shown after is the page's
		{route: "GET /portal/{partner}/attribution", name: "portal_attribution", title: "Attribution", area: portal, nav: true, audit: "/portal/{partner}/attribution", sess: (*Web).portalAttribution},
		{route: "GET /portal/{partner}/rewards", name: "workspace", title: "Rewards", area: portal, nav: true, audit: "/portal/{partner}/rewards", sess: (*Web).workspace},
		{route: "POST /portal/{partner}/rewards/contact", area: portal, sess: (*Web).assignContact},
		{route: "POST /portal/{partner}/rewards/activate", area: portal, sess: (*Web).activate},
		{route: "POST /portal/{partner}/rewards/language", area: portal, sess: (*Web).setCompanyLanguage},
		{route: "GET /portal/{partner}/rewards/assistance", name: "workspace_assist", title: "Technical assistance", area: portal, audit: "/portal/{partner}/rewards/assistance", sess: (*Web).assistPage},
		{route: "POST /portal/{partner}/rewards/assistance", area: portal, sess: (*Web).requestAssistance},

		{route: "GET /people", name: "people", title: "People", area: admins, nav: true, audit: "/people", sess: (*Web).peoplePage},
		{route: "POST /people", area: admins, sess: (*Web).peopleAdd},
		{route: "POST /people/{id}/role", area: admins, sess: (*Web).peopleRole},
		{route: "POST /people/{id}/remove", area: admins, sess: (*Web).peopleRemove},
	}
}

// handler is p's handler behind the check of its area.
func (w *Web) handler(p pageDefinition) http.Handler {
	if p.area == public {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { p.plain(w, rw, r) })
	}
	h := func(rw http.ResponseWriter, r *http.Request, s *session) { p.sess(w, rw, r, s) }
	switch p.area {
	case desk:
		return w.rewards(h)
	case portal:
		return w.partner(h)
	case admins:
		return w.admins(h)
	}
	return w.session(h)
}

// pageTitle is the declared title of the page rendered from template name.
func pageTitle(name string) string {
	for _, p := range pages {
		if p.name == name && p.title != "" {
			return p.title
		}
	}
	return ""
}

// navItem is one entry of the main navigation.
type navItem struct {
	Href, Label string
	Current     bool
	name        string // the page's template (its title's catalog key: portal.title.<name>)
	Badge       int    // how many items need attention there (0 = none)
	BadgeWhat   string // what they are, for the badge's accessible text
	badge       badgeCounter
}

// navFor is the navigation of a session: the desk's pages for the rewards
// team, the partner's portal pages for a partner; current marks the page shown.
func navFor(s *session, current string) []navItem {
	if s == nil {
		return nil
	}
	want := portal
	if s.p.IsRewards() {
		want = desk
	}
	// A company's person whose company has no publisher profile yet has no
	// portal pages to link to (they would be /portal//…): the page that says
	// so, and People for a partner admin.
	noProfile := want == portal && s.p.PartnerID == ""
	if noProfile {
		want = signedIn
	}
	var out []navItem
	for _, p := range pages {
		if !p.nav || (p.area != want && (p.area != admins || !s.p.Admin)) || (p.area == signedIn && !noProfile) {
			continue
		}
		out = append(out, navItem{Href: pagePath(p.route, s.p.PartnerID), Label: p.title, Current: p.name == current, name: p.name,
			badge: p.badge, BadgeWhat: p.badge.what})
	}
	return out
}

// countBadges fills in the badges of nav. A count that fails is logged and
// left out: the page itself still shows.
func (w *Web) countBadges(ctx context.Context, nav []navItem) {
	for i := range nav {
		if nav[i].badge.count == nil {
			continue
		}
		n, err := nav[i].badge.count(ctx, w)
		if err != nil {
			w.log.Error("count for the navigation failed", "page", nav[i].Href, "err", err)
			continue
		}
		nav[i].Badge = n
	}
}

// pagePath turns a route pattern into the path of a link: the method and
// "{$}" dropped, {partner} filled in.
func pagePath(route, partner string) string {
	_, path, _ := strings.Cut(route, " ")
	path = strings.TrimSuffix(path, "{$}")
	return strings.ReplaceAll(path, "{partner}", url.PathEscape(partner))
}

// favicon is the logo, for the browsers that ask /favicon.ico whatever the
// page's <link rel=icon> says.
func (w *Web) favicon(rw http.ResponseWriter, r *http.Request) {
	b, err := staticFS.ReadFile("static/favicon.svg")
	if err != nil {
		w.internal(rw, r, nil, "read favicon", err)
		return
	}
	rw.Header().Set("Content-Type", "image/svg+xml")
	rw.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = rw.Write(b)
}

// static serves the embedded CSS and script, cacheable for an hour.
func (w *Web) static(rw http.ResponseWriter, r *http.Request) {
	sub, _ := fs.Sub(staticFS, "static")
	rw.Header().Set("Cache-Control", "public, max-age=3600")
	http.StripPrefix("/static/", http.FileServerFS(sub)).ServeHTTP(rw, r)
}
