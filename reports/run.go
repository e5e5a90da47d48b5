package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Run is the transform run that reports read.
type Run struct {
	ID          string
	AsOf        time.Time
	GeneratedAt time.Time // when the run id first succeeded: the workbook's generation time
	// DataThrough says how far the data reaches ("2026-10-31"), shown on
	// the Summary; "" until the store keeps data watermarks.
	DataThrough string
}

// LatestRun returns the run reports would read now. ErrNoRun when there is none.
func LatestRun(ctx context.Context, store *duckstore.Store) (Run, error) {
	q, err := sqlfiles.Report("reporting_run")
	if err != nil {
		return Run{}, err
	}
	var r Run
	var gen sql.NullTime
	err = store.QueryRow(ctx, q).Scan(&r.ID, &r.AsOf, &gen)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, ErrNoRun
	}
	if err != nil {
		return Run{}, fmt.Errorf("reports: find the transform run: %w", err)
	}
	r.AsOf = day(r.AsOf)
	r.GeneratedAt = gen.Time.UTC()
	return r, nil
}

// ErrNoRun means no transform run succeeded yet.
var ErrNoRun = errors.New("no transform run has succeeded yet (run `insights transform` first)")

// RunFor returns the latest run and checks it is for asOf: the derived tables
// hold one run, so reports of another as-of would mislabel its data.
func RunFor(ctx context.Context, store *duckstore.Store, asOf time.Time) (Run, error) {
	r, err := LatestRun(ctx, store)
	if err != nil {
		return Run{}, err
	}
	if !r.AsOf.Equal(day(asOf)) {
		return Run{}, fmt.Errorf("reports as of %s: the database holds the transform run %s as of %s; run `insights transform --as-of %s` first",
			asOf.Format(time.DateOnly), r.ID, r.AsOf.Format(time.DateOnly), asOf.Format(time.DateOnly))
	}
	return r, nil
}

// PartnerInfo is one registered partner.
type PartnerInfo struct {
	ID, Name, PGA string
	Company       string // the PGA's company name, "" when unknown
	Lang          string // the company's language (company_languages), "" when it chose none
}

// Partners lists every registered partner, by id.
func Partners(ctx context.Context, store *duckstore.Store) ([]PartnerInfo, error) {
	q, err := sqlfiles.Report("reporting_partners")
	if err != nil {
		return nil, err
	}
	rows, err := store.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("reports: list partners: %w", err)
	}
	defer rows.Close()
	var out []PartnerInfo
	for rows.Next() {
		var p PartnerInfo
		var name, pga, company, lang sql.NullString
		if err := rows.Scan(&p.ID, &name, &pga, &company, &lang); err != nil {
			return nil, fmt.Errorf("reports: list partners: %w", err)
		}
		p.Name, p.PGA, p.Company, p.Lang = name.String, pga.String, company.String, lang.String
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reports: list partners: %w", err)
	}
	return out, nil
}
