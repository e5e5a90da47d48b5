package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
)

// Handlers of every surface return an error instead of writing one; an
// adapter writes it in the surface's shape. An *Error carries the status and
// the message a client may read; any other error is logged and answered as a
// 500 "internal error", so no internal detail reaches a client.

// Error is an error answer: its status and the message a client may read.
type Error struct {
	Status int
	Msg    string
	Err    error // the cause, logged; never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf is an *Error with a formatted client message.
func Errorf(status int, format string, args ...any) *Error {
	return &Error{Status: status, Msg: fmt.Sprintf(format, args...)}
}

// HandlerFunc is a handler that returns its error to its adapter.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ErrorWriter writes one error answer in a surface's shape.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, status int, msg string)

// Adapt is h with its errors written by write: an *Error as it says, anything
// else logged with the request's path and answered 500 "internal error".
func Adapt(log *slog.Logger, write ErrorWriter, h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		status, msg := Status(err)
		if status >= http.StatusInternalServerError {
			log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		write(w, r, status, msg)
	})
}

// Status is the status and client message of err: an *Error's own, else 500.
func Status(err error) (int, string) {
	var e *Error
	if errors.As(err, &e) {
		return e.Status, e.Msg
	}
	return http.StatusInternalServerError, "internal error"
}

// JSON adapts h to the JSON shape: {"error": "..."}.
func JSON(log *slog.Logger, h HandlerFunc) http.Handler {
	return Adapt(log, func(w http.ResponseWriter, _ *http.Request, status int, msg string) {
		WriteError(w, status, msg)
	}, h)
}

// WriteJSON answers v as indented JSON, never cached.
func WriteJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the status is sent; a failed write is the client's loss
}

// WriteError answers {"error": msg}, or the registered error page to a
// browser (SetErrorPage).
func WriteError(w http.ResponseWriter, code int, msg string) {
	if p := errorPageOf(w); p != nil && p.writeErrorPage(code, msg) {
		return
	}
	WriteJSON(w, code, map[string]string{"error": msg})
}
