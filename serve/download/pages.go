package download

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/marketplace-insights/insights/serve/auth"
)

// This file is what the browser pages (serve/web) use of the API, so that a
// page lists, downloads and links reports by exactly the API's rules: the same
// visibility rule, the same file serving and the same signed links.

// Tokens is the token store the API checks tokens against (for sign-in).
func (a *API) Tokens() auth.TokenStore { return a.cat }

// Reports lists what p may download, newest first.
func (a *API) Reports(ctx context.Context, p auth.Principal) ([]Report, error) {
	return a.cat.Reports(ctx, p)
}

// VisibleReport returns report id if p may download it, else ErrNotFound.
func (a *API) VisibleReport(ctx context.Context, p auth.Principal, id string) (Report, error) {
	if !reportIDPattern.MatchString(id) {
		return Report{}, ErrNotFound
	}
	return a.cat.VisibleReport(ctx, p, id)
}

// Tier returns the partner's PGA tier status, or ErrNotFound.
func (a *API) Tier(ctx context.Context, partnerID string) (TierStatus, error) {
	return a.cat.Tier(ctx, partnerID)
}

// ServeReport sends a report file as the download API does.
func (a *API) ServeReport(w http.ResponseWriter, r *http.Request, rep Report) error {
	return a.serveFile(w, r, rep)
}

// SignLink returns an expiring download link for rep (the configured link
// lifetime), as POST /v1/reports/{id}/link does.
func (a *API) SignLink(r *http.Request, rep Report) (string, time.Time) {
	return a.link(r, rep, a.cfg.LinkTTL)
}

func (a *API) link(r *http.Request, rep Report, ttl time.Duration) (string, time.Time) {
	exp := a.cfg.Now().Add(ttl).Unix()
	q := url.Values{"exp": {strconv.FormatInt(exp, 10)}, "sig": {auth.SignLink(a.cfg.LinkSecret, rep.ID, exp)}}
	return a.baseURL(r) + "/v1/links/" + rep.ID + "?" + q.Encode(), time.Unix(exp, 0).UTC()
}
