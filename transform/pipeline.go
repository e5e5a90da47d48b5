package transform

import (
	"context"
	"fmt"
	"sort"
	"strings"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/transform/attribution"
	"github.com/marketplace-insights/insights/transform/tiers"
)

// Pipeline is the transform: every step in execution order. It is one value
// that the app, the tests and the benchmarks share (Default), so that none of
// them runs a different list; the run id hashes all of it (see Runner).
type Pipeline struct {
	steps []Step
}

// Default is the declared transform for the tier rules: the SQL files of
// sql/transform together with the Go steps below, in name order. Go steps are
// for what SQL expresses badly (the parsers) or what needs configuration (the
// tier rules); each names the definitions beyond its code that shape its
// output, so that changing them changes the run id.
func Default(rules *tiers.Rules, opts ...Option) (Pipeline, error) {
	if rules == nil {
		return Pipeline{}, fmt.Errorf("transform: no tier rules")
	}
	o := options{platformIDs: attribution.DefaultPlatformIDs}
	for _, opt := range opts {
		opt(&o)
	}
	status, err := tiers.StatusQuery()
	if err != nil {
		return Pipeline{}, err
	}
	return NewPipeline(
		Step{Name: "105_parse_tracking_ids", Defs: []string{attribution.Fingerprint(), attribution.PlatformFingerprint(o.platformIDs)},
			Reads: []string{"deployments", "tracking_ids"}, Writes: []string{"attr_tokens", "attr_registry_keys", "attr_platform_ids"},
			Go: func(ctx context.Context, tx *duckstore.Tx, _ Run) error {
				return attribution.ParseTrackingIDsWith(ctx, tx, o.platformIDs)
			}},
		Step{Name: "200_load_tier_rules", Defs: []string{rules.Fingerprint()},
			Writes: []string{"tier_run", "tier_settings", "tier_rules", "tier_benefit_catalog"},
			Go: func(ctx context.Context, tx *duckstore.Tx, run Run) error {
				return tiers.LoadRules(ctx, tx, run.ID, run.AsOf, rules)
			}},
		Step{Name: "215_check_fx_rates",
			Go: func(ctx context.Context, tx *duckstore.Tx, _ Run) error { return tiers.CheckFX(ctx, tx) }},
		Step{Name: "230_tier_status", Defs: []string{"sql/reports/" + tiers.StatusReportSQL + ".sql\n" + status},
			Writes: []string{"tier_status_data"},
			Go:     func(ctx context.Context, tx *duckstore.Tx, run Run) error { return tiers.TierStatus(ctx, tx, run.AsOf) }},
		Step{Name: "305_parse_campaigns", Defs: []string{attribution.Fingerprint()},
			Reads: []string{"clicks"}, Writes: []string{"attr_campaign_urls"},
			Go: func(ctx context.Context, tx *duckstore.Tx, _ Run) error { return attribution.ParseCampaigns(ctx, tx) }},
	)
}

// Option configures Default.
type Option func(*options)

type options struct {
	platformIDs []attribution.PlatformID
}

// WithPlatformIDs sets the platform tracking IDs (Microsoft's own, such as
// the Terraform providers' default partner ID) in place of the defaults.
func WithPlatformIDs(ids []attribution.PlatformID) Option {
	return func(o *options) { o.platformIDs = ids }
}

// NewPipeline is the SQL steps of sql/transform with the given Go steps
// merged in by name. Default is the product's pipeline; tests use this to
// probe the runner with steps of their own.
func NewPipeline(goSteps ...Step) (Pipeline, error) {
	files, err := sqlfiles.TransformSteps()
	if err != nil {
		return Pipeline{}, err
	}
	steps := make([]Step, 0, len(files)+len(goSteps))
	seen := map[string]bool{}
	for _, f := range files {
		name := strings.TrimSuffix(f.Name, ".sql")
		steps = append(steps, Step{Name: name, SQL: f.Text})
		seen[name] = true
	}
	for _, s := range goSteps {
		if seen[s.Name] {
			return Pipeline{}, fmt.Errorf("transform step %s defined twice", s.Name)
		}
		if (s.SQL == "") == (s.Go == nil) {
			return Pipeline{}, fmt.Errorf("transform step %s: set exactly one of SQL and Go", s.Name)
		}
		seen[s.Name] = true
		steps = append(steps, s)
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].Name < steps[j].Name })
	return Pipeline{steps: steps}, nil
}

// Steps returns every step in execution order.
func (p Pipeline) Steps() []Step { return append([]Step(nil), p.steps...) }

// Names returns the step names in execution order.
func (p Pipeline) Names() []string {
	out := make([]string, len(p.steps))
	for i, s := range p.steps {
		out[i] = s.Name
	}
	return out
}
