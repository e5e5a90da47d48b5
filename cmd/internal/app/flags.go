package app

import (
	"fmt"
	"time"
)

// dateFlag is the one type of every date flag (YYYY-MM-DD): --as-of of
// transform, run, report, review-pack and tiers, --since of unlocks. It knows
// whether it was set, so that each command picks its own default (today, the
// data's latest date, the last transform run's).
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

// Time returns the flag's date, or the zero time when unset (for the callees
// that read zero as "no date given").
func (d *dateFlag) Time() time.Time {
	if d.set {
		return d.t
	}
	return time.Time{}
}
