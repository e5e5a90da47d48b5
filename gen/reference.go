package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"
)

var (
	partnerCols  = []string{"PartnerId", "PgaId", "PartnerName", "CompanyName", "AccountEmail"}
	offerCols    = []string{"OfferId", "PartnerId", "OfferName", "ListingType", "Storefront", "LiveDate"}
	trackingCols = []string{"TrackingId", "PartnerId", "OfferId", "Channel", "PlanId", "RegisteredAt"}
	contactCols  = []string{"PgaId", "Name", "Email", "Phone", "Language", "AssignedAt", "ContactedAt"}
	optOutCols   = []string{"Kind", "Id", "OptedOutAt"}
	fxCols       = []string{"Currency", "Month", "RateToUsd"}
	customerCols = []string{
		"CustomerId", "BillingAccountId", "MarketplaceSubscriptionId", "DateAcquired", "DateLost",
		"ProviderName", "ProviderEmail", "FirstName", "LastName", "Email", "CustomerCompanyName",
		"CustomerCity", "CustomerPostalCode", "CustomerState", "CustomerCountryRegion",
		"CustomerCommunicationCulture", "AzureLicenseType", "CustomerType", "CloudInstanceName",
		"PublisherId",
	}
)

// at is day d of the window plus sec seconds.
func (w *world) at(d, sec int) time.Time {
	return w.cal.day(d).Add(time.Duration(sec) * time.Second)
}

func (w *world) writePartners(_ context.Context, t *table, _ *rand.Rand) error {
	for _, p := range w.partners {
		t.str(p.id)
		t.str(p.pga.id)
		t.str(p.name)
		t.str(p.pga.company)
		t.str(p.pga.email)
		if err := t.end(); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writeOffers(_ context.Context, t *table, _ *rand.Rand) error {
	for _, o := range w.offers {
		t.str(o.id)
		t.str(o.partner.id)
		t.str(o.name)
		t.str(o.listing)
		t.str(o.storefront)
		t.date(w.cal.day(o.liveDay))
		if err := t.end(); err != nil {
			return err
		}
	}
	return nil
}

// writeTracking lists registrations and edits in registration order, as a
// registry export would.
func (w *world) writeTracking(_ context.Context, t *table, _ *rand.Rand) error {
	rows := append([]trackRow(nil), w.trackRows...)
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].day != rows[j].day {
			return rows[i].day < rows[j].day
		}
		return rows[i].second < rows[j].second
	})
	for _, row := range rows {
		t.str(row.t.id)
		t.str(row.offer.partner.id)
		t.str(row.offer.id)
		t.str(row.t.channel)
		t.str(row.plan)
		t.timestamp(w.at(row.day, row.second))
		if err := t.end(); err != nil {
			return err
		}
	}
	return nil
}

// writeContacts gives each company the marketing-contact situation chosen in
// buildPartners; some companies also have an older, replaced contact.
func (w *world) writeContacts(_ context.Context, t *table, r *rand.Rand) error {
	days := w.cal.days()
	for i, g := range w.pgas {
		if g.contact == contactNone {
			continue
		}
		var rows []int // assignment days, oldest first
		if g.archetype < 0 && r.IntN(6) == 0 {
			rows = append(rows, r.IntN(days/2))
		}
		rows = append(rows, days/2+r.IntN(max(1, days/2-35))) // leaves room for a late contact
		for k, day := range rows {
			current := k == len(rows)-1
			first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
			email := slugify(first) + "." + slugify(last) + "@" + g.slug + ".example"
			phone := fmt.Sprintf("+1 425 555 %04d", r.IntN(10000))
			lang := languages[r.IntN(len(languages))]
			contacted := time.Time{}
			if current {
				switch g.contact {
				case contactAccountEmail:
					email = g.email
				case contactNoPhone:
					phone = ""
				}
				switch g.contact {
				case contactLate:
					contacted = w.at(day+10+r.IntN(20), r.IntN(86400))
				case contactGood, contactNoPhone, contactAccountEmail:
					contacted = w.at(day+1+r.IntN(6), r.IntN(86400))
				}
			} else {
				contacted = w.at(day+2, r.IntN(86400))
			}
			t.str(g.id)
			t.str(first + " " + last)
			t.str(email)
			t.str(phone)
			t.str(lang)
			t.timestamp(w.at(day, 32400+r.IntN(28800)))
			t.timestamp(contacted)
			if err := t.end(); err != nil {
				return fmt.Errorf("contact %d: %w", i, err)
			}
		}
	}
	return nil
}

func (w *world) writeOptOuts(_ context.Context, t *table, r *rand.Rand) error {
	for _, o := range w.optOuts {
		t.str(o.kind)
		t.str(o.id)
		if o.day < 0 {
			t.timestamp(time.Time{})
		} else {
			t.timestamp(w.at(o.day, r.IntN(86400)))
		}
		if err := t.end(); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writeFX(_ context.Context, t *table, _ *rand.Rand) error {
	for i, c := range currencies {
		for m, month := range w.cal.months {
			t.str(c.code)
			t.date(month)
			t.fixed(w.fx[i][m], 8)
			if err := t.end(); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeCustomers writes one row per customer and marketplace subscription
// (ISVCustomer's grain), with a few deliberately bad rows.
func (w *world) writeCustomers(ctx context.Context, t *table, _ *rand.Rand) error {
	bad := cadence{n: 500}
	var err error
	emit := func(a *asset, defect int) {
		c := a.cust
		g := geos[c.geo]
		cty := g.cities[c.city]
		if defect == 0 {
			t.str("") // missing required CustomerId
		} else {
			t.str(c.id)
		}
		t.str(c.billing)
		t.str(a.msid)
		if defect == 1 {
			t.str("31/02/2025") // not a date
		} else {
			t.date(w.cal.day(min(c.acquiredDay, a.startDay)))
		}
		if a.canceled {
			t.date(w.cal.day(a.endDay))
		} else {
			t.date(time.Time{})
		}
		if c.reseller >= 0 {
			t.str(resellers[c.reseller].name)
			t.str(resellers[c.reseller].email)
		} else {
			t.str("")
			t.str("")
		}
		t.str(c.first)
		t.str(c.last)
		t.str(c.email)
		t.str(c.company)
		t.str(cty.name)
		t.str(cty.postal)
		t.str(cty.state)
		t.str(g.country)
		t.str(g.culture)
		t.str(c.license)
		t.str(c.ctype)
		t.str(c.cloud)
		t.str(a.offer.partner.id)
		if e := t.end(); e != nil && err == nil {
			err = e
		}
	}
	for _, list := range [][]*asset{w.orders, w.usage, w.trials} {
		for i, a := range list {
			if i%checkEvery == 0 {
				if e := ctx.Err(); e != nil {
					return e
				}
			}
			emit(a, -1)
			if bad.tick() {
				emit(a, bad.kind(2))
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
