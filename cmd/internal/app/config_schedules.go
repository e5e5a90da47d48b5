package app

// SchedulesConfig is the [schedules] section.
type SchedulesConfig struct{}

func defaultSchedulesConfig() SchedulesConfig { return SchedulesConfig{} }

func (c SchedulesConfig) validate() []error { return nil }
