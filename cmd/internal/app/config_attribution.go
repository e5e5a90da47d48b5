package app

import (
	"fmt"

	"github.com/marketplace-insights/insights/transform/attribution"
)

// AttributionConfig is the [attribution] section.
type AttributionConfig struct {
	// PlatformIDs are tracking IDs of Microsoft's own, never a partner's:
	// a deployment carrying one gets status platform (not unregistered, not
	// "multiple"). The default is the Terraform azurerm/azapi providers'
	// default partner ID; setting the list replaces the default.
	PlatformIDs []string `toml:"platform_ids"`
}

func defaultAttributionConfig() AttributionConfig {
	var ids []string
	for _, p := range attribution.DefaultPlatformIDs {
		ids = append(ids, p.ID)
	}
	return AttributionConfig{PlatformIDs: ids}
}

// platformIDs returns the list for the transform, keeping the known IDs'
// descriptions.
func (c AttributionConfig) platformIDs() []attribution.PlatformID {
	known := map[string]string{}
	for _, p := range attribution.DefaultPlatformIDs {
		known[attribution.ParseRegistered(p.ID).MatchKey] = p.Description
	}
	out := make([]attribution.PlatformID, 0, len(c.PlatformIDs))
	for _, id := range c.PlatformIDs {
		out = append(out, attribution.PlatformID{ID: id, Description: known[attribution.ParseRegistered(id).MatchKey]})
	}
	return out
}

func (c AttributionConfig) validate() []error {
	if err := attribution.CheckPlatformIDs(c.platformIDs()); err != nil {
		return []error{fmt.Errorf("attribution.platform_ids: %w", err)}
	}
	return nil
}
