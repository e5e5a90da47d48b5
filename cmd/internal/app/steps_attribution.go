package app

import (
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/attribution"
)

// attributionSteps returns the Go transform steps of attribution and campaigns
// (the tracking-ID and landing-URL parsers) and the fingerprints of their
// configuration (none is configurable; the parsers' version stands in for their
// rules, which are code, so that a parser change gives a new run id).
func attributionSteps(a *App) ([]transform.Step, []string, error) {
	return attribution.Steps(), []string{attribution.Fingerprint()}, nil
}
