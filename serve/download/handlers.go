package download

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/serve"
	"github.com/marketplace-insights/insights/serve/auth"
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

// GET /v1/reports
func (a *API) listReports(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	rs, err := a.cat.Reports(r.Context(), p)
	if err != nil {
		return fmt.Errorf("list reports: %w", err)
	}
	serve.WriteJSON(w, http.StatusOK, map[string]any{"reports": viewsOf(rs)})
	return nil
}

// errNoReport is the answer whether a report id is malformed, unknown or
// someone else's.
var errNoReport = serve.Errorf(http.StatusNotFound, "no such report")

// visible finds the {id} report if the caller may see it.
func (a *API) visible(r *http.Request, p auth.Principal) (Report, error) {
	id := r.PathValue("id")
	if !reportIDPattern.MatchString(id) {
		return Report{}, errNoReport
	}
	rep, err := a.cat.VisibleReport(r.Context(), p, id)
	if errors.Is(err, ErrNotFound) {
		return Report{}, errNoReport
	}
	if err != nil {
		return Report{}, fmt.Errorf("find report: %w", err)
	}
	return rep, nil
}

// GET /v1/reports/{id}
func (a *API) download(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	rep, err := a.visible(r, p)
	if err != nil {
		return err
	}
	return a.serveFile(w, r, rep)
}

// minLinkTTL is the shortest link a caller may ask for.
const minLinkTTL = time.Second

// POST /v1/reports/{id}/link, with an optional body {"ttl": "1h"} no longer
// than the configured link TTL.
func (a *API) createLink(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return serve.Errorf(http.StatusRequestEntityTooLarge, "request body too large")
	}
	if err != nil {
		return serve.Errorf(http.StatusBadRequest, "unreadable request body")
	}
	ttl := a.cfg.LinkTTL
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
			return serve.Errorf(http.StatusBadRequest, `body must be {"ttl": "<duration>"} or empty`)
		}
		if req.TTL != "" {
			// Below a second a link would expire before (or as) it is handed
			// out, since expiry is kept in whole seconds: refused, not clamped.
			d, err := time.ParseDuration(req.TTL)
			if err != nil || d < minLinkTTL || d > a.cfg.LinkTTL {
				return serve.Errorf(http.StatusBadRequest, "ttl must be a duration between 1s and %s", a.cfg.LinkTTL)
			}
			ttl = d
		}
	}
	rep, err := a.visible(r, p)
	if err != nil {
		return err
	}
	link, exp := a.link(r, rep, ttl)
	serve.WriteJSON(w, http.StatusCreated, map[string]string{"url": link, "expires_at": exp.Format(time.RFC3339)})
	return nil
}

func (a *API) baseURL(r *http.Request) string {
	if a.cfg.PublicURL != "" {
		return strings.TrimRight(a.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// GET /v1/links/{id}?exp=…&sig=… (no token: the signature is the permission)
func (a *API) linkDownload(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !reportIDPattern.MatchString(id) {
		return errNoReport
	}
	q := r.URL.Query()
	switch err := auth.VerifyLink(a.cfg.LinkSecret, id, q.Get("exp"), q.Get("sig"), a.cfg.Now()); {
	case errors.Is(err, auth.ErrLinkExpired):
		return serve.Errorf(http.StatusGone, "%s", err.Error())
	case err != nil:
		return serve.Errorf(http.StatusForbidden, "%s", err.Error())
	}
	rep, err := a.cat.Report(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		return errNoReport
	}
	if err != nil {
		return fmt.Errorf("find report: %w", err)
	}
	return a.serveFile(w, r, rep)
}

// GET /v1/tier: a partner's PGA tier status; the rewards team's review packs.
func (a *API) tier(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if p.Role == auth.RoleRewards {
		rs, err := a.cat.Reports(r.Context(), p)
		if err != nil {
			return fmt.Errorf("list review packs: %w", err)
		}
		serve.WriteJSON(w, http.StatusOK, map[string]any{"review_packs": viewsOf(rs)})
		return nil
	}
	t, err := a.cat.Tier(r.Context(), p.PartnerID)
	if errors.Is(err, ErrNotFound) {
		return serve.Errorf(http.StatusNotFound, "no tier status for this partner yet")
	}
	if err != nil {
		return fmt.Errorf("tier status: %w", err)
	}
	serve.WriteJSON(w, http.StatusOK, t)
	return nil
}

// serveFile sends a report file as an attachment. http.ServeContent handles
// HEAD, ranges and conditional requests.
func (a *API) serveFile(w http.ResponseWriter, r *http.Request, rep Report) error {
	f, info, err := openUnder(a.cfg.OutRoot, rep.Path)
	if err != nil {
		// The manifest names a file that is missing or unsafe: an operator's
		// problem, logged; for the caller it simply is not there.
		a.log.Error("report file unavailable", "report_id", rep.ID, "err", err)
		return errNoReport
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", contentType(rep.Format))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": safeFilename(rep.Name, rep.Format)}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	if etag := a.etag(rep, f, info); etag != "" {
		h.Set("ETag", `"`+etag+`"`)
	}
	http.ServeContent(w, r, "", info.ModTime(), f)
	return nil
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
func (a *API) etag(rep Report, f *os.File, info fs.FileInfo) string {
	if len(rep.SHA256) == 64 && rep.ModTimeNS != 0 && info.Size() == rep.Size && info.ModTime().UnixNano() == rep.ModTimeNS {
		return rep.SHA256
	}
	key := etagKey{rep.ID, info.Size(), info.ModTime().UnixNano()}
	if sum, ok := a.etags.Load(key); ok {
		return sum.(string)
	}
	h := sha256.New()
	_, err := io.Copy(h, f)
	if _, serr := f.Seek(0, io.SeekStart); err == nil {
		err = serr
	}
	if err != nil {
		a.log.Error("hashing a report file failed; served without ETag", "report_id", rep.ID, "err", err)
		return ""
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if rep.ModTimeNS != 0 || sum != rep.SHA256 {
		a.log.Warn("report file differs from its manifest row; serving the file's own hash",
			"report_id", rep.ID, "manifest_sha256", rep.SHA256, "file_sha256", sum)
	}
	a.etags.Store(key, sum)
	return sum
}
