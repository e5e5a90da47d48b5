package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/marketplace-insights/insights/i18n"
)

// A session that ended is said on the sign-in page, and signing in again
// returns to the page the person was on.

// ended says why a cookie no longer opens a session, for the sign-in page.
type ended string

const (
	endedIdle    ended = "idle"    // unused longer than the idle limit
	endedMax     ended = "expired" // past the limit since sign-in
	endedRevoked ended = "revoked" // its token was revoked
	endedInvalid ended = "invalid" // no such session: signed out elsewhere, ended, or not a cookie of ours
)

// refererPath is the path of the page a form was sent from, when it is a page
// of this site; "" otherwise.
func refererPath(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host {
		return ""
	}
	return safeNext(ref.RequestURI())
}

// signInNotes is the sign-in page's view for r: where to go after signing in
// (?next=), why the last session ended (?ended=), and the confirmation of a
// sign-out (?signed_out=1).
func (w *Web) signInNotes(r *http.Request, l *i18n.Localizer) signInView {
	q := r.URL.Query()
	v := signInView{Next: safeNext(q.Get("next")), SignedOut: q.Get("signed_out") == "1"}
	switch ended(q.Get("ended")) {
	case endedIdle:
		v.Ended = l.T("portal.signin.ended.idle", map[string]any{"Duration": durationIn(l, w.cfg.SessionIdle)})
	case endedMax:
		v.Ended = l.T("portal.signin.ended.max", map[string]any{"Duration": durationIn(l, w.cfg.SessionMax)})
	case endedRevoked:
		v.Ended = l.T("portal.signin.ended.revoked")
	case endedInvalid:
		v.Ended = l.T("portal.signin.ended.invalid")
	}
	if v.Ended != "" && v.Next != "" {
		v.Ended += " " + l.T("portal.signin.ended.back")
	}
	return v
}

// durationText is a session limit in words: "2 hours", "30 minutes".
func durationText(d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 {
		n := int(d / time.Hour)
		if n == 1 {
			return "1 hour"
		}
		return strconv.Itoa(n) + " hours"
	}
	n := int(d.Round(time.Minute) / time.Minute)
	if n == 1 {
		return "1 minute"
	}
	return strconv.Itoa(n) + " minutes"
}
