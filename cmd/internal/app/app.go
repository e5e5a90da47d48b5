// Package app wires the insights commands: configuration, logging, the store
// and one cobra command per job. Command files register themselves in init so
// that adding a command touches one file.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/reports/analytics"
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
	analytics  *analytics.Service // serve's analytics API, which its scheduled job runs on
}

// commandFactories is filled by init functions of the cmd_*.go files.
var commandFactories []func(*App) *cobra.Command

func register(f func(*App) *cobra.Command) { commandFactories = append(commandFactories, f) }

// Execute runs the CLI with args and returns the process exit code.
func Execute(ctx context.Context, args []string, out, errOut io.Writer) int {
	a := &App{Out: out, ErrOut: errOut}
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
			return a.setup(cmd)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.configPath, "config", "", "configuration file (TOML); env INSIGHTS_CONFIG; default ./insights.toml if present")
	pf.String("db", "", "database file; env INSIGHTS_DB (default ./data/insights.duckdb)")
	pf.Int("threads", 0, "DuckDB threads (default 2)")
	pf.String("memory-limit", "", "DuckDB memory limit, e.g. 4GB")
	pf.StringVar(&a.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	pf.StringVar(&a.logFormat, "log-format", "text", "log format: text or json")

	cmds := make([]*cobra.Command, 0, len(commandFactories))
	for _, f := range commandFactories {
		cmds = append(cmds, f(a))
	}
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name() < cmds[j].Name() })
	root.AddCommand(cmds...)
	return root
}

// setup loads configuration (file, then env, then flags) and builds the logger.
func (a *App) setup(cmd *cobra.Command) error {
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
	a.Cfg = cfg

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
func (a *App) Store(ctx context.Context) (*duckstore.Store, error) {
	if a.store != nil {
		return a.store, nil
	}
	s, err := duckstore.Open(ctx, a.Cfg.Store.duckstore(false), a.Log)
	if err != nil {
		return nil, err
	}
	a.store = s
	return s, nil
}

// ReadOnlyStore opens the configured database for reading only.
func (a *App) ReadOnlyStore(ctx context.Context) (*duckstore.Store, error) {
	if a.store != nil {
		return a.store, nil
	}
	s, err := duckstore.Open(ctx, a.Cfg.Store.duckstore(true), a.Log)
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
