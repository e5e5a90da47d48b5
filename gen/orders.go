package gen

import (
	"context"
	"math/rand/v2"
	"time"
)

var orderCols = []string{
	"MarketplaceSubscriptionId", "MonthStartDate", "OfferType", "OfferName", "SKU", "PlanId",
	"AzureLicenseType", "MarketplaceLicenseType", "CustomerId", "BillingAccountId", "CustomerName",
	"CustomerCompanyName", "CustomerCountry", "IsNewCustomer", "OrderStatus", "OrderAction",
	"OrderPurchaseDate", "OrderCancelDate", "TermStartDate", "TermEndDate", "OrderQuantity",
	"EstimatedCharges", "Currency", "AssetId", "PurchaseRecordId", "PurchaseRecordLineItemId",
	"IsPrivateOffer", "IsTrial", "TrialEndDate", "CloudInstanceName", "EventTimestamp",
	"OrderVersion", "PublisherId", "OfferId", "IsFraud",
}

// split divides total over weights exactly: shares are proportional
// (truncated) and the remainder goes to the last share, so they sum to total.
func split(total int64, weights []int64, out []int64) {
	var wsum, given int64
	for _, w := range weights {
		wsum += w
	}
	for i, w := range weights {
		if i == len(weights)-1 {
			out[i] = total - given
			break
		}
		out[i] = mulDiv(total, w, wsum)
		given += out[i]
	}
}

// orderLine is one row of orders.csv before it is printed.
type orderLine struct {
	a              *asset
	m              int
	status, action string
	cancel         time.Time
	qty            int64
	usd            int64 // USD cents; printed in the customer's currency
	prID, lineID   string
	event          time.Time
	version        int64
	fraud, newCust bool
	defect         int // -1, or which deliberate defect (see emitOrder)
}

const orderDefects = 5

// writeOrders writes one row per order subscription and billing month. The
// marketplace-billed rows of a profile's month split its order budget
// exactly; everything else is outside the budget: cancellations, BYOL, free
// and reseller rows, superseded first versions of amended lines, add-ons that
// are refunded in full, fraud and bad rows. So the budget is what a correct
// pipeline counts as billed sales, whatever those extra rows do to a wrong one.
func (w *world) writeOrders(ctx context.Context, t *table, r *rand.Rand) error {
	n := len(w.orders)
	startM := make([]int, n)
	cancelM := make([]int, n)
	for i, a := range w.orders {
		startM[i] = w.cal.monthOf(a.startDay)
		cancelM[i] = len(w.cal.months) + 1
		if a.canceled {
			cancelM[i] = w.cal.monthOf(a.endDay)
		}
	}
	usd := make([]int64, n)
	eligible := make([][]int, len(w.partners))
	typical := make([]int64, len(w.partners))
	var weights, shares []int64
	bad := cadence{n: 500}
	fraud := cadence{n: 1000}
	var err error
	emit := func(l orderLine) {
		if e := w.emitOrder(t, l); e != nil && err == nil {
			err = e
		}
	}

	for m := range w.cal.months {
		if e := ctx.Err(); e != nil {
			return e
		}
		for p := range eligible {
			eligible[p] = eligible[p][:0]
		}
		for i, a := range w.orders {
			if a.billed && startM[i] <= m && m < cancelM[i] {
				eligible[a.offer.partner.idx] = append(eligible[a.offer.partner.idx], i)
			}
		}
		for p, pt := range w.partners {
			budget := pt.budget[m] * pt.orderPct / 100
			weights, shares = weights[:0], shares[:0]
			for _, i := range eligible[p] {
				weights = append(weights, w.orders[i].seats)
				shares = append(shares, 0)
			}
			split(budget, weights, shares)
			for k, i := range eligible[p] {
				usd[i] = shares[k]
			}
			typical[p] = budget / int64(max(1, len(eligible[p])))
		}

		for i, a := range w.orders {
			if startM[i] > m || m > cancelM[i] {
				continue
			}
			typ := typical[a.offer.partner.idx]
			day := w.cal.dayStart[m] + r.IntN(3)
			action := "Renew"
			if m == startM[i] {
				day, action = a.startDay, "Purchase"
			}
			l := orderLine{
				a: a, m: m, status: "Active", action: action, qty: a.seats,
				prID: newGUID(r), lineID: newGUID(r), event: w.at(day, r.IntN(86400)),
				version: 1, newCust: a.firstOfCust && m == startM[i], defect: -1,
			}
			switch {
			case m == cancelM[i]:
				l.status, l.action, l.cancel = "Canceled", "Cancel", w.cal.day(a.endDay)
				if a.license == licBilled || a.license == licReseller {
					l.usd = typ
				}
			case a.billed:
				l.usd = usd[i]
			case a.license == licReseller:
				l.usd = typ
			}
			if a.billed && l.status == "Active" && r.IntN(33) == 0 {
				// An amended line: version 1 had other seats; version 2 wins.
				v1 := l
				v1.qty = a.seats + 1 + r.Int64N(5)
				v1.usd = l.usd * v1.qty / a.seats
				v1.event = l.event.Add(-36 * time.Hour)
				emit(v1)
				l.version = 2
			}
			emit(l)
			if a.billed && l.status == "Active" && r.IntN(100) == 0 {
				// An add-on bought and refunded in full.
				addon := l
				addon.action, addon.qty, addon.usd, addon.version = "Purchase", 1, typ/3+500, 1
				addon.lineID, addon.event = newGUID(r), l.event.Add(time.Hour)
				emit(addon)
				refund := addon
				refund.action, refund.usd = "Refund", -addon.usd
				refund.lineID, refund.event = newGUID(r), addon.event.Add(72*time.Hour)
				emit(refund)
			}
			if fraud.tick() {
				f := l
				f.action, f.usd, f.version, f.fraud = "Purchase", typ*20+100_000, 1, true
				f.lineID, f.event, f.qty = newGUID(r), l.event.Add(2*time.Hour), 50
				emit(f)
			}
			if bad.tick() {
				b := l
				b.lineID, b.version, b.usd, b.defect = newGUID(r), 1, typ/10, bad.kind(orderDefects)
				emit(b)
			}
		}
		for _, a := range w.trials {
			if w.cal.monthOf(a.startDay) != m {
				continue
			}
			emit(orderLine{
				a: a, m: m, status: "Active", action: "Purchase", qty: 1,
				prID: newGUID(r), lineID: newGUID(r), event: w.at(a.startDay, r.IntN(86400)),
				version: 1, newCust: a.firstOfCust, defect: -1,
			})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// emitOrder prints a line. Defects: 0 a month that is not a date, 1 an
// unknown currency, 2 a negative quantity, 3 an unknown OrderStatus, 4 a
// missing AssetId.
func (w *world) emitOrder(t *table, l orderLine) error {
	a, c := l.a, l.a.cust
	g := geos[c.geo]
	ci := currencyIndex(g.currency)
	startM := w.cal.monthOf(a.startDay)
	n := (l.m - startM) / a.termMonths
	termStart := w.cal.day(a.startDay).AddDate(0, n*a.termMonths, 0)
	trial := a.kind == kindTrial

	t.str(a.msid)
	if l.defect == 0 {
		t.str(w.cal.months[l.m].Format("2006") + "-13-01")
	} else {
		t.date(w.cal.months[l.m])
	}
	t.str(a.offer.offerType)
	t.str(a.offer.name)
	t.str(a.plan.sku)
	t.str(a.plan.id)
	t.str(c.license)
	t.str(a.license)
	t.str(c.id)
	t.str(c.billing)
	t.str(c.first + " " + c.last)
	t.str(c.company)
	t.str(g.country)
	t.boolean(l.newCust)
	if l.defect == 3 {
		t.str("Pending")
	} else {
		t.str(l.status)
	}
	t.str(l.action)
	t.date(w.cal.day(a.startDay))
	t.date(l.cancel)
	t.date(termStart)
	t.date(termStart.AddDate(0, a.termMonths, -1))
	if l.defect == 2 {
		t.int(-l.qty)
	} else {
		t.int(l.qty)
	}
	t.fixed(w.toLocal(l.usd, ci, l.m), currencies[ci].exp)
	if l.defect == 1 {
		t.str("US$")
	} else {
		t.str(g.currency)
	}
	if l.defect == 4 {
		t.str("")
	} else {
		t.str(a.assetID)
	}
	t.str(l.prID)
	t.str(l.lineID)
	t.boolean(a.private)
	t.boolean(trial)
	if trial {
		t.date(w.cal.day(a.startDay + 30))
	} else {
		t.date(time.Time{})
	}
	t.str(c.cloud)
	t.timestamp(l.event)
	t.int(l.version)
	t.str(a.offer.partner.id)
	t.str(a.offer.id)
	t.boolean(l.fraud)
	return t.end()
}
