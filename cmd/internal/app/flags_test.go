package app

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func TestDateFlag(t *testing.T) {
	today := time.Date(2026, 11, 3, 22, 15, 0, 0, time.FixedZone("X", -5*3600))
	tests := []struct {
		name, in     string
		wantErr      bool
		str, or, tim string
	}{
		{"unset", "", false, "", "2026-11-03", "0001-01-01"},
		{"a date", "2026-10-31", false, "2026-10-31", "2026-10-31", "2026-10-31"},
		{"leap day", "2024-02-29", false, "2024-02-29", "2024-02-29", "2024-02-29"},
		{"no such day", "2025-02-29", true, "", "2026-11-03", "0001-01-01"},
		{"a month", "2026-10", true, "", "2026-11-03", "0001-01-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d dateFlag
			if tc.in != "" {
				err := d.Set(tc.in)
				if (err != nil) != tc.wantErr {
					t.Fatalf("Set(%q) = %v, want error %v", tc.in, err, tc.wantErr)
				}
				if err != nil && !strings.Contains(err.Error(), tc.in) {
					t.Errorf("error %q does not name the value", err)
				}
			}
			if got := d.String(); got != tc.str {
				t.Errorf("String() = %q, want %q", got, tc.str)
			}
			if got := d.Or(today).Format(time.DateOnly); got != tc.or {
				t.Errorf("Or(today) = %s, want %s", got, tc.or)
			}
			if got := d.Time().Format(time.DateOnly); got != tc.tim {
				t.Errorf("Time() = %s, want %s", got, tc.tim)
			}
		})
	}
}

// TestDateFlagsAreOneType: every command flag that takes a date is a
// dateFlag (a seventh command does not grow its own), and the six known ones
// are there.
func TestDateFlagsAreOneType(t *testing.T) {
	want := map[string]bool{"transform --as-of": true, "run --as-of": true, "report --as-of": true,
		"review-pack --as-of": true, "tiers --as-of": true, "unlocks --since": true}
	got := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			name := strings.TrimPrefix(c.CommandPath()+" --"+f.Name, "insights ")
			_, isDate := f.Value.(*dateFlag)
			if isDate {
				got[name] = true
			}
			// An instant (review decide --at, the workspace's --at and --as-of: a
			// date or a date and time) is not a date.
			instant := strings.Contains(f.Usage, "YYYY-MM-DDT") || strings.Contains(f.Usage, "[THH")
			dateOnly := strings.Contains(f.Usage, "YYYY-MM-DD") && !instant
			if !isDate && !instant && (dateOnly || f.Name == "as-of" || f.Name == "since") {
				t.Errorf("%s takes a date but is a %T, not a dateFlag", name, f.Value)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk((&App{}).rootCommand())
	for name := range want {
		if !got[name] {
			t.Errorf("%s: no dateFlag (date flags: %v)", name, got)
		}
	}
}

// TestAtFlag: an unset --at is the zero time (the callee uses now); a date or
// a date and time is that instant in UTC; anything else is an error naming
// the flag and the value.
func TestAtFlag(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{"", "0001-01-01T00:00:00Z", false},
		{"2026-03-03", "2026-03-03T00:00:00Z", false},
		{"2026-03-03T10:30", "2026-03-03T10:30:00Z", false},
		{"yesterday", "", true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := atFlag(tc.in)
			if tc.bad {
				if err == nil || !strings.Contains(err.Error(), "--at") || !strings.Contains(err.Error(), tc.in) {
					t.Fatalf("atFlag(%q) = %v, want an error naming --at and the value", tc.in, err)
				}
				return
			}
			if err != nil || got.UTC().Format(time.RFC3339) != tc.want {
				t.Fatalf("atFlag(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
			}
		})
	}
}
