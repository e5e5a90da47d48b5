package scheduler

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // CRON_TZ must resolve on machines without a zoneinfo database (Windows, slim images)

	"github.com/robfig/cron/v3"
)

// specParser accepts standard 5-field specs, 6 fields with leading seconds,
// descriptors (@daily, @every 1h) and a CRON_TZ=/TZ= prefix. The same parser
// validates configuration, registers jobs with cron and computes catch-up.
var specParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour |
	cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// NormalizeSpec trims spec and, when it names no time zone of its own, prefixes
// CRON_TZ=defaultTZ (if set), so every spec is read in an explicit zone.
func NormalizeSpec(spec, defaultTZ string) string {
	spec = strings.TrimSpace(spec)
	if spec == "" || defaultTZ == "" || hasTZPrefix(spec) {
		return spec
	}
	return "CRON_TZ=" + defaultTZ + " " + spec
}

func hasTZPrefix(spec string) bool {
	return strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=")
}

// ParseSpec parses one schedule (already normalized). It turns the parser's
// quirks into errors: robfig/cron panics on a zone prefix with nothing after
// it, and accepts specs such as "0 0 30 2 *" that never fire.
func ParseSpec(spec string) (sched cron.Schedule, err error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, errors.New("empty spec")
	}
	if hasTZPrefix(spec) && !strings.ContainsAny(spec, " \t") {
		return nil, fmt.Errorf("%q: no schedule after the time zone", spec)
	}
	defer func() {
		if p := recover(); p != nil {
			sched, err = nil, fmt.Errorf("%q: unparseable: %v", spec, p)
		}
	}()
	sched, err = specParser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", spec, err)
	}
	if sched.Next(time.Now()).IsZero() {
		return nil, fmt.Errorf("%q: never fires", spec)
	}
	return sched, nil
}

// CheckSpecs parses every job's spec (empty = not scheduled) and returns one
// error per bad spec or zone, sorted by job, so configuration errors are all
// reported at once.
func CheckSpecs(specs map[string]string, defaultTZ string) []error {
	var errs []error
	if defaultTZ != "" {
		if _, err := time.LoadLocation(defaultTZ); err != nil {
			errs = append(errs, fmt.Errorf("cron_tz %q: %w", defaultTZ, err))
			defaultTZ = "" // report each job's own problems, not this one again
		}
	}
	names := make([]string, 0, len(specs))
	for name := range specs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if strings.TrimSpace(specs[name]) == "" {
			continue
		}
		if _, err := ParseSpec(NormalizeSpec(specs[name], defaultTZ)); err != nil {
			errs = append(errs, fmt.Errorf("job %s: %w", name, err))
		}
	}
	return errs
}

// lookback bounds how far back lastActivation searches: a gap longer than
// this is caught up from its most recent activation within it.
const lookback = 5 * 366 * 24 * time.Hour

// lastActivation returns the latest activation t of sched with after < t <= now.
//
// Schedules only answer "next after t", so it probes windows ending at now
// that double in size until one holds an activation, then walks forward to the
// last one; both loops are bounded.
func lastActivation(sched cron.Schedule, now, after time.Time) (time.Time, bool) {
	if limit := now.Add(-lookback); after.Before(limit) {
		after = limit
	}
	if !after.Before(now) {
		return time.Time{}, false
	}
	if d, ok := sched.(cron.ConstantDelaySchedule); ok {
		// @every d fires d after the service started, not on a fixed grid:
		// what was missed is the whole periods since the last run.
		n := now.Sub(after) / d.Delay
		if n < 1 {
			return time.Time{}, false
		}
		return after.Add(n * d.Delay), true
	}
	for w := time.Second; ; w *= 2 {
		from := now.Add(-w)
		if !from.After(after) {
			from = after
		}
		t := sched.Next(from)
		if !t.IsZero() && !t.After(now) {
			for range 100_000 {
				n := sched.Next(t)
				if n.IsZero() || n.After(now) {
					break
				}
				t = n
			}
			return t, true
		}
		if from.Equal(after) {
			return time.Time{}, false
		}
	}
}

// location is the zone a schedule is read in (its CRON_TZ, else fallback).
func location(sched cron.Schedule, fallback *time.Location) *time.Location {
	if s, ok := sched.(*cron.SpecSchedule); ok && s.Location != nil {
		return s.Location
	}
	return fallback
}

// dateIn is t's calendar day in loc, as midnight UTC: the as-of date a run
// scheduled at t works for.
func dateIn(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
