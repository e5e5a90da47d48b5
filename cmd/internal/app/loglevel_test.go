package app

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestDefaultLogLevel: commands log warnings and errors only unless asked;
// the service logs at info, so that scheduled runs keep complete logs.
func TestDefaultLogLevel(t *testing.T) {
	for _, tc := range []struct {
		cmd, flag string
		info      bool
	}{
		{"ingest", "", false},
		{"serve", "", true},
		{"ingest", "info", true},
		{"serve", "warn", false},
	} {
		t.Run(tc.cmd+" "+tc.flag, func(t *testing.T) {
			var errOut bytes.Buffer
			a := &App{ErrOut: &errOut, logLevel: tc.flag, logFormat: "text"}
			if err := a.setupLog(&cobra.Command{Use: tc.cmd}); err != nil {
				t.Fatal(err)
			}
			a.Log.Info("an info line")
			a.Log.Warn("a warning")
			if got := strings.Contains(errOut.String(), "an info line"); got != tc.info {
				t.Errorf("info shown = %v, want %v:\n%s", got, tc.info, errOut.String())
			}
			if !strings.Contains(errOut.String(), "a warning") {
				t.Errorf("warning not shown:\n%s", errOut.String())
			}
		})
	}
	// A whole command without --log-level: its result, no info log lines.
	db := tiersDB(t)
	var out, errOut bytes.Buffer
	if code := Execute(t.Context(), []string{"--db", db, "transform", "--as-of", "2026-02-28"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if errOut.Len() != 0 || !strings.HasPrefix(out.String(), "transform run ") {
		t.Errorf("stdout %q\nstderr %q", out.String(), errOut.String())
	}
}
