package app

import "errors"

// ReportsConfig is the [reports] section.
type ReportsConfig struct {
	Out string `toml:"out"` // root of out/<as-of>/<partner>/…
}

func defaultReportsConfig() ReportsConfig { return ReportsConfig{Out: "./out"} }

func (c ReportsConfig) validate() []error {
	if c.Out == "" {
		return []error{errors.New("reports.out is empty")}
	}
	return nil
}
