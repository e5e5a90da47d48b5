package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"time"
)

// NextDay writes the files of the day after the window of the marketplace
// that Generate writes with the same options (same seed, scale, window): one
// more day's delivery, so that a demo, a test or a benchmark can replay "one
// more day" after ingesting the window. It writes the day's usage readings of
// every subscription still active on the window's last day (the same world:
// partners, offers, subscriptions, meters; the readings from the day's own
// random stream, at the level of the window's last month), and, as the day
// after the window opens a new month, that month's FX rates (the last
// month's, carried forward) so that its usage converts. Files are named after
// the day, beside the window's files. It returns the day written.
func NextDay(ctx context.Context, dir string, opt Options) (Summary, time.Time, error) {
	opt, err := opt.normalized()
	if err != nil {
		return Summary{}, time.Time{}, fmt.Errorf("gen next day: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, time.Time{}, fmt.Errorf("gen next day: %w", err)
	}
	w := buildWorld(opt)
	last := len(w.cal.months) - 1
	day := w.cal.monthEnd(last) + 1
	date := w.cal.day(day)
	stamp := date.Format(time.DateOnly)
	sum := Summary{Dir: dir, Rows: map[string]int64{}}
	jobs := []job{
		{name: "usage_" + stamp + ".csv", dataset: "usage", cols: usageCols, stream: 5000,
			write: func(ctx context.Context, t *table, r *rand.Rand) error { return w.writeUsageDay(ctx, t, r, last, day) }},
		{name: "fx_rates_" + date.Format("2006-01") + ".tsv", dataset: "fx_rates", format: formatTSV, cols: fxCols, stream: 5001,
			write: func(_ context.Context, t *table, _ *rand.Rand) error { return w.writeFXCarried(t, last, date) }},
	}
	for _, j := range jobs {
		f, err := runJob(ctx, dir, opt.Seed, j)
		if err != nil {
			return Summary{}, time.Time{}, fmt.Errorf("gen next day: %w", err)
		}
		sum.Files = append(sum.Files, f)
		sum.Rows[f.Dataset] += f.Rows
	}
	return sum, date, nil
}

// writeUsageDay writes day's readings of the subscriptions active on the last
// day of month m, each at its average daily level of month m.
func (w *world) writeUsageDay(ctx context.Context, t *table, r *rand.Rand, m, day int) error {
	monthly := w.usageBudget(m)
	first, end := w.cal.dayStart[m], w.cal.monthEnd(m)
	for i, a := range w.usage {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if a.startDay > end || a.endDay < end {
			continue // not active on the window's last day
		}
		days := min(end, a.endDay) - max(first, a.startDay) + 1
		rows := int64(days * len(a.meters))
		for mi := range a.meters {
			weight := 80 + r.Int64N(41)
			l := usageLine{a: a, m: m, day: day, meter: mi, defect: -1}
			if a.billed && rows > 0 {
				l.usd = monthly[i] * weight / 100 / rows
			}
			l.qty = a.intensity * weight * 30
			if a.offer.offerType == "Virtual Machine" {
				l.qty = (1 + a.intensity/3) * 24_000
			}
			if err := w.emitUsage(t, r, l); err != nil {
				return err
			}
		}
	}
	return nil
}

// usageBudget is each usage subscription's USD cents of month m, split as
// writeUsage splits it.
func (w *world) usageBudget(m int) []int64 {
	usd := make([]int64, len(w.usage))
	eligible := make([][]int, len(w.partners))
	for i, a := range w.usage {
		if a.billed && w.cal.overlap(m, a.startDay, a.endDay) > 0 {
			eligible[a.offer.partner.idx] = append(eligible[a.offer.partner.idx], i)
		}
	}
	for p, pt := range w.partners {
		budget := pt.budget[m] - pt.budget[m]*pt.orderPct/100
		weights := make([]int64, 0, len(eligible[p]))
		for _, i := range eligible[p] {
			a := w.usage[i]
			weights = append(weights, a.intensity*int64(w.cal.overlap(m, a.startDay, a.endDay)*len(a.meters)))
		}
		shares := make([]int64, len(weights))
		split(budget, weights, shares)
		for k, i := range eligible[p] {
			usd[i] = shares[k]
		}
	}
	return usd
}

// writeFXCarried writes month's FX rates: those of month index m, carried forward.
func (w *world) writeFXCarried(t *table, m int, month time.Time) error {
	month = time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	for i, c := range currencies {
		t.str(c.code)
		t.date(month)
		t.fixed(w.fx[i][m], 8)
		if err := t.end(); err != nil {
			return err
		}
	}
	return nil
}
