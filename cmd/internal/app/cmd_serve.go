package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/cmd/internal/admin"
	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/serve"
	"github.com/marketplace-insights/insights/serve/analytics"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/serve/download"
	smtpmail "github.com/marketplace-insights/insights/serve/mail"
	"github.com/marketplace-insights/insights/serve/web"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

func newServeCmd(a *App) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the scheduled jobs, the partner download API and the web pages in one process",
		Long: `serve owns the database (DuckDB allows one writing process): it runs the jobs on their
[schedules] and answers the download API on [serve] addr until SIGINT or SIGTERM, then stops
accepting, gives the running job and requests shutdown_timeout to finish (cancelling the job
after that) and closes the database last.

While it runs, every other command still works: serve listens on an admin socket next to the
database file (<db>` + admin.SocketSuffix + `, mode 0600: only the database's owner may use it), and a
command that finds the database held by the service runs inside it, with the same output and
exit status. The socket is removed at shutdown; one left by a killed service is replaced.`,
		Example: `  insights serve
  insights serve --addr 127.0.0.1:9090 --config /etc/insights.toml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if addr != "" {
				a.Cfg.Serve.Addr = addr
			}
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", a.Cfg.Serve.Addr)
			if err != nil {
				return fmt.Errorf("serve: %w", err)
			}
			return a.serve(ctx, s, ln, a.scheduledJobs())
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "listen address (default [serve] addr, 127.0.0.1:8080)")
	return cmd
}

// serve runs jobs on their schedules and the API on ln until ctx ends; then it
// shuts both down within shutdown_timeout. The caller closes the store after.
func (a *App) serve(ctx context.Context, store *duckstore.Store, ln net.Listener, jobs []scheduler.Job) error {
	defer ln.Close() // if we fail before serving
	cfg := a.Cfg.Serve
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics, err := scheduler.NewMetrics(reg)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		metrics.Declare(j.Name) // every job's series from the start, at zero
	}
	hist := scheduler.NewDBHistory(store)
	// Runs a crashed or killed process left 'running' are failed now, before
	// catch-up reads the history (they count as not run, so it runs them again).
	interrupted, err := hist.Recover(ctx)
	if err != nil {
		return err
	}
	for _, r := range interrupted {
		a.Log.Warn("run interrupted by the end of its process; marked failed", "run_id", r.ID, "job", r.Job)
	}
	runner := scheduler.NewRunner(a.Cfg.Schedules.policy(), hist, metrics, nil, a.Log)
	sched, err := scheduler.New(jobs, runner, scheduler.Options{CronTZ: a.Cfg.Schedules.CronTZ, CatchUp: a.Cfg.Schedules.CatchUp})
	if err != nil {
		return err
	}
	// Temporary files and manifest rows a killed report run left behind are
	// cleaned before anything is served or run.
	repair, err := reports.RepairManifest(ctx, store, a.Cfg.Reports.Out)
	if err != nil {
		return err
	}
	for _, p := range repair.TempsRemoved {
		a.Log.Warn("removed a temporary file left by an interrupted run", "path", p)
	}
	for _, id := range repair.Fixed {
		a.Log.Warn("report manifest row did not match its file; corrected", "report_id", id)
	}
	db := download.NewDBCatalog(store)
	secret, err := linkSecret(ctx, cfg, db)
	if err != nil {
		return err
	}
	// The API answers tokens and the manifest from memory; a finished job
	// (which may have written reports) refreshes it at once.
	cat := download.NewCachedCatalog(db, a.Log, time.Second)
	if err := cat.Load(ctx); err != nil {
		return err
	}
	runner.OnFinish(func(scheduler.Run) { cat.Invalidate() })
	an, err := a.startAnalytics(store, secret, cat, ln, runner, jobs)
	if err != nil {
		return err
	}
	defer a.stopAnalytics(an, cfg.ShutdownTimeout)
	// Commands run while the service holds the database come in here (cmd/internal/admin).
	adm, err := admin.Listen(admin.SocketPath(store.Path()), a.Log)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	admDone := make(chan error, 1)
	go func() { admDone <- adm.Serve(adminHandler(store, runner, an)) }()
	admStopped := false
	defer func() { // if we fail before serving
		if !admStopped {
			_ = adm.Shutdown(context.WithoutCancel(ctx))
		}
	}()
	oidc, err := a.newOIDC(ctx, store)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv, err := a.httpServer(store, cat, secret, an, reg, oidc)
	if err != nil {
		return err
	}

	httpCtx, stopHTTP := context.WithCancel(ctx)
	defer stopHTTP()
	httpDone := make(chan error, 1)
	go func() { httpDone <- srv.Serve(httpCtx, ln) }()
	sched.Start()
	mailDone := a.startMail(httpCtx, store)
	defer func() { <-mailDone }()
	a.Log.Info("serving", "addr", ln.Addr().String(), "out", a.Cfg.Reports.Out, "admin_socket", adm.Path())
	fmt.Fprintf(a.Out, "insights: serving on http://%s (Ctrl-C to stop)\n", ln.Addr())

	var httpErr error
	httpEnded := false
	select {
	case <-ctx.Done():
	case httpErr = <-httpDone: // the listener failed
		httpEnded = true
	}
	a.Log.Info("shutting down", "bound", cfg.ShutdownTimeout.String())
	stopHTTP() // the HTTP server drains its requests within the same bound, meanwhile
	bound, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	// Admin commands and scheduled jobs finish (or are cancelled) within the same bound.
	admStopped = true
	admErr := make(chan error, 1)
	go func() { admErr <- adm.Shutdown(bound) }()
	schedErr := sched.Stop(bound)
	if !httpEnded {
		httpErr = <-httpDone
	}
	if err := errors.Join(httpErr, schedErr, <-admErr, <-admDone); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	a.Log.Info("stopped")
	return nil
}

// linkSecret is the configured link key, else INSIGHTS_LINK_SECRET, else the
// one generated once and kept in the database (so links survive restarts).
func linkSecret(ctx context.Context, cfg ServeConfig, cat *download.DBCatalog) ([]byte, error) {
	s := cfg.Secret
	if s == "" {
		s = os.Getenv("INSIGHTS_LINK_SECRET")
	}
	if s == "" {
		return cat.LinkSecret(ctx)
	}
	if len(s) < minSecretLen {
		return nil, fmt.Errorf("link secret: %d characters, want at least %d", len(s), minSecretLen)
	}
	return []byte(s), nil
}

// httpServer is every HTTP surface on one router: the download API, the
// analytics API (under /insights/) and the pages, behind the shared middleware.
func (a *App) httpServer(store *duckstore.Store, cat download.Catalog, secret []byte, an *analytics.Service, reg serve.Registry, oidc *auth.OIDC) (*serve.Server, error) {
	cfg := a.Cfg.Serve
	api, err := download.New(download.Config{OutRoot: a.Cfg.Reports.Out, LinkSecret: secret, LinkTTL: cfg.LinkTTL, PublicURL: cfg.PublicURL}, cat, a.Log)
	if err != nil {
		return nil, err
	}
	srv, err := serve.New(serve.Config{
		MaxRequestBytes: cfg.MaxRequestBytes, MaxHeaderBytes: cfg.MaxHeaderBytes,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout, ReadTimeout: cfg.ReadTimeout, WriteTimeout: cfg.WriteTimeout,
		IdleTimeout: cfg.IdleTimeout, ShutdownTimeout: cfg.ShutdownTimeout, Health: api.Health,
	}, reg, a.Log)
	if err != nil {
		return nil, err
	}
	api.Register(srv)
	an.Register(srv)
	web.New(web.Config{SecureCookies: strings.HasPrefix(cfg.PublicURL, "https:"), OIDC: oidc, TokenSignIn: a.Cfg.Web.TokenSignIn, MailConfigured: a.Cfg.SMTP.Configured()}, store, api, a.Log).Register(srv)
	return srv, nil
}

// startMail starts the outbox sender when [smtp] is configured; the channel is
// closed when it has stopped (ctx ended). Without [smtp] the outbox is kept.
func (a *App) startMail(ctx context.Context, store *duckstore.Store) <-chan struct{} {
	done := make(chan struct{})
	if !a.Cfg.SMTP.Configured() {
		a.Log.Info("no [smtp] section: outgoing mail is kept in the outbox, not sent")
		close(done)
		return done
	}
	snd := smtpmail.New(a.Cfg.SMTP.sender(), store, a.Log)
	go func() {
		defer close(done)
		snd.Run(ctx)
	}()
	return done
}
