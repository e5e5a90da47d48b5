package scheduler

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the job metrics, registered on a registry the caller owns (the
// HTTP server exposes that registry on /metrics). A nil *Metrics records nothing.
type Metrics struct {
	runs        *prometheus.CounterVec
	failures    *prometheus.CounterVec
	retries     *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	rows        *prometheus.CounterVec
	lastSuccess *prometheus.GaugeVec
	running     *prometheus.GaugeVec
}

// NewMetrics creates the job metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "insights_job_runs_total", Help: "Job runs by final status (succeeded, failed, skipped).",
		}, []string{"job", "status"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "insights_job_failures_total", Help: "Job runs that failed after every retry.",
		}, []string{"job"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "insights_job_retries_total", Help: "Retries of failed job attempts.",
		}, []string{"job"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "insights_job_duration_seconds",
			Help:    "Wall time of job runs, retries included.",
			Buckets: prometheus.ExponentialBuckets(0.5, 2, 16), // 0.5s … ~4.5h
		}, []string{"job"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "insights_job_rows_total", Help: "Rows (or files) produced by successful job runs.",
		}, []string{"job"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "insights_job_last_success_timestamp_seconds", Help: "Unix time at which the job last succeeded.",
		}, []string{"job"}),
		running: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "insights_job_running", Help: "Runs of the job in progress.",
		}, []string{"job"}),
	}
	for _, c := range []prometheus.Collector{m.runs, m.failures, m.retries, m.duration, m.rows, m.lastSuccess, m.running} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register job metrics: %w", err)
		}
	}
	return m, nil
}

// Declare creates every series of these jobs at zero, so dashboards and
// alerts (rate of failures, runs in progress) work before a job first runs.
// The last-success gauge is left out: a zero there would read as "last
// succeeded in 1970"; alert on its absence instead.
func (m *Metrics) Declare(jobs ...string) {
	if m == nil {
		return
	}
	for _, j := range jobs {
		for _, st := range []Status{StatusSucceeded, StatusFailed, StatusSkipped} {
			m.runs.WithLabelValues(j, string(st))
		}
		m.failures.WithLabelValues(j)
		m.retries.WithLabelValues(j)
		m.duration.WithLabelValues(j)
		m.rows.WithLabelValues(j)
		m.running.WithLabelValues(j)
	}
}

func (m *Metrics) started(job string) {
	if m != nil {
		m.running.WithLabelValues(job).Inc()
	}
}

func (m *Metrics) retried(job string) {
	if m != nil {
		m.retries.WithLabelValues(job).Inc()
	}
}

// finished counts a run that started (and decrements running).
func (m *Metrics) finished(r Run) {
	if m == nil {
		return
	}
	m.running.WithLabelValues(r.Job).Dec()
	m.runs.WithLabelValues(r.Job, string(r.Status)).Inc()
	m.duration.WithLabelValues(r.Job).Observe(r.Duration().Seconds())
	switch r.Status {
	case StatusSucceeded:
		m.rows.WithLabelValues(r.Job).Add(float64(max(r.Rows, 0)))
		m.lastSuccess.WithLabelValues(r.Job).Set(float64(r.EndedAt.UnixNano()) / 1e9)
	case StatusFailed:
		m.failures.WithLabelValues(r.Job).Inc()
	}
}

// skipped counts a firing that did not start.
func (m *Metrics) skipped(job string) {
	if m != nil {
		m.runs.WithLabelValues(job, string(StatusSkipped)).Inc()
	}
}
