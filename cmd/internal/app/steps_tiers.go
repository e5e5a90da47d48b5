package app

import (
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// tierSteps returns the Go transform steps of billed sales and tiers and the
// fingerprints of their configuration (the tier rules).
func tierSteps(a *App) ([]transform.Step, []string, error) {
	r, err := tiers.Load(a.abs(a.Cfg.Tiers.Rules))
	if err != nil {
		return nil, nil, err
	}
	return tiers.Steps(r), []string{r.Fingerprint()}, nil
}
