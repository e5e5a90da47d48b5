package scheduler

import (
	"strings"
	"testing"
	"time"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		name, spec string
		wantErr    string // "" = valid
	}{
		{"five fields", "0 3 * * *", ""},
		{"six fields with seconds", "30 0 3 * * *", ""},
		{"CRON_TZ prefix", "CRON_TZ=Europe/Paris 0 3 * * *", ""},
		{"TZ prefix", "TZ=America/New_York 0 3 * * 1-5", ""},
		{"descriptor", "@daily", ""},
		{"every", "@every 90m", ""},
		{"empty", "  ", "empty spec"},
		{"too few fields", "0 3 *", "expected"},
		{"too many fields", "0 0 3 * * * *", "expected"},
		{"minute out of range", "61 3 * * *", "61"},
		{"bad month name", "0 3 * foo *", "foo"},
		{"unknown zone", "CRON_TZ=Mars/Base 0 3 * * *", "Mars/Base"},
		{"zone without schedule", "CRON_TZ=UTC", "no schedule after the time zone"},
		{"unknown descriptor", "@fortnightly", "fortnightly"},
		{"never fires", "0 0 30 2 *", "never fires"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSpec(tc.spec)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("ParseSpec(%q) = %v, want valid", tc.spec, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("ParseSpec(%q) = %v, want error containing %q", tc.spec, err, tc.wantErr)
			}
		})
	}
}

func TestCheckSpecsListsEveryProblem(t *testing.T) {
	specs := map[string]string{
		"batch":       "0 3 * * *",  // fine
		"ingest":      "*/5 * * *",  // 4 fields
		"transform":   "0 25 * * *", // hour 25
		"reports":     "",           // not scheduled: fine
		"review-pack": "CRON_TZ=Nowhere/Town 0 6 * * 1",
	}
	errs := CheckSpecs(specs, "Bad/Zone")
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{`cron_tz "Bad/Zone"`, "job ingest", "job review-pack", "job transform"} {
		if !strings.Contains(all, want) {
			t.Errorf("errors do not mention %q:\n%s", want, all)
		}
	}
	if len(errs) != 4 {
		t.Fatalf("got %d errors, want 4 (zone, ingest, review-pack, transform):\n%s", len(errs), all)
	}
	if strings.Contains(all, "job batch") || strings.Contains(all, "job reports") {
		t.Fatalf("valid specs reported:\n%s", all)
	}
	// Sorted by job, so the listing is stable.
	if !(strings.Index(all, "job ingest") < strings.Index(all, "job review-pack") &&
		strings.Index(all, "job review-pack") < strings.Index(all, "job transform")) {
		t.Fatalf("errors not sorted by job:\n%s", all)
	}
}

func TestNormalizeSpecAddsDefaultZone(t *testing.T) {
	tests := []struct{ spec, tz, want string }{
		{"0 3 * * *", "UTC", "CRON_TZ=UTC 0 3 * * *"},
		{" 0 3 * * * ", "", "0 3 * * *"},
		{"TZ=Asia/Tokyo 0 3 * * *", "UTC", "TZ=Asia/Tokyo 0 3 * * *"},
		{"", "UTC", ""},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			if got := NormalizeSpec(tc.spec, tc.tz); got != tc.want {
				t.Fatalf("NormalizeSpec(%q, %q) = %q, want %q", tc.spec, tc.tz, got, tc.want)
			}
		})
	}
}

func TestLastActivation(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.DateTime, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name, spec string
		now, after string
		want       string // "" = none
	}{
		{"daily, missed today", "CRON_TZ=UTC 0 3 * * *", "2025-07-03 10:00:00", "2025-07-01 03:00:00", "2025-07-03 03:00:00"},
		{"daily, nothing missed", "CRON_TZ=UTC 0 3 * * *", "2025-07-03 10:00:00", "2025-07-03 03:00:00", ""},
		{"activation exactly now", "CRON_TZ=UTC 0 3 * * *", "2025-07-03 03:00:00", "2025-07-02 03:00:00", "2025-07-03 03:00:00"},
		{"monthly across a long gap", "CRON_TZ=UTC 0 2 1 * *", "2025-07-15 00:00:00", "2024-01-01 02:00:00", "2025-07-01 02:00:00"},
		{"every second", "CRON_TZ=UTC * * * * * *", "2025-07-03 10:00:00", "2025-06-01 00:00:00", "2025-07-03 10:00:00"},
		{"zone shifts the day", "CRON_TZ=Asia/Tokyo 0 1 * * *", "2025-07-03 10:00:00", "2025-07-01 00:00:00", "2025-07-02 16:00:00"},
		{"every 6h since the last run", "@every 6h", "2025-07-03 10:00:00", "2025-07-02 20:00:00", "2025-07-03 08:00:00"},
		{"every 6h, not yet due", "@every 6h", "2025-07-03 10:00:00", "2025-07-03 05:00:00", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sched, err := ParseSpec(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := lastActivation(sched, at(tc.now), at(tc.after))
			if tc.want == "" {
				if ok {
					t.Fatalf("got %v, want none", got)
				}
				return
			}
			if !ok || !got.Equal(at(tc.want)) {
				t.Fatalf("got %v (%v), want %s UTC", got.UTC(), ok, tc.want)
			}
		})
	}
}
