package app

// ServeConfig is the [serve] section.
type ServeConfig struct{}

func defaultServeConfig() ServeConfig { return ServeConfig{} }

func (c ServeConfig) validate() []error { return nil }
