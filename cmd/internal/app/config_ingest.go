package app

import (
	"errors"

	"github.com/marketplace-insights/insights/ingest"
)

// IngestConfig is the [ingest] section.
type IngestConfig struct {
	Landing    string `toml:"landing"`    // folder the scheduled ingest reads
	Quarantine string `toml:"quarantine"` // where unreadable files are moved
	// CheckpointThreshold is DuckDB's checkpoint_threshold while an ingest
	// runs: how much write-ahead log may build up before the data is
	// checkpointed into the database file (DuckDB's own default, 16MB,
	// checkpoints after nearly every file and slows bulk loads down).
	CheckpointThreshold string `toml:"checkpoint_threshold"`
}

func defaultIngestConfig() IngestConfig {
	return IngestConfig{Landing: "./landing", Quarantine: "./quarantine", CheckpointThreshold: ingest.DefaultCheckpointThreshold}
}

func (c IngestConfig) validate() []error {
	var errs []error
	if c.Quarantine == "" {
		errs = append(errs, errors.New("ingest.quarantine is empty"))
	}
	return errs
}
