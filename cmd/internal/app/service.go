package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/cmd/internal/admin"
	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
	"github.com/marketplace-insights/insights/serve/analytics"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Every command works while `insights serve` runs. The service holds the
// database (DuckDB allows one writing process), so a command that finds the
// service's admin socket next to the database sends its command line there;
// the service runs the same command tree in-process against its open store
// and streams the output and exit status back (cmd/internal/admin).

// serviceContext is what a command running inside the service gets instead of
// opening the database itself.
type serviceContext struct {
	cfg    Config            // the client's resolved configuration
	cwd    string            // the client's working directory: relative paths are its
	store  *duckstore.Store  // the service's store (never closed by the command)
	runner *scheduler.Runner // the service's runner: history, metrics, one run at a time per job
}

// localAnnotation marks a command that never goes to the service.
const localAnnotation = "insights/local"

// local marks cmd as one that runs in the client process even while a service
// runs (it does not use the database, or it is the service).
func local(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[localAnnotation] = "true"
	return cmd
}

// serviceSocket returns the admin socket of a service running on this
// command's database, if there is one and the command should go there.
func (a *App) serviceSocket(cmd *cobra.Command) (string, bool) {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Annotations[localAnnotation] != "" {
			return "", false
		}
	}
	switch cmd.Name() {
	case "help", "completion", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return "", false
	}
	if a.Cfg.Store.Path == ":memory:" {
		return "", false
	}
	sock := admin.SocketPath(a.Cfg.Store.Path)
	if _, err := os.Stat(sock); err != nil {
		return "", false
	}
	// A socket nobody answers was left by a service that was killed: the
	// database is free again and the command opens it itself.
	return sock, admin.Alive(sock)
}

// forward runs this command line in the service and returns its exit status
// as an *ExitError (status 0 included), so that nothing runs here after it.
func (a *App) forward(ctx context.Context, sock string) error {
	cwd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("working directory: %w", err)
	}
	cfg, err := json.Marshal(a.Cfg)
	if err != nil {
		return fmt.Errorf("send the configuration to the service: %w", err)
	}
	a.Log.Debug("the service holds the database; running the command there", "socket", sock)
	code, err := admin.Call(ctx, sock, admin.Request{Args: a.args, Cwd: cwd, Config: cfg}, a.Out, a.ErrOut)
	if err != nil {
		return err
	}
	return &ExitError{Code: code}
}

// adminHandler runs admin requests: the client's command line on a fresh App
// with the client's configuration, the service's store, runner and analytics
// service (so that `insights run analytics-reports` runs on the service's).
func adminHandler(store *duckstore.Store, runner *scheduler.Runner, an *analytics.Service) admin.Handler {
	return func(ctx context.Context, req admin.Request, stdout, stderr io.Writer) int {
		var cfg Config
		if err := json.Unmarshal(req.Config, &cfg); err != nil {
			fmt.Fprintln(stderr, "insights: the service could not read the command's configuration:", err)
			return 1
		}
		if !filepath.IsAbs(req.Cwd) {
			fmt.Fprintf(stderr, "insights: the service needs the command's working directory as an absolute path, got %q\n", req.Cwd)
			return 1
		}
		sub := &App{Out: stdout, ErrOut: stderr, analytics: an,
			svc: &serviceContext{cfg: cfg, cwd: req.Cwd, store: store, runner: runner}}
		return sub.execute(ctx, req.Args)
	}
}

// abs resolves a path the user gave (flag, argument or configuration) for
// file-system access: inside the service, relative to the client's working
// directory; otherwise unchanged.
func (a *App) abs(p string) string {
	if a.svc == nil || p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(a.svc.cwd, p)
}

// shown maps a path under abs(given) back to how the user wrote it, so that
// a command prints the same paths inside the service as outside.
func (a *App) shown(given, p string) string {
	root := a.abs(given)
	if root == given {
		return p
	}
	if p == root {
		return given
	}
	if rest, ok := strings.CutPrefix(p, root+string(filepath.Separator)); ok {
		return filepath.Join(given, rest)
	}
	return p
}

// jobRunner is the runner for `run` and `backfill`: the service's (so that a
// job started by hand is recorded and counted like a scheduled one, and never
// runs twice at once), else a new one on this process's store.
func (a *App) jobRunner(s *duckstore.Store, policy scheduler.Policy) *scheduler.Runner {
	if a.svc != nil && a.svc.runner != nil {
		return a.svc.runner.WithPolicy(policy)
	}
	return scheduler.NewRunner(policy, scheduler.NewDBHistory(s), nil, nil, a.Log)
}
