package app

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/transform"
	"github.com/marketplace-insights/insights/transform/tiers"
)

func init() { register(newTransformCmd) }

func newTransformCmd(a *App) *cobra.Command {
	var asOf dateFlag
	cmd := &cobra.Command{
		Use:   "transform",
		Short: "Run every transform step (attribution, campaigns, billed sales, tiers) as one run",
		Example: `  insights transform
  insights transform --as-of 2026-10-31`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.Store(ctx)
			if err != nil {
				return err
			}
			run, err := a.runTransform(ctx, s, asOf.Or(time.Now()))
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "transform run %s as of %s: %d steps\n", run.ID, run.AsOf.Format(time.DateOnly), run.Steps)
			return nil
		},
	}
	cmd.Flags().Var(&asOf, "as-of", "as-of date YYYY-MM-DD (default today)")
	return cmd
}

// runTransform runs the declared transform (transform.Default) with the
// configured tier rules.
func (a *App) runTransform(ctx context.Context, s *duckstore.Store, asOf time.Time) (transform.Run, error) {
	rules, err := tiers.Load(a.Cfg.Tiers.Rules)
	if err != nil {
		return transform.Run{}, err
	}
	p, err := transform.Default(rules, transform.WithPlatformIDs(a.Cfg.Attribution.platformIDs()))
	if err != nil {
		return transform.Run{}, err
	}
	return transform.NewRunner(s, a.Log, p).Run(ctx, asOf)
}

// dateFlag is a YYYY-MM-DD flag that knows whether it was set.
type dateFlag struct {
	t   time.Time
	set bool
}

func (d *dateFlag) String() string {
	if !d.set {
		return ""
	}
	return d.t.Format(time.DateOnly)
}
func (d *dateFlag) Set(s string) error {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("want a date YYYY-MM-DD, got %q", s)
	}
	d.t, d.set = t, true
	return nil
}
func (d *dateFlag) Type() string { return "date" }

// Or returns the flag's date, or def (truncated to its UTC day) when unset.
func (d *dateFlag) Or(def time.Time) time.Time {
	if d.set {
		return d.t
	}
	return time.Date(def.Year(), def.Month(), def.Day(), 0, 0, 0, 0, time.UTC)
}
