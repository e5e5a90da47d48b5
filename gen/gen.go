// Package gen writes a synthetic, deterministic marketplace into a landing
// folder: the reference data (partners, offers, tracking IDs, contacts,
// opt-outs, FX rates) and the analytics exports (orders, usage, customers,
// deployments, clicks, the Quality of service report, Marketplace Insights
// daily counts) with the column names ingest detects, a mix of CSV, TSV
// and JSON lines, and a small share of deliberately bad rows. The same seed
// always gives the same bytes; row volume grows linearly with the scale.
package gen

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"time"
)

// Options control what Generate writes.
type Options struct {
	Scale  int       // 1 ≈ 100,000 usage rows; 0 means 1
	Seed   int64     // same seed, same bytes
	Start  time.Time // first month of data; zero means Months ending with DefaultEnd
	Months int       // months of data; 0 means DefaultMonths
}

// FileSummary is one written file.
type FileSummary struct {
	Path    string
	Dataset string
	Rows    int64 // data rows, header excluded, deliberately bad rows included
}

// Summary lists the written files in a fixed order and the rows per dataset.
type Summary struct {
	Dir   string
	Files []FileSummary
	Rows  map[string]int64
}

// DefaultMonths is the length of the data window when Options.Months is 0.
const DefaultMonths = 16

// DefaultEnd is the last month of data when Options.Start is zero: fixed
// rather than derived from the clock, so that a seed always gives the same files.
var DefaultEnd = time.Date(2026, time.October, 1, 0, 0, 0, 0, time.UTC)

// Usage is split into monthly files from this scale on, so files stay moderate.
const splitUsageFromScale = 5

// StartFor returns the first month of a window of months ending with end's month.
func StartFor(end time.Time, months int) time.Time {
	if months <= 0 {
		months = DefaultMonths
	}
	first := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, -(months - 1), 0)
}

func (o Options) normalized() (Options, error) {
	if o.Scale == 0 {
		o.Scale = 1
	}
	if o.Months == 0 {
		o.Months = DefaultMonths
	}
	if o.Scale < 0 || o.Scale > 10_000 {
		return o, fmt.Errorf("scale %d: want 1 to 10000", o.Scale)
	}
	if o.Months < 1 || o.Months > 120 {
		return o, fmt.Errorf("months %d: want 1 to 120", o.Months)
	}
	if o.Start.IsZero() {
		o.Start = StartFor(DefaultEnd, o.Months)
	}
	o.Start = time.Date(o.Start.Year(), o.Start.Month(), 1, 0, 0, 0, 0, time.UTC)
	return o, nil
}

// job writes one file from its own random stream, so jobs can run in any
// order or in parallel and still give the same bytes.
type job struct {
	name, dataset string
	format        fileFormat
	cols          []string
	stream        uint64
	write         func(ctx context.Context, t *table, r *rand.Rand) error
}

// Generate writes the sample marketplace into dir (created if missing).
// Existing files of the same names are replaced; other files are left alone.
func Generate(ctx context.Context, dir string, opt Options) (Summary, error) {
	opt, err := opt.normalized()
	if err != nil {
		return Summary{}, fmt.Errorf("gen: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, fmt.Errorf("gen: %w", err)
	}
	w := buildWorld(opt)
	jobs := w.jobs()

	results := make([]FileSummary, len(jobs))
	errs := make([]error, len(jobs))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], errs[i] = runJob(ctx, dir, opt.Seed, jobs[i])
				if errs[i] != nil {
					cancel()
				}
			}
		}()
	}
	// Big jobs are listed first (see jobs), so the workers finish together.
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := firstError(errs); err != nil {
		return Summary{}, fmt.Errorf("gen: %w", err)
	}

	sum := Summary{Dir: dir, Rows: map[string]int64{}}
	for _, i := range fileOrder(jobs) {
		sum.Files = append(sum.Files, results[i])
		sum.Rows[results[i].Dataset] += results[i].Rows
	}
	return sum, nil
}

// firstError prefers the error that caused the cancellation over the
// "context canceled" of the jobs it stopped.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func runJob(ctx context.Context, dir string, seed int64, j job) (FileSummary, error) {
	if err := ctx.Err(); err != nil {
		return FileSummary{}, err
	}
	t, err := createTable(dir, j.name, j.format, j.cols)
	if err != nil {
		return FileSummary{}, err
	}
	if err := j.write(ctx, t, newRand(seed, j.stream)); err != nil {
		t.abort()
		return FileSummary{}, fmt.Errorf("%s: %w", j.name, err)
	}
	if err := t.commit(); err != nil {
		return FileSummary{}, err
	}
	return FileSummary{Path: t.path, Dataset: j.dataset, Rows: t.rows}, nil
}

// datasetOrder is the order of the summary: reference data first, as ingest
// wants it loaded.
var datasetOrder = []string{
	"partners", "offers", "tracking_ids", "contacts", "opt_outs", "fx_rates",
	"customers", "orders", "usage", "deployments", "clicks", "qos", "marketplace_insights",
}

func fileOrder(jobs []job) []int {
	var idx []int
	for _, ds := range datasetOrder {
		for i, j := range jobs {
			if j.dataset == ds {
				idx = append(idx, i)
			}
		}
	}
	return idx
}

// jobs lists every file, biggest first. Each has a fixed stream number.
func (w *world) jobs() []job {
	var js []job
	if w.opt.Scale >= splitUsageFromScale {
		for m := range w.cal.months {
			js = append(js, job{
				name: "usage_" + w.cal.months[m].Format("2006-01") + ".csv", dataset: "usage",
				cols: usageCols, stream: 1000 + uint64(m),
				write: func(ctx context.Context, t *table, r *rand.Rand) error {
					return w.writeUsage(ctx, t, r, m, m+1)
				},
			})
		}
	} else {
		js = append(js, job{
			name: "usage.csv", dataset: "usage", cols: usageCols, stream: 1000,
			write: func(ctx context.Context, t *table, r *rand.Rand) error {
				return w.writeUsage(ctx, t, r, 0, len(w.cal.months))
			},
		})
	}
	return append(js,
		job{name: "clicks.jsonl", dataset: "clicks", format: formatJSONL, cols: clickCols, stream: 20, write: w.writeClicks},
		job{name: "orders.csv", dataset: "orders", cols: orderCols, stream: 21, write: w.writeOrders},
		job{name: "deployments.csv", dataset: "deployments", cols: deploymentCols, stream: 22, write: w.writeDeployments},
		job{name: "customers.csv", dataset: "customers", cols: customerCols, stream: 23, write: w.writeCustomers},
		job{name: "partners.csv", dataset: "partners", cols: partnerCols, stream: 24, write: w.writePartners},
		job{name: "offers.csv", dataset: "offers", cols: offerCols, stream: 25, write: w.writeOffers},
		job{name: "tracking_ids.csv", dataset: "tracking_ids", cols: trackingCols, stream: 26, write: w.writeTracking},
		job{name: "contacts.csv", dataset: "contacts", cols: contactCols, stream: 27, write: w.writeContacts},
		job{name: "opt_outs.csv", dataset: "opt_outs", cols: optOutCols, stream: 28, write: w.writeOptOuts},
		job{name: "fx_rates.tsv", dataset: "fx_rates", format: formatTSV, cols: fxCols, stream: 29, write: w.writeFX},
		job{name: "qos.csv", dataset: "qos", cols: qosCols, stream: 30, write: w.writeQoS},
		job{name: "marketplace_insights.csv", dataset: "marketplace_insights", cols: insightsCols, stream: 31, write: w.writeInsights},
	)
}

// cadence fires every n-th tick: deliberately bad and fraudulent rows come at a
// fixed rate so that even a small run contains every kind.
type cadence struct{ n, i, fired int }

func (c *cadence) tick() bool {
	c.i++
	if c.i < c.n {
		return false
	}
	c.i = 0
	c.fired++
	return true
}

// kind is the rotating defect of the latest fired row, in [0, kinds).
func (c *cadence) kind(kinds int) int { return (c.fired - 1) % kinds }

// checkEvery is how many rows pass between context checks in the big writers.
const checkEvery = 4096
