package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// This file is what the browser pages (reports/web) use of the API, so that a
// page signs in, lists, downloads and links reports by exactly the API's rules:
// the same token check, the same visibility rule, the same file serving and the
// same signed links. The pages are mounted on the API's mux (Config.Pages), so
// they also share its access log, metrics and request size limit.

// IsUnauthenticated reports whether err is the API's "invalid or missing token".
func IsUnauthenticated(err error) bool { return errors.Is(err, errUnauthenticated) }

// CheckToken checks a token as a bearer token would be checked.
func (s *Server) CheckToken(ctx context.Context, token string) (Principal, error) {
	r := &http.Request{Header: http.Header{"Authorization": {"Bearer " + token}}}
	return s.authenticate(ctx, r)
}

// TokenActive reports whether the token with this public id exists and is not
// revoked (a session made from it ends when it is not).
func (s *Server) TokenActive(ctx context.Context, tokenID string) (bool, error) {
	t, err := s.cat.Token(ctx, tokenID)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !t.Revoked, nil
}

// Reports lists what p may download, newest first.
func (s *Server) Reports(ctx context.Context, p Principal) ([]Report, error) {
	return s.cat.Reports(ctx, p)
}

// VisibleReport returns report id if p may download it, else ErrNotFound.
func (s *Server) VisibleReport(ctx context.Context, p Principal, id string) (Report, error) {
	if !reportIDPattern.MatchString(id) {
		return Report{}, ErrNotFound
	}
	return s.cat.VisibleReport(ctx, p, id)
}

// Tier returns the partner's PGA tier status, or ErrNotFound.
func (s *Server) Tier(ctx context.Context, partnerID string) (TierStatus, error) {
	return s.cat.Tier(ctx, partnerID)
}

// ServeReport sends a report file as the download API does.
func (s *Server) ServeReport(w http.ResponseWriter, r *http.Request, rep Report) {
	s.serveFile(w, r, rep)
}

// SignLink returns an expiring download link for rep (the configured link
// lifetime), as POST /v1/reports/{id}/link does.
func (s *Server) SignLink(r *http.Request, rep Report) (string, time.Time) {
	exp := s.cfg.Now().Add(s.cfg.LinkTTL).Unix()
	q := url.Values{"exp": {strconv.FormatInt(exp, 10)}, "sig": {linkSignature(s.cfg.LinkSecret, rep.ID, exp)}}
	return s.baseURL(r) + "/v1/links/" + rep.ID + "?" + q.Encode(), time.Unix(exp, 0).UTC()
}

// NoteToken puts the public id of the caller's token in the access log line.
func NoteToken(r *http.Request, tokenID string) {
	if info := requestInfoFrom(r.Context()); info != nil {
		info.tokenID = tokenID
	}
}

// WriteError answers {"error": msg} with the API's headers.
func WriteError(w http.ResponseWriter, code int, msg string) { writeError(w, code, msg) }
