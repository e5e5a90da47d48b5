package app

import (
	"fmt"
	"time"
)

// AnalyticsConfig is the [analytics] section: the partners' analytics API
// (serve/analytics, docs/api.md). Its schedule is the analytics-reports
// job's in [schedules.jobs].
type AnalyticsConfig struct {
	FileTTL               time.Duration `toml:"file_ttl"`                // how long a delivered report file and its link live
	CallbackAllowLoopback bool          `toml:"callback_allow_loopback"` // callbacks may reach 127.0.0.0/8 and ::1 (a partner testing on this machine)
	CallbackAllowPrivate  bool          `toml:"callback_allow_private"`  // callbacks may reach private, link-local and shared address ranges
}

// maxFileTTL is the executions' history: a link never outlives its execution.
const maxFileTTL = 90 * 24 * time.Hour

func defaultAnalyticsConfig() AnalyticsConfig {
	return AnalyticsConfig{FileTTL: 30 * 24 * time.Hour, CallbackAllowLoopback: true}
}

func (c AnalyticsConfig) validate() []error {
	if c.FileTTL < time.Hour || c.FileTTL > maxFileTTL {
		return []error{fmt.Errorf("analytics.file_ttl = %s: want 1h to %s", c.FileTTL, maxFileTTL)}
	}
	return nil
}
