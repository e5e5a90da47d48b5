package app

import (
	"errors"
	"fmt"

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
	// The limits on bad input (see ingest.Limits): a file over them is
	// quarantined, a row or value over them rejected, and ingest's memory
	// stays bounded whatever lands.
	MaxColumns    int   `toml:"max_columns"`     // columns of a header
	MaxFieldBytes int64 `toml:"max_field_bytes"` // one value
	MaxRowBytes   int64 `toml:"max_row_bytes"`   // one row (a line of JSON lines)
	MaxFileBytes  int64 `toml:"max_file_bytes"`  // one file
}

// maxRowBytesCap caps ingest.max_row_bytes: no export has rows of even a
// megabyte, and the reader's memory grows with the limit.
const maxRowBytesCap = 64 << 20

func defaultIngestConfig() IngestConfig {
	return IngestConfig{Landing: "./landing", Quarantine: "./quarantine", CheckpointThreshold: ingest.DefaultCheckpointThreshold,
		MaxColumns: ingest.DefaultMaxColumns, MaxFieldBytes: ingest.DefaultMaxFieldBytes,
		MaxRowBytes: ingest.DefaultMaxRowBytes, MaxFileBytes: ingest.DefaultMaxFileBytes}
}

// Limits are the ingest limits of the configuration.
func (c IngestConfig) Limits() ingest.Limits {
	return ingest.Limits{MaxColumns: c.MaxColumns, MaxFieldBytes: c.MaxFieldBytes, MaxRowBytes: c.MaxRowBytes, MaxFileBytes: c.MaxFileBytes}
}

func (c IngestConfig) validate() []error {
	var errs []error
	if c.Quarantine == "" {
		errs = append(errs, errors.New("ingest.quarantine is empty"))
	}
	if c.MaxColumns <= 0 {
		errs = append(errs, fmt.Errorf("ingest.max_columns must be positive, not %d", c.MaxColumns))
	}
	for _, v := range []struct {
		key string
		n   int64
	}{{"max_field_bytes", c.MaxFieldBytes}, {"max_row_bytes", c.MaxRowBytes}, {"max_file_bytes", c.MaxFileBytes}} {
		if v.n <= 0 {
			errs = append(errs, fmt.Errorf("ingest.%s must be positive, not %d", v.key, v.n))
		}
	}
	if c.MaxRowBytes > maxRowBytesCap {
		errs = append(errs, fmt.Errorf("ingest.max_row_bytes (%d) is over %d: DuckDB's reader keeps buffers of four rows per thread", c.MaxRowBytes, maxRowBytesCap))
	}
	if c.MaxFieldBytes > c.MaxRowBytes {
		errs = append(errs, fmt.Errorf("ingest.max_field_bytes (%d) is over ingest.max_row_bytes (%d): a value is part of a row", c.MaxFieldBytes, c.MaxRowBytes))
	}
	if c.MaxRowBytes > c.MaxFileBytes {
		errs = append(errs, fmt.Errorf("ingest.max_row_bytes (%d) is over ingest.max_file_bytes (%d)", c.MaxRowBytes, c.MaxFileBytes))
	}
	return errs
}
