package app

import (
	"context"
	"net"
	"time"

	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
	"github.com/marketplace-insights/insights/serve/analytics"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/serve/download"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// analyticsJobName is the job that runs partners' scheduled reports
// (serve/analytics): every few minutes it starts the executions that are
// due, runs pending ones and retries callbacks.
const analyticsJobName = "analytics-reports"

func (a *App) analyticsJob() scheduler.Job {
	return scheduler.Job{Name: analyticsJobName, QuietWhenIdle: true, Run: func(ctx context.Context, _ time.Time) (int64, error) {
		if a.analytics != nil { // inside serve
			return a.analytics.RunDue(ctx)
		}
		// `insights run analytics-reports` outside serve: a service of its own.
		s, err := a.Store(ctx)
		if err != nil {
			return 0, err
		}
		cat := download.NewDBCatalog(s)
		secret, err := linkSecret(ctx, a.Cfg.Serve, cat)
		if err != nil {
			return 0, err
		}
		svc, err := analytics.New(a.analyticsConfig(secret, "http://"+a.Cfg.Serve.Addr), s, cat, a.Log)
		if err != nil {
			return 0, err
		}
		defer svc.Close(context.WithoutCancel(ctx))
		return svc.RunDue(ctx)
	}}
}

func (a *App) analyticsConfig(secret []byte, listen string) analytics.Config {
	public := a.Cfg.Serve.PublicURL
	if public == "" {
		public = listen
	}
	c := a.Cfg.Analytics
	return analytics.Config{OutRoot: a.Cfg.Reports.Out, LinkSecret: secret, PublicURL: public, FileTTL: c.FileTTL,
		Callbacks: analytics.CallbackPolicy{AllowLoopback: c.CallbackAllowLoopback, AllowPrivate: c.CallbackAllowPrivate}}
}

// startAnalytics builds serve's analytics API. Its scheduled job runs on this
// service, and a report created with ExecuteNow starts that job at once
// through the scheduler's runner, so the run is in the history like any other.
func (a *App) startAnalytics(store *duckstore.Store, secret []byte, cat auth.TokenStore, ln net.Listener,
	runner *scheduler.Runner, jobs []scheduler.Job) (*analytics.Service, error) {
	job := a.analyticsJob()
	for _, j := range jobs {
		if j.Name == analyticsJobName {
			job = j
		}
	}
	cfg := a.analyticsConfig(secret, "http://"+ln.Addr().String())
	cfg.Kick = func(ctx context.Context) {
		_, _ = runner.Run(ctx, job, scheduler.TriggerManual, time.Time{}, time.Now()) // logged and recorded there
	}
	svc, err := analytics.New(cfg, store, cat, a.Log)
	if err != nil {
		return nil, err
	}
	a.analytics = svc
	return svc, nil
}

// stopAnalytics waits for runs the API started, within the shutdown bound.
func (a *App) stopAnalytics(svc *analytics.Service, bound time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	if err := svc.Close(ctx); err != nil {
		a.Log.Warn("analytics runs cut short at shutdown", "err", err)
	}
	a.analytics = nil
}
