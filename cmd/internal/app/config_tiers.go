package app

import (
	"fmt"
	"os"
)

// TiersConfig is the [tiers] section.
type TiersConfig struct {
	// Rules is the tier rules file (TOML: thresholds, window, benefits catalog).
	// Empty means the built-in defaults (print them with `insights tiers rules`).
	Rules string `toml:"rules"`
}

func defaultTiersConfig() TiersConfig { return TiersConfig{} }

// validate only checks the file is there: its content is validated (every problem
// listed) when a command uses it, so a bad rules file does not stop unrelated jobs.
func (c TiersConfig) validate() []error {
	if c.Rules == "" {
		return nil
	}
	if _, err := os.Stat(c.Rules); err != nil {
		return []error{fmt.Errorf("tiers.rules: %w", err)}
	}
	return nil
}
