package app

import (
	"context"
	"errors"
	"time"
)

// ingestJob loads the landing folder. (Wired to the ingest package at integration.)
func (a *App) ingestJob() Job {
	return Job{Name: "ingest", Run: func(context.Context, time.Time) (int64, error) {
		return 0, errors.New("ingest job not wired yet")
	}}
}
