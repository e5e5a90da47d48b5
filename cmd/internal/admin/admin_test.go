package admin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// shortDir is a temp dir with a short path: socket paths are limited to 107 bytes.
func shortDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "adm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(d) })
	return d
}

func start(t *testing.T, path string, h Handler) *Server {
	t.Helper()
	s, err := Listen(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(h) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return s
}

func TestCallRunsTheCommandAndStreamsItsOutput(t *testing.T) {
	path := SocketPath(filepath.Join(shortDir(t), "db.duckdb"))
	start(t, path, func(ctx context.Context, req Request, stdout, stderr io.Writer) int {
		fmt.Fprintf(stdout, "args=%s cwd=%s config=%s\n", strings.Join(req.Args, " "), req.Cwd, req.Config)
		fmt.Fprintln(stderr, "a warning")
		fmt.Fprintln(stdout, "second line")
		return 3
	})
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != SocketMode {
		t.Errorf("socket mode = %v, want a socket with %v", fi.Mode(), SocketMode)
	}
	var out, errOut bytes.Buffer
	code, err := Call(context.Background(), path, Request{Args: []string{"runs", "--limit", "1"}, Cwd: "/w", Config: []byte(`{"a":1}`)}, &out, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	if code != 3 {
		t.Errorf("exit = %d, want 3", code)
	}
	if want := "args=runs --limit 1 cwd=/w config={\"a\":1}\nsecond line\n"; out.String() != want {
		t.Errorf("stdout %q, want %q", out.String(), want)
	}
	if errOut.String() != "a warning\n" {
		t.Errorf("stderr %q", errOut.String())
	}
}

func TestStaleSocketIsReplacedAndALiveOneIsNot(t *testing.T) {
	dir := shortDir(t)
	path := SocketPath(filepath.Join(dir, "db.duckdb"))
	// A socket file nobody answers: what a killed service leaves behind.
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	_ = ln.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("stale socket not left behind: %v", err)
	}
	if Alive(path) {
		t.Fatal("a stale socket reported alive")
	}
	s := start(t, path, func(context.Context, Request, io.Writer, io.Writer) int { return 0 })
	if !Alive(path) {
		t.Fatal("the new service does not answer")
	}
	if _, err := Listen(path, nil); !errors.Is(err, ErrInUse) {
		t.Fatalf("second Listen on a live socket: %v, want ErrInUse", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket still there after shutdown: %v", err)
	}
}

func TestClientGoingAwayCancelsTheCommand(t *testing.T) {
	path := SocketPath(filepath.Join(shortDir(t), "db.duckdb"))
	started, cancelled := make(chan struct{}), make(chan struct{})
	start(t, path, func(ctx context.Context, _ Request, stdout, _ io.Writer) int {
		close(started)
		<-ctx.Done()
		close(cancelled)
		return 1
	})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := Call(ctx, path, Request{Args: []string{"run"}}, io.Discard, io.Discard)
		errc <- err
	}()
	<-started
	cancel()
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the command was not cancelled when the client went away")
	}
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("Call: %v, want context.Canceled", err)
	}
}

func TestShutdownWaitsThenCancels(t *testing.T) {
	path := SocketPath(filepath.Join(shortDir(t), "db.duckdb"))
	s, err := Listen(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	go func() {
		_ = s.Serve(func(ctx context.Context, _ Request, stdout, _ io.Writer) int {
			close(started)
			<-ctx.Done()
			fmt.Fprintln(stdout, "cancelled")
			return 130
		})
	}()
	type result struct {
		code int
		out  string
		err  error
	}
	res := make(chan result, 1)
	go func() {
		var out bytes.Buffer
		code, err := Call(context.Background(), path, Request{}, &out, io.Discard)
		res <- result{code, out.String(), err}
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	r := <-res
	if r.err != nil || r.code != 130 || r.out != "cancelled\n" {
		t.Errorf("a command cut short by shutdown: %+v", r)
	}
}

func TestListenRefusesTooLongAPath(t *testing.T) {
	_, err := Listen("/"+strings.Repeat("x", 120)+SocketSuffix, nil)
	if err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("err = %v", err)
	}
}
