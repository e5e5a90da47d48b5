package app

import "github.com/marketplace-insights/insights/transform"

// attributionSteps returns the Go transform steps of attribution and campaigns
// and the fingerprints of their configuration.
func attributionSteps(a *App) ([]transform.Step, []string, error) { return nil, nil, nil }
