package app

import "errors"

// IngestConfig is the [ingest] section.
type IngestConfig struct {
	Landing    string `toml:"landing"`    // folder the scheduled ingest reads
	Quarantine string `toml:"quarantine"` // where unreadable files are moved
}

func defaultIngestConfig() IngestConfig {
	return IngestConfig{Landing: "./landing", Quarantine: "./quarantine"}
}

func (c IngestConfig) validate() []error {
	var errs []error
	if c.Quarantine == "" {
		errs = append(errs, errors.New("ingest.quarantine is empty"))
	}
	return errs
}
