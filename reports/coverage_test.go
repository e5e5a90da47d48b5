package reports

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/i18n"
)

func TestCoverageProblems(t *testing.T) {
	d := func(s string) time.Time {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	cov := Coverage{
		Reports: Watermark{Dataset: "reports", DataThrough: d("2026-10-31"), CompleteMonth: d("2026-10-01")},
		months: map[string]map[time.Time]bool{
			"contoso":  {d("2026-09-01"): true, d("2026-10-01"): true},
			"fabrikam": {d("2026-01-01"): true},
		},
	}
	period := func(month string, n int) Period {
		p, err := NewPeriod(d(month+"-01"), n)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name     string
		p        Period
		partners []string
		want     string // "" = no problem
	}{
		{"covered", period("2026-10", 6), []string{"contoso"}, ""},
		{"the last complete month", period("2026-10", 1), []string{"contoso"}, ""},
		{"a month after the data", period("2026-11", 6), []string{"contoso"},
			"report month 2026-11 is after the data's last complete month 2026-10 (data through 2026-10-31)"},
		{"a partner without data in the window", period("2026-10", 6), []string{"contoso", "fabrikam"},
			"partner fabrikam has no data at all from 2026-05 to 2026-10 (data through 2026-10-31)"},
		{"a partner with data only outside", period("2026-10", 3), []string{"fabrikam", "northwind"},
			"partners fabrikam, northwind have no data at all from 2026-08 to 2026-10 (data through 2026-10-31)"},
		{"both", period("2026-12", 1), []string{"contoso"},
			"report month 2026-12 is after the data's last complete month 2026-10 (data through 2026-10-31); partner contoso has no data at all in 2026-12 (data through 2026-10-31)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := cov.Check(tc.p, tc.partners)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrNoCoverage) {
				t.Fatalf("err = %v, want ErrNoCoverage", err)
			}
			if got := strings.Join(err.(*CoverageError).Problems, "; "); got != tc.want {
				t.Errorf("problems:\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
	t.Run("no data at all", func(t *testing.T) {
		err := Coverage{}.Check(period("2026-10", 1), nil)
		if err == nil || !strings.Contains(err.Error(), "report month 2026-10 has no complete month of data before it (no data yet)") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("metadata", func(t *testing.T) {
		meta := cov.meta(i18n.For(i18n.English), "fabrikam", period("2026-10", 6))
		if len(meta) != 2 || meta[0] != [2]string{"Data through", "2026-10-31 (latest complete month 2026-10)"} ||
			!strings.HasPrefix(meta[1][1], "Written with --allow-empty although partner fabrikam has no data") {
			t.Errorf("meta = %q", meta)
		}
		if meta := cov.meta(i18n.For(i18n.English), "contoso", period("2026-10", 6)); len(meta) != 1 {
			t.Errorf("a covered partner's meta = %q", meta)
		}
		var none *Coverage
		if none.meta(i18n.For(i18n.English), "contoso", period("2026-10", 6)) != nil {
			t.Error("nil coverage adds metadata")
		}
	})
}
