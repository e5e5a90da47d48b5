package app

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Config is the whole configuration file. Each section's type lives next to
// the commands that use it (config_*.go).
type Config struct {
	Store     StoreConfig     `toml:"store"`
	Ingest    IngestConfig    `toml:"ingest"`
	Tiers     TiersConfig     `toml:"tiers"`
	Reports   ReportsConfig   `toml:"reports"`
	Serve     ServeConfig     `toml:"serve"`
	Schedules SchedulesConfig `toml:"schedules"`
	// Attribution is the [attribution] section (config_attribution.go).
	Attribution AttributionConfig `toml:"attribution"`
	// Analytics is the [analytics] section (config_analytics.go).
	Analytics AnalyticsConfig `toml:"analytics"`
	// SMTP is the [smtp] section (config_smtp.go).
	SMTP SMTPConfig `toml:"smtp"`
	// OIDC and Web are the [oidc] and [web] sections (config_oidc.go).
	OIDC OIDCConfig `toml:"oidc"`
	Web  WebConfig  `toml:"web"`
}

// StoreConfig is the [store] section.
type StoreConfig struct {
	Path        string `toml:"path"`         // database file
	Threads     int    `toml:"threads"`      // DuckDB threads
	MemoryLimit string `toml:"memory_limit"` // DuckDB memory_limit
	TempDir     string `toml:"temp_dir"`     // spill directory
}

func (s StoreConfig) duckstore(readOnly bool) duckstore.Config {
	return duckstore.Config{Path: s.Path, Threads: s.Threads, MemoryLimit: s.MemoryLimit, TempDir: s.TempDir, ReadOnly: readOnly}
}

// DefaultConfig is what runs with no configuration file.
func DefaultConfig() Config {
	return Config{
		Store:     StoreConfig{Path: "./data/insights.duckdb", Threads: 2, MemoryLimit: "4GB"},
		Ingest:    defaultIngestConfig(),
		Tiers:     defaultTiersConfig(),
		Reports:   defaultReportsConfig(),
		Serve:     defaultServeConfig(),
		Schedules: defaultSchedulesConfig(),

		Attribution: defaultAttributionConfig(),
		Analytics:   defaultAnalyticsConfig(),
	}
}

// LoadConfig reads path over the defaults. An empty path means ./insights.toml
// if it exists. Unknown keys are errors, so a typo never silently does nothing.
func LoadConfig(path string) (Config, error) {
	cfg := DefaultConfig()
	explicit := path != ""
	if !explicit {
		path = "insights.toml"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return cfg, nil
		}
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	md, err := toml.Decode(string(b), &cfg)
	if err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		keys := make([]string, len(undecoded))
		for i, k := range undecoded {
			keys[i] = k.String()
		}
		return cfg, fmt.Errorf("config %s: unknown keys: %s", path, strings.Join(keys, ", "))
	}
	return cfg, nil
}

// Validate lists every problem at once.
func (c Config) Validate() error {
	var errs []error
	if c.Store.Path == "" {
		errs = append(errs, errors.New("store.path is empty"))
	}
	if c.Store.Threads < 0 {
		errs = append(errs, fmt.Errorf("store.threads = %d: must be positive", c.Store.Threads))
	}
	errs = append(errs, c.Ingest.validate()...)
	errs = append(errs, c.Tiers.validate()...)
	errs = append(errs, c.Reports.validate()...)
	errs = append(errs, c.Serve.validate()...)
	errs = append(errs, c.Schedules.validate()...)
	errs = append(errs, c.Attribution.validate()...)
	errs = append(errs, c.Analytics.validate()...)
	errs = append(errs, c.SMTP.validate()...)
	errs = append(errs, c.OIDC.validate()...)
	if len(errs) > 0 {
		return fmt.Errorf("invalid configuration: %w", errors.Join(errs...))
	}
	return nil
}
