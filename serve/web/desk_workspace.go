package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/rewards"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// The review desk's side of the rewards workspace: the "to contact" queue
// (activations not yet contacted, overdue first, due = activation + 7 days)
// with the record-contact form, technical assistance requests by status, and
// the outbox. Only the rewards team reaches these (area desk).

type deskContactView struct {
	Now      time.Time
	Rows     []rewards.OpenActivation
	Overdue  int
	By       string
	Error    string
	ErrorFor int64
	Recorded int64
}

// GET /desk/contact
func (w *Web) deskContact(rw http.ResponseWriter, r *http.Request, s *session) {
	recorded, _ := strconv.ParseInt(r.URL.Query().Get("recorded"), 10, 64)
	w.showDeskContact(rw, r, s, http.StatusOK, deskContactView{Recorded: recorded, By: w.sessions.reviewer(s)})
}

func (w *Web) showDeskContact(rw http.ResponseWriter, r *http.Request, s *session, code int, v deskContactView) {
	v.Now = w.cfg.Now().UTC()
	rows, err := rewards.ToContact(r.Context(), w.store, v.Now)
	if err != nil {
		w.internal(rw, r, s, "read the activations to contact", err)
		return
	}
	v.Rows = rows
	for _, a := range rows {
		if a.Overdue() {
			v.Overdue++
		}
	}
	// Overdue first (most overdue first), then by due date: ToContact's order
	// is by activation, which is the due date's order too.
	w.render(rw, r, s, code, "desk_contact", v)
}

// POST /desk/contact: record that the team reached the company about an activation.
func (w *Web) recordContact(rw http.ResponseWriter, r *http.Request, s *session) {
	id, _ := strconv.ParseInt(r.PostFormValue("activation"), 10, 64)
	by := strings.TrimSpace(r.PostFormValue("by"))
	in := rewards.ContactRecord{ActivationID: id, By: by, Note: r.PostFormValue("note"), At: w.cfg.Now()}
	if at := strings.TrimSpace(r.PostFormValue("at")); at != "" {
		t, err := time.Parse("2006-01-02T15:04", at)
		if err != nil {
			w.showDeskContact(rw, r, s, http.StatusUnprocessableEntity, deskContactView{By: by, ErrorFor: id,
				Error: "When: write the date and time as YYYY-MM-DDTHH:MM (UTC)."})
			return
		}
		in.At = t
	}
	rid, err := rewards.RecordContact(r.Context(), w.store, in)
	var fe rewards.FieldErrors
	switch {
	case err == nil:
		if err := w.sessions.remember(r.Context(), s, by); err != nil {
			w.internal(rw, r, s, "remember the reviewer", err)
			return
		}
		http.Redirect(rw, r, "/desk/contact?recorded="+strconv.FormatInt(rid, 10), http.StatusSeeOther)
	case errors.As(err, &fe):
		w.showDeskContact(rw, r, s, http.StatusUnprocessableEntity, deskContactView{By: by, ErrorFor: id, Error: fe.Error()})
	case errors.Is(err, rewards.ErrUnknownActivation):
		w.fail(rw, r, s, http.StatusNotFound, "no such activation")
	default:
		w.internal(rw, r, s, "record a contact", err)
	}
}

type deskAssistView struct {
	Status   string
	Statuses []string
	Rows     []rewards.AssistRequest
	By       string
	Error    string
	ErrorFor int64
	Updated  int64
}

// GET /desk/assistance
func (w *Web) deskAssist(rw http.ResponseWriter, r *http.Request, s *session) {
	updated, _ := strconv.ParseInt(r.URL.Query().Get("updated"), 10, 64)
	w.showDeskAssist(rw, r, s, http.StatusOK, deskAssistView{Status: r.URL.Query().Get("status"), Updated: updated, By: w.sessions.reviewer(s)})
}

func (w *Web) showDeskAssist(rw http.ResponseWriter, r *http.Request, s *session, code int, v deskAssistView) {
	v.Statuses = rewards.Statuses
	status := v.Status
	if !containsString(rewards.Statuses, status) {
		status, v.Status = "", ""
	}
	rows, err := rewards.AssistRequests(r.Context(), w.store, "", status)
	if err != nil {
		w.internal(rw, r, s, "read the assistance requests", err)
		return
	}
	v.Rows = rows
	w.render(rw, r, s, code, "desk_assist", v)
}

func containsString(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// POST /desk/assistance/{id}: move a request, with a note.
func (w *Web) updateAssist(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		w.fail(rw, r, s, http.StatusNotFound, "no such request")
		return
	}
	by := strings.TrimSpace(r.PostFormValue("by"))
	err = rewards.UpdateAssistance(r.Context(), w.store, id, r.PostFormValue("status"), r.PostFormValue("note"), by)
	var fe rewards.FieldErrors
	switch {
	case err == nil:
		if err := w.sessions.remember(r.Context(), s, by); err != nil {
			w.internal(rw, r, s, "remember the reviewer", err)
			return
		}
		http.Redirect(rw, r, "/desk/assistance?updated="+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case errors.As(err, &fe):
		w.showDeskAssist(rw, r, s, http.StatusUnprocessableEntity, deskAssistView{By: by, ErrorFor: id, Error: fe.Error()})
	case errors.Is(err, rewards.ErrUnknownRequest):
		w.fail(rw, r, s, http.StatusNotFound, "no such request")
	default:
		w.internal(rw, r, s, "update an assistance request", err)
	}
}

type deskOutboxView struct {
	Table      duckstore.Table
	Configured bool
	Failed     int
	Waiting    int
}

// GET /desk/outbox
func (w *Web) deskOutbox(rw http.ResponseWriter, r *http.Request, s *session) {
	t, err := rewards.Outbox(r.Context(), w.store)
	if err != nil {
		w.internal(rw, r, s, "read the outbox", err)
		return
	}
	v := deskOutboxView{Table: t, Configured: w.cfg.MailConfigured}
	for _, row := range t.Rows {
		switch row[7] {
		case "failed":
			v.Failed++
		case "queued", "sending":
			v.Waiting++
		}
	}
	w.render(rw, r, s, http.StatusOK, "desk_outbox", v)
}
