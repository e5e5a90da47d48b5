package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// reportView is a report as the API shows it (no path on disk).
type reportView struct {
	ID        string    `json:"id"`
	PartnerID string    `json:"partner_id,omitempty"`
	Audience  string    `json:"audience"`
	AsOf      string    `json:"as_of"`
	Period    string    `json:"period"`
	Name      string    `json:"name"`
	Format    string    `json:"format"`
	Size      int64     `json:"size_bytes"`
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"created_at"`
	Download  string    `json:"download"`
}

func viewOf(r Report) reportView {
	v := reportView{ID: r.ID, PartnerID: r.PartnerID, Audience: r.Audience, Period: r.Period, Name: r.Name,
		Format: r.Format, Size: r.Size, SHA256: r.SHA256, CreatedAt: r.CreatedAt.UTC(), Download: "/v1/reports/" + r.ID}
	if !r.AsOf.IsZero() {
		v.AsOf = r.AsOf.Format(time.DateOnly)
	}
	return v
}

func viewsOf(rs []Report) []reportView {
	out := make([]reportView, len(rs))
	for i, r := range rs {
		out[i] = viewOf(r)
	}
	return out
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if err := s.cat.Ping(r.Context()); err != nil {
		s.log.Error("health check failed", "err", err)
		writeError(w, http.StatusServiceUnavailable, "database unavailable")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// GET /v1/reports
func (s *Server) listReports(w http.ResponseWriter, r *http.Request, p Principal) {
	rs, err := s.cat.Reports(r.Context(), p)
	if err != nil {
		s.internalError(w, r, "list reports", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"reports": viewsOf(rs)})
}

// visible finds the {id} report if the caller may see it; it has answered
// (404 whether the id is malformed, unknown or someone else's) when ok is false.
func (s *Server) visible(w http.ResponseWriter, r *http.Request, p Principal) (Report, bool) {
	id := r.PathValue("id")
	if !reportIDPattern.MatchString(id) {
		writeError(w, http.StatusNotFound, "no such report")
		return Report{}, false
	}
	rep, err := s.cat.VisibleReport(r.Context(), p, id)
	if errors.Is(err, ErrNotFound) {
		writeError(w, http.StatusNotFound, "no such report")
		return Report{}, false
	}
	if err != nil {
		s.internalError(w, r, "find report", err)
		return Report{}, false
	}
	return rep, true
}

// GET /v1/reports/{id}
func (s *Server) download(w http.ResponseWriter, r *http.Request, p Principal) {
	if rep, ok := s.visible(w, r, p); ok {
		s.serveFile(w, r, rep)
	}
}

// minLinkTTL is the shortest link a caller may ask for.
const minLinkTTL = time.Second

// POST /v1/reports/{id}/link, with an optional body {"ttl": "1h"} no longer
// than the configured link TTL.
func (s *Server) createLink(w http.ResponseWriter, r *http.Request, p Principal) {
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, "request body too large")
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "unreadable request body")
		return
	}
	ttl := s.cfg.LinkTTL
	if len(bytes.TrimSpace(body)) > 0 {
		var req struct {
			TTL string `json:"ttl"`
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		err := dec.Decode(&req)
		if err == nil {
			// One JSON value and nothing after it: trailing garbage is a
			// malformed request, not something to ignore.
			if _, terr := dec.Token(); terr != io.EOF {
				err = errors.New("trailing data after the JSON body")
			}
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, `body must be {"ttl": "<duration>"} or empty`)
			return
		}
		if req.TTL != "" {
			// Below a second a link would expire before (or as) it is handed
			// out, since expiry is kept in whole seconds: refused, not clamped.
			d, err := time.ParseDuration(req.TTL)
			if err != nil || d < minLinkTTL || d > s.cfg.LinkTTL {
				writeError(w, http.StatusBadRequest, "ttl must be a duration between 1s and "+s.cfg.LinkTTL.String())
				return
			}
			ttl = d
		}
	}
	rep, ok := s.visible(w, r, p)
	if !ok {
		return
	}
	exp := s.cfg.Now().Add(ttl).Unix()
	q := url.Values{"exp": {strconv.FormatInt(exp, 10)}, "sig": {linkSignature(s.cfg.LinkSecret, rep.ID, exp)}}
	writeJSON(w, http.StatusCreated, map[string]string{
		"url":        s.baseURL(r) + "/v1/links/" + rep.ID + "?" + q.Encode(),
		"expires_at": time.Unix(exp, 0).UTC().Format(time.RFC3339),
	})
}

func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// GET /v1/links/{id}?exp=…&sig=… (no token: the signature is the permission)
func (s *Server) linkDownload(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !reportIDPattern.MatchString(id) {
		writeError(w, http.StatusNotFound, "no such report")
		return
	}
	q := r.URL.Query()
	switch err := verifyLink(s.cfg.LinkSecret, id, q.Get("exp"), q.Get("sig"), s.cfg.Now()); {
	case errors.Is(err, errLinkExpired):
		writeError(w, http.StatusGone, err.Error())
		return
	case err != nil:
		writeError(w, http.StatusForbidden, err.Error())
		return
	}
	rep, err := s.cat.Report(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		writeError(w, http.StatusNotFound, "no such report")
		return
	}
	if err != nil {
		s.internalError(w, r, "find report", err)
		return
	}
	s.serveFile(w, r, rep)
}

// GET /v1/tier: a partner's PGA tier status; the rewards team's review packs.
func (s *Server) tier(w http.ResponseWriter, r *http.Request, p Principal) {
	if p.Role == RoleRewards {
		rs, err := s.cat.Reports(r.Context(), p)
		if err != nil {
			s.internalError(w, r, "list review packs", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"review_packs": viewsOf(rs)})
		return
	}
	t, err := s.cat.Tier(r.Context(), p.PartnerID)
	if errors.Is(err, ErrNotFound) {
		writeError(w, http.StatusNotFound, "no tier status for this partner yet")
		return
	}
	if err != nil {
		s.internalError(w, r, "tier status", err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// serveFile sends a report file as an attachment. http.ServeContent handles
// HEAD, ranges and conditional requests.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rep Report) {
	f, info, err := openUnder(s.cfg.OutRoot, rep.Path)
	if err != nil {
		// The manifest names a file that is missing or unsafe: an operator's
		// problem, logged; for the caller it simply is not there.
		s.log.Error("report file unavailable", "report_id", rep.ID, "err", err)
		writeError(w, http.StatusNotFound, "no such report")
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", contentType(rep.Format))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": safeFilename(rep.Name, rep.Format)}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	if etag := s.etag(rep, f, info); etag != "" {
		h.Set("ETag", `"`+etag+`"`)
	}
	http.ServeContent(w, r, "", info.ModTime(), f)
}

// etagKey is one version of a report file: its size and modification time.
type etagKey struct {
	id          string
	size, mtime int64
}

// etag is the SHA-256 of the bytes about to be served from f. The manifest's
// hash is used when the file is the one it describes (same size and
// modification time); otherwise, as after a run killed between writing a
// file and recording it, the open file itself is hashed once per version, so
// an ETag never names other bytes and a stale If-None-Match never gets 304.
func (s *Server) etag(rep Report, f *os.File, info fs.FileInfo) string {
	if len(rep.SHA256) == 64 && rep.ModTimeNS != 0 && info.Size() == rep.Size && info.ModTime().UnixNano() == rep.ModTimeNS {
		return rep.SHA256
	}
	key := etagKey{rep.ID, info.Size(), info.ModTime().UnixNano()}
	if sum, ok := s.etags.Load(key); ok {
		return sum.(string)
	}
	h := sha256.New()
	_, err := io.Copy(h, f)
	if _, serr := f.Seek(0, io.SeekStart); err == nil {
		err = serr
	}
	if err != nil {
		s.log.Error("hashing a report file failed; served without ETag", "report_id", rep.ID, "err", err)
		return ""
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if rep.ModTimeNS != 0 || sum != rep.SHA256 {
		s.log.Warn("report file differs from its manifest row; serving the file's own hash",
			"report_id", rep.ID, "manifest_sha256", rep.SHA256, "file_sha256", sum)
	}
	s.etags.Store(key, sum)
	return sum
}

func (s *Server) internalError(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error(what+" failed", "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "internal error")
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the status is sent; a failed write is the client's loss
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
