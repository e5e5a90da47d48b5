// Package app is the insights program: configuration (config*.go), logging,
// the store, one cobra command per file (cmd_*.go, listed once in commands,
// app.go), the jobs (jobs*.go, analytics.go: each a scheduler.Job, run by the
// batch, the scheduler, `run` and `backfill`), and `insights serve`, which
// puts the serve/ surfaces on one router beside the scheduler and the admin
// socket (cmd_serve.go, service.go). Commands stay thin: they parse flags
// (dates with dateFlag, flags.go), call the domain packages and print with
// the shared helpers of output.go.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/serve/analytics"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// App is what every command gets: configuration, a logger, output streams and
// a lazily opened store.
type App struct {
	Cfg    Config
	Log    *slog.Logger
	Out    io.Writer
	ErrOut io.Writer

	configPath string
	logLevel   string
	logFormat  string
	store      *duckstore.Store

	args      []string           // the command line, sent as is to a running service
	svc       *serviceContext    // set when the command runs inside the service for an admin client
	analytics *analytics.Service // serve's analytics API, which its scheduled job runs on
}

// commands is every command of the CLI, in the order `insights help` lists
// them. Each is built by its cmd_*.go file; local marks the ones that never run
// inside a running service (service.go).
func (a *App) commands() []*cobra.Command {
	return []*cobra.Command{
		newAssistCmd(a),
		newAttributionCmd(a),
		newBackfillCmd(a),
		newBenefitsCmd(a),
		newContactedCmd(a),
		newCompanyCmd(a),
		newContactsCmd(a),
		local(newGenCmd(a)),
		newIngestCmd(a),
		newOutboxCmd(a),
		newReportCmd(a),
		newReviewCmd(a),
		newReviewPackCmd(a),
		newRunCmd(a),
		newRunsCmd(a),
		local(newServeCmd(a)),
		newSQLCmd(a),
		newTiersCmd(a),
		newTokensCmd(a),
		newPeopleCmd(a),
		newTransformCmd(a),
		newUnlocksCmd(a),
		local(newVersionCmd(a)),
	}
}

// Execute runs the CLI with args and returns the process exit code.
func Execute(ctx context.Context, args []string, out, errOut io.Writer) int {
	a := &App{Out: out, ErrOut: errOut}
	return a.execute(ctx, args)
}

// execute runs one command line on a (a fresh App each time).
func (a *App) execute(ctx context.Context, args []string) int {
	out, errOut := a.Out, a.ErrOut
	a.args = args
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(out)
	root.SetErr(errOut)
	err := root.ExecuteContext(ctx)
	if cerr := a.closeStore(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil {
		var ee *ExitError
		if errors.As(err, &ee) {
			if ee.Err != nil {
				fmt.Fprintln(errOut, "insights:", ee.Err)
			}
			return ee.Code
		}
		fmt.Fprintln(errOut, "insights:", err)
		return 1
	}
	return 0
}

// ExitError carries a specific exit code (for example ingest's "some file
// could not be read" after everything else loaded).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}
func (e *ExitError) Unwrap() error { return e.Err }

func (a *App) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "insights",
		Short:         "Marketplace Insights: ingest marketplace data, attribute it, compute tiers, publish reports",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.HasParent() { // `insights` or `insights --version`: no configuration needed
				return nil
			}
			return a.setup(cmd)
		},
	}
	showVersion := root.Flags().Bool("version", false, "print the version and exit (see `insights version`)")
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		if *showVersion {
			return versionInfo(cmd.Context()).print(a.Out)
		}
		return cmd.Help()
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.configPath, "config", "", "configuration file (TOML); env INSIGHTS_CONFIG; default ./insights.toml if present")
	pf.String("db", "", "database file; env INSIGHTS_DB (default ./data/insights.duckdb)")
	pf.Int("threads", 0, "DuckDB threads (default 2)")
	pf.String("memory-limit", "", "DuckDB memory limit, e.g. 4GB")
	pf.StringVar(&a.logLevel, "log-level", "", "log level: debug, info, warn, error (default warn; info for serve, whose scheduled runs log in full)")
	pf.StringVar(&a.logFormat, "log-format", "text", "log format: text or json")

	root.AddCommand(a.commands()...)
	return root
}

// setup loads configuration (file, then env, then flags) and builds the logger.
// When a running service holds the database, it hands the command to it over
// the admin socket (see forward) and returns the command's exit status.
func (a *App) setup(cmd *cobra.Command) error {
	if a.svc != nil {
		// Inside the service: the client resolved its configuration already.
		a.Cfg = a.svc.cfg
		if err := a.setupLog(cmd); err != nil {
			return err
		}
		return checkFormatFlag(cmd)
	}
	path := a.configPath
	if path == "" {
		path = os.Getenv("INSIGHTS_CONFIG")
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		return err
	}
	if v := os.Getenv("INSIGHTS_DB"); v != "" {
		cfg.Store.Path = v
	}
	flags := cmd.Flags()
	if f := flags.Lookup("db"); f != nil && f.Changed {
		cfg.Store.Path = f.Value.String()
	}
	if f := flags.Lookup("threads"); f != nil && f.Changed {
		if n, err := flags.GetInt("threads"); err == nil {
			cfg.Store.Threads = n
		}
	}
	if f := flags.Lookup("memory-limit"); f != nil && f.Changed {
		cfg.Store.MemoryLimit = f.Value.String()
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if err := checkFormatFlag(cmd); err != nil {
		return err
	}
	a.Cfg = cfg
	if err := a.setupLog(cmd); err != nil {
		return err
	}
	if sock, ok := a.serviceSocket(cmd); ok {
		return a.forward(cmd.Context(), sock)
	}
	return nil
}

// setupLog builds the logger from --log-level and --log-format. Without
// --log-level a command logs warnings and errors only, so that its results
// are not drowned on a terminal; the service logs at info: its scheduled runs
// keep complete structured logs.
func (a *App) setupLog(cmd *cobra.Command) error {
	if a.logLevel == "" {
		a.logLevel = "warn"
		if cmd.Name() == "serve" {
			a.logLevel = "info"
		}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(a.logLevel)); err != nil {
		return fmt.Errorf("--log-level %q: want debug, info, warn or error", a.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(a.logFormat) {
	case "text":
		a.Log = slog.New(slog.NewTextHandler(a.ErrOut, opts))
	case "json":
		a.Log = slog.New(slog.NewJSONHandler(a.ErrOut, opts))
	default:
		return fmt.Errorf("--log-format %q: want text or json", a.logFormat)
	}
	return nil
}

// Store opens the configured database (read-write, migrated) on first use.
func (a *App) Store(ctx context.Context) (*duckstore.Store, error) { return a.openStore(ctx, false) }

// ReadOnlyStore opens the configured database for reading only. Inside the
// service it is the service's store: listings run fixed queries, and `sql`
// keeps to one read-only statement (duckstore.QueryReadOnly).
func (a *App) ReadOnlyStore(ctx context.Context) (*duckstore.Store, error) {
	return a.openStore(ctx, true)
}

// openStore is the service's store inside the service, else the store this
// command opened first (one per process, however it was opened), else a new one.
func (a *App) openStore(ctx context.Context, readOnly bool) (*duckstore.Store, error) {
	if a.svc != nil {
		return a.svc.store, nil
	}
	if a.store != nil {
		return a.store, nil
	}
	s, err := duckstore.Open(ctx, a.Cfg.Store.duckstore(readOnly), a.Log)
	if err != nil {
		return nil, err
	}
	a.store = s
	return s, nil
}

func (a *App) closeStore() error {
	if a.store == nil {
		return nil
	}
	err := a.store.Close()
	a.store = nil
	return err
}

// isTerminal reports whether w is an interactive terminal (progress bars go there).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
