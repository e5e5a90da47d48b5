// Package mailpit runs a real SMTP server for tests: mailpit
// (github.com/axllent/mailpit), installed as a tool by `make tools` (not a
// dependency of the product), found through $INSIGHTS_MAILPIT (the Makefile
// sets it), else in ~/.cache/insights-tools/bin, else on $PATH. A test that
// cannot find it is skipped with a message saying how to install it.
package mailpit

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Server is a running mailpit.
type Server struct {
	t        testing.TB
	bin, dir string
	SMTPPort int
	httpPort int
	cmd      *exec.Cmd
	extra    []string
}

// Binary finds the mailpit binary; "" when it is not installed.
func Binary() string {
	if p := os.Getenv("INSIGHTS_MAILPIT"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, ".cache", "insights-tools", "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, _ := exec.LookPath("mailpit")
	return p
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Start runs mailpit on free loopback ports with its database in a temporary
// folder (kept across Stop and Start). extra are more mailpit flags.
func Start(t testing.TB, extra ...string) *Server {
	t.Helper()
	bin := Binary()
	if bin == "" {
		t.Skip("mailpit is not installed: run `make tools` (or GOBIN=~/.cache/insights-tools/bin go install github.com/axllent/mailpit@v1.33.1), or set INSIGHTS_MAILPIT")
	}
	s := &Server{t: t, bin: bin, dir: t.TempDir(), SMTPPort: freePort(t), httpPort: freePort(t), extra: extra}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// Restart starts mailpit again after Stop, on the same ports and database.
func (s *Server) Restart() {
	s.t.Helper()
	args := append([]string{"--smtp", "127.0.0.1:" + strconv.Itoa(s.SMTPPort), "--listen", "127.0.0.1:" + strconv.Itoa(s.httpPort),
		"--database", filepath.Join(s.dir, "mailpit.db"), "--quiet"}, s.extra...)
	s.cmd = exec.Command(s.bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = os.Stderr, os.Stderr
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start mailpit: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(s.SMTPPort), time.Second)
		if err == nil {
			c.Close()
			if r, err := http.Get(s.api("/api/v1/messages")); err == nil {
				r.Body.Close()
				if r.StatusCode == http.StatusOK {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatal("mailpit did not start in time")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop stops mailpit (the SMTP server is then down).
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

func (s *Server) api(path string) string {
	return "http://127.0.0.1:" + strconv.Itoa(s.httpPort) + path
}

// Message is a message as mailpit read it.
type Message struct {
	ID      string
	Subject string
	To      []struct{ Name, Address string }
	Text    string
	HTML    string
	Headers map[string][]string
}

func (s *Server) get(path string, v any) {
	s.t.Helper()
	r, err := http.Get(s.api(path))
	if err != nil {
		s.t.Fatalf("mailpit %s: %v", path, err)
	}
	defer r.Body.Close()
	if r.StatusCode != http.StatusOK {
		s.t.Fatalf("mailpit %s: %s", path, r.Status)
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		s.t.Fatalf("mailpit %s: %v", path, err)
	}
}

// Messages returns every message received, whole, oldest first.
func (s *Server) Messages() []Message {
	s.t.Helper()
	var list struct {
		Messages []struct{ ID string }
	}
	s.get("/api/v1/messages", &list)
	out := make([]Message, 0, len(list.Messages))
	for i := len(list.Messages) - 1; i >= 0; i-- { // the API lists newest first
		var m Message
		s.get("/api/v1/message/"+list.Messages[i].ID, &m)
		s.get("/api/v1/message/"+list.Messages[i].ID+"/headers", &m.Headers)
		out = append(out, m)
	}
	return out
}

// Addr is the SMTP address, host:port.
func (s *Server) Addr() string { return fmt.Sprintf("127.0.0.1:%d", s.SMTPPort) }
