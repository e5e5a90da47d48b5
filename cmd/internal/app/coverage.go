package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/marketplace-insights/insights/reports"
)

// checkCoverage refuses to write reports of p that would pass the data: a
// report month after the data's last complete month, or a partner (partner,
// or every registered one when "") with no data at all in the window. With
// allowEmpty it says so and lets them be written; the Metadata sheet marks them.
func (a *App) checkCoverage(ctx context.Context, g *reports.Generator, p reports.Period, partner string, allowEmpty bool) error {
	cov := g.Coverage()
	if cov == nil {
		return nil
	}
	s, err := a.Store(ctx)
	if err != nil {
		return err
	}
	registered, err := reports.Partners(ctx, s)
	if err != nil {
		return err
	}
	var ids []string
	for _, pt := range registered {
		// An unknown --partner is the generator's error to give, not a coverage problem.
		if partner == "" || pt.ID == partner {
			ids = append(ids, pt.ID)
		}
	}
	err = cov.Check(p, ids)
	var ce *reports.CoverageError
	if !errors.As(err, &ce) || !allowEmpty {
		return err
	}
	a.Log.Warn("writing reports past the data", "allow_empty", true, "problems", strings.Join(ce.Problems, "; "))
	fmt.Fprintf(a.ErrOut, "insights: writing anyway (allow-empty), although %s.\n", strings.Join(ce.Problems, "; "))
	return nil
}
