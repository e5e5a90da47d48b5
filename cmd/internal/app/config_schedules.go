package app

import (
	"fmt"
	"sort"
	"time"

	"github.com/marketplace-insights/insights/cmd/internal/scheduler"
)

// SchedulesConfig is the [schedules] section: when `insights serve` runs each
// job, and how failed runs are retried (also by `insights run` and `backfill`).
type SchedulesConfig struct {
	CronTZ     string            `toml:"cron_tz"`     // zone of specs without CRON_TZ=; "" = the machine's zone
	Retries    int               `toml:"retries"`     // attempts after a failed one
	Backoff    time.Duration     `toml:"backoff"`     // wait before the first retry; doubles each time
	MaxBackoff time.Duration     `toml:"max_backoff"` // cap on one wait
	CatchUp    bool              `toml:"catch_up"`    // at start, run once what was missed while down
	Jobs       map[string]string `toml:"jobs"`        // job → cron spec; "" or absent = not scheduled
}

func defaultSchedulesConfig() SchedulesConfig {
	return SchedulesConfig{
		Retries:    2,
		Backoff:    30 * time.Second,
		MaxBackoff: 10 * time.Minute,
		CatchUp:    true,
		Jobs:       map[string]string{"batch": "0 3 * * *", analyticsJobName: "*/5 * * * *"},
	}
}

func (c SchedulesConfig) validate() []error {
	var errs []error
	if c.Retries < 0 || c.Retries > 20 {
		errs = append(errs, fmt.Errorf("schedules.retries = %d: want 0 to 20", c.Retries))
	}
	if c.Retries > 0 && c.Backoff <= 0 {
		errs = append(errs, fmt.Errorf("schedules.backoff = %s: must be positive when retrying", c.Backoff))
	}
	if c.MaxBackoff < c.Backoff {
		errs = append(errs, fmt.Errorf("schedules.max_backoff = %s: must be at least backoff (%s)", c.MaxBackoff, c.Backoff))
	}
	known := map[string]bool{}
	var names []string
	for _, name := range jobNames() {
		known[name] = true
		names = append(names, name)
	}
	var unknown []string
	for name := range c.Jobs {
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		errs = append(errs, fmt.Errorf("schedules.jobs.%s: no such job (jobs: %v)", name, names))
	}
	for _, err := range scheduler.CheckSpecs(c.Jobs, c.CronTZ) {
		errs = append(errs, fmt.Errorf("schedules: %w", err))
	}
	return errs
}

// jobNames lists the jobs without needing a configured App: jobs() only
// builds closures, so a zero App answers.
func jobNames() []string {
	var names []string
	for _, j := range (&App{}).jobs() {
		names = append(names, j.Name)
	}
	return names
}

func (c SchedulesConfig) policy() scheduler.Policy {
	return scheduler.Policy{Retries: c.Retries, Backoff: c.Backoff, MaxBackoff: c.MaxBackoff}
}

// scheduledJobs is every job with its configured spec.
func (a *App) scheduledJobs() []scheduler.Job {
	jobs := a.jobs()
	for i := range jobs {
		jobs[i].Spec = a.Cfg.Schedules.Jobs[jobs[i].Name]
	}
	return jobs
}
