package app

// TiersConfig is the [tiers] section.
type TiersConfig struct{}

func defaultTiersConfig() TiersConfig { return TiersConfig{} }

func (c TiersConfig) validate() []error { return nil }
