// Package admin is the service's local admin endpoint: a Unix domain socket
// next to the database file through which CLI commands run inside a running
// `insights serve` (which holds the database; DuckDB allows one writing
// process). The protocol is one JSON request per connection (the command line,
// the client's working directory and its resolved configuration), answered by
// a stream of JSON frames: stdout and stderr chunks as they are written, then
// the exit status. The package knows nothing of the commands: the service
// hands it a Handler that runs them.
//
// Only the database's owner may use the socket: it is created with mode 0600
// and, on Linux, the server also checks the connecting process's user id.
package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// SocketSuffix is appended to the database file's path to name its socket.
const SocketSuffix = ".admin.sock"

// SocketMode is the socket file's permission: the owner only.
const SocketMode os.FileMode = 0o600

// maxSocketPath is the longest path a Unix socket address may have (sun_path
// is 108 bytes on Linux, including the terminating NUL).
const maxSocketPath = 107

// SocketPath is the admin socket of the database at dbPath (made absolute, so
// that every client finds the same file whatever its working directory).
func SocketPath(dbPath string) string {
	if abs, err := filepath.Abs(dbPath); err == nil {
		dbPath = abs
	}
	return dbPath + SocketSuffix
}

// Request is one command to run in the service.
type Request struct {
	Args   []string        `json:"args"`   // the command line after the program name
	Cwd    string          `json:"cwd"`    // the client's working directory: relative paths are its
	Config json.RawMessage `json:"config"` // the client's resolved configuration (opaque here)
}

// frame is one message from server to client: a chunk of output, or the end.
type frame struct {
	Stream int    `json:"s,omitempty"` // 1 stdout, 2 stderr
	Data   []byte `json:"d,omitempty"`
	Exit   *int   `json:"exit,omitempty"`
	Error  string `json:"error,omitempty"` // the server could not run the command at all
}

// Handler runs one request, writing its output to stdout and stderr, and
// returns the exit status. ctx ends when the client goes away or the service
// stops.
type Handler func(ctx context.Context, req Request, stdout, stderr io.Writer) int

// Server accepts admin connections on the socket.
type Server struct {
	ln   *net.UnixListener
	path string
	log  *slog.Logger

	mu      sync.Mutex
	closed  bool
	active  sync.WaitGroup
	cancels map[*context.CancelFunc]struct{}
}

// ErrInUse means a live service already answers on the socket.
var ErrInUse = errors.New("another service is answering on the admin socket")

// Listen creates the socket at path with SocketMode, replacing a stale one
// left by a process that died without removing it.
func Listen(path string, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("admin socket %s: the path is %d bytes, longer than the %d a Unix socket allows; move the database to a shorter path", path, len(path), maxSocketPath)
	}
	if _, err := os.Lstat(path); err == nil {
		if Alive(path) {
			return nil, fmt.Errorf("admin socket %s: %w", path, ErrInUse)
		}
		// Nobody answers: the service that made it was killed. Replace it.
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("admin socket %s: remove the stale socket: %w", path, err)
		}
		log.Warn("replaced a stale admin socket (the previous service did not stop cleanly)", "socket", path)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("admin socket %s: %w", path, err)
	}
	// Close removes the file; we remove it ourselves after the in-flight commands.
	ln.SetUnlinkOnClose(false)
	if err := os.Chmod(path, SocketMode); err != nil {
		_ = ln.Close()
		_ = os.Remove(path)
		return nil, fmt.Errorf("admin socket %s: %w", path, err)
	}
	return &Server{ln: ln, path: path, log: log, cancels: map[*context.CancelFunc]struct{}{}}, nil
}

// Path is the socket's path.
func (s *Server) Path() string { return s.path }

// Serve accepts connections and runs each request with h until Shutdown.
func (s *Server) Serve(h Handler) error {
	for {
		conn, err := s.ln.AcceptUnix()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return fmt.Errorf("admin socket: accept: %w", err)
		}
		ctx, cancel, ok := s.enter()
		if !ok {
			_ = conn.Close()
			continue
		}
		go func() {
			defer s.leave(&cancel)
			s.handle(ctx, conn, h)
		}()
	}
}

// enter registers a connection unless the server is shutting down.
func (s *Server) enter() (context.Context, context.CancelFunc, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, nil, false
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancels[&cancel] = struct{}{}
	s.active.Add(1)
	return ctx, cancel, true
}

func (s *Server) leave(cancel *context.CancelFunc) {
	(*cancel)()
	s.mu.Lock()
	delete(s.cancels, cancel)
	s.mu.Unlock()
	s.active.Done()
}

// Shutdown stops accepting, lets running commands finish until ctx ends, then
// cancels them and waits for them to return; it removes the socket file.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	err := s.ln.Close()
	if rerr := os.Remove(s.path); rerr != nil && !errors.Is(rerr, os.ErrNotExist) && err == nil {
		err = rerr
	}
	done := make(chan struct{})
	go func() { s.active.Wait(); close(done) }()
	select {
	case <-done:
		return err
	case <-ctx.Done():
	}
	s.log.Warn("shutdown bound reached; cancelling running admin commands")
	s.mu.Lock()
	for c := range s.cancels {
		(*c)()
	}
	s.mu.Unlock()
	<-done
	return err
}

// handle reads one request, runs it and streams its output back.
func (s *Server) handle(ctx context.Context, conn *net.UnixConn, h Handler) {
	defer conn.Close()
	if err := checkPeer(conn); err != nil {
		s.log.Warn("admin connection refused", "err", err)
		_ = json.NewEncoder(conn).Encode(frame{Error: err.Error()})
		return
	}
	dec := json.NewDecoder(conn)
	var req Request
	if err := dec.Decode(&req); err != nil {
		if errors.Is(err, io.EOF) { // a liveness probe (Alive): connected, sent nothing
			return
		}
		s.log.Warn("bad admin request", "err", err)
		_ = json.NewEncoder(conn).Encode(frame{Error: "bad request: " + err.Error()})
		return
	}
	// The client sends nothing more: a read that returns means it went away
	// (Ctrl-C, killed), and the command is cancelled.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_, _ = io.Copy(io.Discard, io.MultiReader(dec.Buffered(), conn))
		cancel()
	}()
	w := &frameWriter{enc: json.NewEncoder(conn)}
	start := time.Now()
	code := h(ctx, req, w.stream(1), w.stream(2))
	if err := w.write(frame{Exit: &code}); err != nil {
		s.log.Warn("admin client went away before the end of its command", "args", req.Args, "err", err)
	}
	s.log.Info("admin command", "args", req.Args, "exit", code, "duration", time.Since(start).String())
}

// frameWriter serializes frames from the command's two output streams.
type frameWriter struct {
	mu  sync.Mutex
	enc *json.Encoder
	err error
}

func (w *frameWriter) write(f frame) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	w.err = w.enc.Encode(f)
	return w.err
}

type streamWriter struct {
	w      *frameWriter
	stream int
}

func (w *frameWriter) stream(n int) io.Writer { return streamWriter{w: w, stream: n} }

func (s streamWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	// Copy: the caller may reuse p once Write returns, and encoding is done by then,
	// but a frame must never alias a buffer the command keeps writing into.
	if err := s.w.write(frame{Stream: s.stream, Data: append([]byte(nil), p...)}); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Alive reports whether a service answers on the socket at path.
func Alive(path string) bool {
	conn, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return false
	}
	_ = conn.Close()
	return true
}

// Call sends req to the service on the socket at path, copies the command's
// output to stdout and stderr as it arrives, and returns its exit status.
// Cancelling ctx (Ctrl-C) closes the connection, which cancels the command.
func Call(ctx context.Context, path string, req Request, stdout, stderr io.Writer) (int, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return 0, fmt.Errorf("admin socket %s: %w", path, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return 0, fmt.Errorf("admin socket %s: send: %w", path, err)
	}
	dec := json.NewDecoder(conn)
	for {
		var f frame
		if err := dec.Decode(&f); err != nil {
			if ctx.Err() != nil {
				return 0, fmt.Errorf("admin socket: %w", context.Cause(ctx))
			}
			return 0, fmt.Errorf("admin socket %s: the service closed the connection before the command ended: %w", path, err)
		}
		switch {
		case f.Error != "":
			return 0, fmt.Errorf("admin socket %s: %s", path, f.Error)
		case f.Exit != nil:
			return *f.Exit, nil
		case f.Stream == 1:
			if _, err := stdout.Write(f.Data); err != nil {
				return 0, err
			}
		case f.Stream == 2:
			if _, err := stderr.Write(f.Data); err != nil {
				return 0, err
			}
		}
	}
}
