package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// ReportsConfig is the [reports] section.
type ReportsConfig struct {
	Out     string   `toml:"out"`      // root of out/<as-of>/<partner>/…
	Period  string   `toml:"period"`   // report month of the scheduled reports, "YYYY-MM"; "" = the as-of's latest complete month
	Trend   string   `toml:"trend"`    // months of trend: "1m", "3m", "6m" or "12m"
	Formats []string `toml:"formats"`  // files to write: xlsx, csv, parquet
	MaxRows int      `toml:"max_rows"` // data rows per sheet before a numbered continuation; 0 = Excel's limit
	// AllowEmpty lets the reports job write past the data (see `insights report --allow-empty`).
	AllowEmpty bool `toml:"allow_empty"`
	Workers    int  `toml:"workers"` // partners rendered in parallel; 0 = the number of cores
	// PartnersPerQuery is the partners one pass of the report queries
	// serves, which bounds memory; 0 = reports.DefaultPartnersPerQuery.
	PartnersPerQuery int `toml:"partners_per_query"`
}

func defaultReportsConfig() ReportsConfig {
	return ReportsConfig{Out: "./out", Trend: "6m", Formats: append([]string(nil), reports.AllFormats...)}
}

func (c ReportsConfig) validate() []error {
	var errs []error
	if c.Out == "" {
		errs = append(errs, errors.New("reports.out is empty"))
	}
	if c.Period != "" {
		if _, err := reports.ParseMonth(c.Period); err != nil {
			errs = append(errs, fmt.Errorf("reports.period: %w", err))
		}
	}
	if _, err := c.trend(); err != nil {
		errs = append(errs, fmt.Errorf("reports.trend: %w", err))
	}
	for _, f := range c.Formats {
		if _, err := reports.ParseFormats(f); err != nil {
			errs = append(errs, fmt.Errorf("reports.formats: %w", err))
		}
	}
	if c.MaxRows < 0 {
		errs = append(errs, fmt.Errorf("reports.max_rows = %d: must be 0 or more", c.MaxRows))
	}
	if c.Workers < 0 {
		errs = append(errs, fmt.Errorf("reports.workers = %d: must be 0 (the number of cores) or more", c.Workers))
	}
	if c.PartnersPerQuery < 0 {
		errs = append(errs, fmt.Errorf("reports.partners_per_query = %d: must be 0 (the default, %d) or more", c.PartnersPerQuery, reports.DefaultPartnersPerQuery))
	}
	return errs
}

func (c ReportsConfig) trend() (int, error) {
	if c.Trend == "" {
		return reports.DefaultTrend, nil
	}
	n, err := reports.ParseTrend(c.Trend)
	if err != nil {
		return 0, err
	}
	if _, err := reports.NewPeriod(time.Now(), n); err != nil {
		return 0, err
	}
	return n, nil
}

// period is the period of the scheduled reports for asOf: [reports] period,
// else the latest complete month of asOf (by the database's rule).
func (c ReportsConfig) period(ctx context.Context, q duckstore.Querier, asOf time.Time) (reports.Period, error) {
	var month time.Time
	var err error
	if c.Period != "" {
		month, err = reports.ParseMonth(c.Period)
	} else {
		month, err = reports.LatestCompleteMonth(ctx, q, asOf)
	}
	if err != nil {
		return reports.Period{}, err
	}
	n, err := c.trend()
	if err != nil {
		return reports.Period{}, err
	}
	return reports.NewPeriod(month, n)
}
