package gen

import (
	"context"
	"math/rand/v2"
)

var usageCols = []string{
	"MarketplaceSubscriptionId", "UsageDate", "OfferType", "OfferName", "SKU", "PlanId",
	"CustomerId", "CustomerCountry", "VMSize", "CoreSize", "UsageType", "MeterId",
	"MeterDimension", "UsageUnit", "NormalizedUsage", "RawUsage", "MeteredUsage",
	"EstimatedExtendedChargeCC", "CustomerCurrencyCC", "EstimatedExtendedChargePC",
	"PayoutCurrencyPC", "MarketplaceLicenseType", "ReferenceId", "PublisherId", "OfferId",
	"AzureSubscriptionId", "ResourceGroup", "IsFraud",
}

// usageLine is one daily meter reading.
type usageLine struct {
	a      *asset
	m, day int
	meter  int   // index into a.meters
	qty    int64 // thousandths of the usage unit
	usd    int64 // USD cents
	fraud  bool
	defect int // -1, or which deliberate defect (see emitUsage)
}

const usageDefects = 4

// writeUsage writes the daily meter readings of months [from, to). Each
// profile's usage budget for a month is split exactly over its billed
// subscriptions (by intensity and active days), then over their daily
// readings; BYOL readings, fraud and bad rows come on top of the budget.
func (w *world) writeUsage(ctx context.Context, t *table, r *rand.Rand, from, to int) error {
	usd := make([]int64, len(w.usage))
	eligible := make([][]int, len(w.partners))
	var weights, shares, rowWeights, rowShares []int64
	bad := cadence{n: 500}
	fraud := cadence{n: 2000}
	var err error
	emit := func(l usageLine) {
		if e := w.emitUsage(t, r, l); e != nil && err == nil {
			err = e
		}
	}
	for m := from; m < to; m++ {
		first, last := w.cal.dayStart[m], w.cal.monthEnd(m)
		for p := range eligible {
			eligible[p] = eligible[p][:0]
		}
		for i, a := range w.usage {
			if a.billed && w.cal.overlap(m, a.startDay, a.endDay) > 0 {
				eligible[a.offer.partner.idx] = append(eligible[a.offer.partner.idx], i)
			}
		}
		for p, pt := range w.partners {
			budget := pt.budget[m] - pt.budget[m]*pt.orderPct/100
			weights, shares = weights[:0], shares[:0]
			for _, i := range eligible[p] {
				a := w.usage[i]
				weights = append(weights, a.intensity*int64(w.cal.overlap(m, a.startDay, a.endDay)*len(a.meters)))
				shares = append(shares, 0)
			}
			split(budget, weights, shares)
			for k, i := range eligible[p] {
				usd[i] = shares[k]
			}
		}

		for i, a := range w.usage {
			if i%checkEvery == 0 {
				if e := ctx.Err(); e != nil {
					return e
				}
			}
			d0, d1 := max(first, a.startDay), min(last, a.endDay)
			if d0 > d1 {
				continue
			}
			// Daily readings vary ±20% around the subscription's level.
			rowWeights, rowShares = rowWeights[:0], rowShares[:0]
			for range (d1 - d0 + 1) * len(a.meters) {
				rowWeights = append(rowWeights, 80+r.Int64N(41))
				rowShares = append(rowShares, 0)
			}
			if a.billed {
				split(usd[i], rowWeights, rowShares)
			}
			k := 0
			for d := d0; d <= d1; d++ {
				for mi := range a.meters {
					l := usageLine{a: a, m: m, day: d, meter: mi, usd: rowShares[k], defect: -1}
					l.qty = a.intensity * rowWeights[k] * 30 // thousandths
					if a.offer.offerType == "Virtual Machine" {
						l.qty = (1 + a.intensity/3) * 24_000 // instance hours
					}
					k++
					emit(l)
					if fraud.tick() {
						f := l
						f.fraud, f.usd = true, l.usd*25+50_000
						emit(f)
					}
					if bad.tick() {
						b := l
						b.usd, b.defect = l.usd/10, bad.kind(usageDefects)
						emit(b)
					}
				}
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// emitUsage prints a reading. Defects: 0 a date that does not exist, 1 an
// unknown currency, 2 a negative quantity, 3 a missing ReferenceId.
func (w *world) emitUsage(t *table, r *rand.Rand, l usageLine) error {
	a, c := l.a, l.a.cust
	g := geos[c.geo]
	cc := currencyIndex(g.currency)
	pc := a.offer.partner.payout
	vm := a.plan.vm >= 0
	dim := 0
	if !vm {
		dim = a.plan.dims[a.meters[l.meter]]
	}

	t.str(a.msid)
	if l.defect == 0 {
		t.str(w.cal.months[l.m].Format("2006-01") + "-32")
	} else {
		t.date(w.cal.day(l.day))
	}
	t.str(a.offer.offerType)
	t.str(a.offer.name)
	t.str(a.plan.sku)
	t.str(a.plan.id)
	t.str(c.id)
	t.str(g.country)
	if vm {
		size := vmSizes[a.plan.vm]
		t.str(size.name)
		t.int(int64(size.cores))
		t.str("VM")
		t.str(a.plan.meterID[0])
		t.str("")
		t.str("1 Hour")
	} else {
		t.str("")
		t.str("")
		t.str("Metered")
		t.str(a.plan.meterID[a.meters[l.meter]])
		t.str(dimensions[dim].id)
		t.str(dimensions[dim].unit)
	}
	qty := l.qty
	if l.defect == 2 {
		qty = -qty
	}
	normalized := qty
	if vm {
		normalized = qty * int64(vmSizes[a.plan.vm].cores) // core hours
	}
	t.fixed(normalized, 3)
	t.fixed(qty, 3)
	t.fixed(qty, 3)
	t.fixed(w.toLocal(l.usd, cc, l.m), currencies[cc].exp)
	if l.defect == 1 {
		t.str("EURO")
	} else {
		t.str(g.currency)
	}
	t.fixed(w.toLocal(l.usd, pc, l.m), currencies[pc].exp)
	t.str(currencies[pc].code)
	t.str(a.license)
	if l.defect == 3 {
		t.str("")
	} else {
		t.guid(r.Uint64(), r.Uint64())
	}
	t.str(a.offer.partner.id)
	t.str(a.offer.id)
	t.str(a.sub)
	if a.rgUnknown {
		t.str("")
	} else {
		t.str(a.rg)
	}
	t.boolean(l.fraud)
	return t.end()
}
