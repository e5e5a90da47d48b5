package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// dec scans a DECIMAL (or text, or NULL) as exact text: "" for NULL.
type dec string

func (d *dec) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = ""
	case string:
		*d = dec(x)
	case []byte:
		*d = dec(x)
	default:
		s, ok := duckstore.DecimalText(v)
		if !ok {
			s = fmt.Sprint(v)
		}
		*d = dec(s)
	}
	return nil
}

// nstr scans a nullable text as "".
type nstr string

func (n *nstr) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*n = ""
	case string:
		*n = nstr(x)
	case []byte:
		*n = nstr(x)
	default:
		*n = nstr(fmt.Sprint(x))
	}
	return nil
}

// ntime scans a nullable DATE or TIMESTAMP as the zero time.
type ntime struct{ time.Time }

func (n *ntime) Scan(v any) error {
	var t sql.NullTime
	if err := t.Scan(v); err != nil {
		return err
	}
	n.Time = t.Time
	return nil
}

// queryRows runs one query of sql/serve/web (or another package's, by its
// path under sql/) and scans every row with scan.
func queryRows(ctx context.Context, s *duckstore.Store, name string, scan func(*sql.Rows) error, args ...any) error {
	if !strings.Contains(name, "/") {
		name = "serve/web/" + name
	}
	return duckstore.QueryNamed(ctx, s, name, scan, args...)
}

// runInfo is the last transform run: the as-of date the desk and portal show.
type runInfo struct {
	AsOf         time.Time
	WindowMonths int64
}

func lastRun(ctx context.Context, s *duckstore.Store) (runInfo, bool, error) {
	var ri runInfo
	found := false
	err := queryRows(ctx, s, "run", func(rows *sql.Rows) error {
		found = true
		return rows.Scan(&ri.AsOf, &ri.WindowMonths)
	})
	return ri, found, err
}

type queueRow struct {
	UnlockID, PGAID, Company, Tier string
	UnlockedOn                     time.Time
	TTM                            string
	Benefits                       string
	Ready                          bool
	Readiness, Latest              string
	DaysWaiting, OffersOverdue     int64
	OffersLate, ActivationsOverdue int64
}

func queue(ctx context.Context, s *duckstore.Store) ([]queueRow, error) {
	var out []queueRow
	err := queryRows(ctx, s, "queue", func(rows *sql.Rows) error {
		var q queueRow
		if err := rows.Scan(&q.UnlockID, &q.PGAID, &q.Company, &q.Tier, &q.UnlockedOn, &q.TTM, &q.Benefits,
			&q.Ready, &q.Readiness, &q.Latest, &q.DaysWaiting, &q.OffersOverdue, &q.OffersLate, &q.ActivationsOverdue); err != nil {
			return err
		}
		out = append(out, q)
		return nil
	})
	return out, err
}

type unlockRow struct {
	UnlockID, PGAID, Company, Tier, Threshold string
	UnlockedOn                                time.Time
	TTMAtUnlock, TTM                          string
	ListingTypes, Benefits                    string
	BenefitPeriod                             int64
	RefreshedOn, NextRefreshOn                time.Time
	Ready                                     bool
	Readiness, Latest                         string
	ContactName, ContactEmail, ContactPhone   string
	ContactLanguage                           string
	ContactAssigned                           ntime
}

var errNoUnlock = errors.New("no such unlock")

func unlockByID(ctx context.Context, s *duckstore.Store, id string) (unlockRow, error) {
	var u unlockRow
	found := false
	err := queryRows(ctx, s, "unlock", func(rows *sql.Rows) error {
		found = true
		return rows.Scan(&u.UnlockID, &u.PGAID, &u.Company, &u.Tier, &u.Threshold, &u.UnlockedOn, &u.TTMAtUnlock, &u.TTM,
			&u.ListingTypes, &u.Benefits, &u.BenefitPeriod, &u.RefreshedOn, &u.NextRefreshOn, &u.Ready, &u.Readiness,
			&u.Latest, &u.ContactName, &u.ContactEmail, &u.ContactPhone, &u.ContactLanguage, &u.ContactAssigned)
	}, id)
	if err == nil && !found {
		err = errNoUnlock
	}
	return u, err
}

// salesMonth is one month of a company's billed sales and its trailing total.
type salesMonth struct {
	Month    time.Time
	Billed   string
	Trailing string
}

func pgaSales(ctx context.Context, s *duckstore.Store, pga string) ([]salesMonth, error) {
	var out []salesMonth
	err := queryRows(ctx, s, "pga_sales", func(rows *sql.Rows) error {
		var m salesMonth
		if err := rows.Scan(&m.Month, &m.Billed, &m.Trailing); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	}, pga)
	return out, err
}

type threshold struct {
	Tier string
	USD  string
}

func tierRules(ctx context.Context, s *duckstore.Store) ([]threshold, error) {
	var out []threshold
	err := queryRows(ctx, s, "tier_rules", func(rows *sql.Rows) error {
		var t threshold
		if err := rows.Scan(&t.Tier, &t.USD); err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	return out, err
}

type slaActivationRow struct {
	UnlockID, PGAID, Company, Tier string
	ActivatedAt                    time.Time
	DueOn                          time.Time
	ContactedAt                    ntime
	Status                         string
	Days                           int64
}

type slaOfferRow struct {
	PGAID, Company, PartnerID, OfferID, OfferName, ListingType string
	LiveDate, DueOn                                            time.Time
	ContactedAt                                                ntime
	Status                                                     string
	Days                                                       int64
}

func slaLists(ctx context.Context, s *duckstore.Store, asOf time.Time) ([]slaActivationRow, []slaOfferRow, error) {
	var acts []slaActivationRow
	err := queryRows(ctx, s, "reports/review_sla_activation", func(rows *sql.Rows) error {
		var a slaActivationRow
		var company nstr
		if err := rows.Scan(&a.UnlockID, &a.PGAID, &company, &a.Tier, &a.ActivatedAt, &a.DueOn, &a.ContactedAt,
			&a.Status, &a.Days); err != nil {
			return err
		}
		a.Company = string(company)
		acts = append(acts, a)
		return nil
	}, asOf)
	if err != nil {
		return nil, nil, err
	}
	var offers []slaOfferRow
	err = queryRows(ctx, s, "reports/review_sla_offers", func(rows *sql.Rows) error {
		var o slaOfferRow
		var company, name nstr
		if err := rows.Scan(&o.PGAID, &company, &o.PartnerID, &o.OfferID, &name, &o.ListingType, &o.LiveDate,
			&o.DueOn, &o.ContactedAt, &o.Status, &o.Days); err != nil {
			return err
		}
		o.Company, o.OfferName = string(company), string(name)
		offers = append(offers, o)
		return nil
	}, asOf)
	return acts, offers, err
}

type tierRow struct {
	PGAID, Company, Partners, Tier string
	TTM                            dec
	WindowStart, WindowEnd         ntime
	NextTier                       string
	NextThreshold, Gap, RunRate    dec
	Projected, Readiness           string
	tierRank                       int // position in the tier rules (0 = none), for sorting
	ttmRat, gapRat                 float64
}

func tierStatus(ctx context.Context, s *duckstore.Store, asOf time.Time) ([]tierRow, error) {
	var out []tierRow
	err := queryRows(ctx, s, "reports/review_tier_status", func(rows *sql.Rows) error {
		var t tierRow
		var company, partners, tier, next, projected nstr
		if err := rows.Scan(&t.PGAID, &company, &partners, &tier, &t.TTM, &t.WindowStart, &t.WindowEnd, &next,
			&t.NextThreshold, &t.Gap, &t.RunRate, &projected, &t.Readiness); err != nil {
			return err
		}
		t.Company, t.Partners, t.Tier, t.NextTier, t.Projected = string(company), string(partners), string(tier), string(next), string(projected)
		out = append(out, t)
		return nil
	}, asOf)
	return out, err
}

type partnerRow struct {
	PartnerID, Name, Company, PGAID string
}

func partnerByID(ctx context.Context, s *duckstore.Store, id string) (partnerRow, bool, error) {
	var p partnerRow
	found := false
	err := queryRows(ctx, s, "partner", func(rows *sql.Rows) error {
		found = true
		return rows.Scan(&p.PartnerID, &p.Name, &p.Company, &p.PGAID)
	}, id)
	return p, found, err
}

type trackingIDRow struct {
	TrackingID, RegisteredAs, Kind, OfferID, Channel, PlanID string
	RegisteredAt                                             time.Time
	Version                                                  int64
}

type attributionRow struct {
	Month                                 time.Time
	TrackingID                            string
	Deployments, UsageRows, Subscriptions int64
	NormalizedUsage                       string
}

type issueRow struct {
	Status, TrackingID, Example, Reason, Sources string
	Suffixed                                     string // the suffixed forms grouped under the GUID, comma-separated
	Deployments                                  int64
	FirstSeen, LastSeen                          time.Time
}

type attributionView struct {
	IDs    []trackingIDRow
	Months []attributionRow
	Issues []issueRow
}

func partnerAttribution(ctx context.Context, s *duckstore.Store, partner string) (attributionView, error) {
	var a attributionView
	err := queryRows(ctx, s, "partner_tracking_ids", func(rows *sql.Rows) error {
		var t trackingIDRow
		if err := rows.Scan(&t.TrackingID, &t.RegisteredAs, &t.Kind, &t.OfferID, &t.Channel, &t.PlanID, &t.RegisteredAt, &t.Version); err != nil {
			return err
		}
		a.IDs = append(a.IDs, t)
		return nil
	}, partner)
	if err != nil {
		return a, err
	}
	err = queryRows(ctx, s, "partner_attribution", func(rows *sql.Rows) error {
		var m attributionRow
		if err := rows.Scan(&m.Month, &m.TrackingID, &m.Deployments, &m.UsageRows, &m.Subscriptions, &m.NormalizedUsage); err != nil {
			return err
		}
		a.Months = append(a.Months, m)
		return nil
	}, partner, partner)
	if err != nil {
		return a, err
	}
	err = queryRows(ctx, s, "partner_tracking_issues", func(rows *sql.Rows) error {
		var i issueRow
		if err := rows.Scan(&i.Status, &i.TrackingID, &i.Example, &i.Reason, &i.Sources, &i.Deployments, &i.FirstSeen, &i.LastSeen, &i.Suffixed); err != nil {
			return err
		}
		a.Issues = append(a.Issues, i)
		return nil
	}, partner)
	return a, err
}

// slaOverdue is how many SLA items are overdue as of the last run (the
// navigation's badge on "SLA lists").
func slaOverdue(ctx context.Context, w *Web) (int, error) {
	var n int64
	err := queryRows(ctx, w.store, "sla_overdue", func(rows *sql.Rows) error { return rows.Scan(&n) })
	if err != nil {
		return 0, fmt.Errorf("count overdue SLA items: %w", err)
	}
	return int(n), nil
}
