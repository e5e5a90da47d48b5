package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"
)

func TestLatestCompleteMonth(t *testing.T) {
	tests := []struct{ asOf, want string }{
		{"2025-07-05", "2025-06-01"},
		{"2025-06-30", "2025-06-01"}, // the last day completes its month
		{"2025-07-01", "2025-06-01"},
		{"2025-01-15", "2024-12-01"},
		{"2024-02-29", "2024-02-01"},
		{"2024-02-28", "2024-01-01"},
	}
	for _, tc := range tests {
		t.Run(tc.asOf, func(t *testing.T) {
			asOf, _ := time.Parse(time.DateOnly, tc.asOf)
			if got := LatestCompleteMonth(asOf).Format(time.DateOnly); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestPeriod(t *testing.T) {
	tests := []struct {
		month  string
		trend  string
		first  string
		suffix string
		bad    bool
	}{
		{"2025-06", "6m", "2025-01-01", "2025-06_6m", false},
		{"2025-06", "3", "2025-04-01", "2025-06_3m", false},
		{"2025-02", "12m", "2024-03-01", "2025-02_12m", false},
		{"2025-06", "1m", "2025-06-01", "2025-06_1m", false},
		{"2025-06", "5m", "", "", true},
		{"2025-06", "six", "", "", true},
		{"2025-13", "6m", "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.month+"/"+tc.trend, func(t *testing.T) {
			m, err := ParseMonth(tc.month)
			var n int
			if err == nil {
				n, err = ParseTrend(tc.trend)
			}
			var p Period
			if err == nil {
				p, err = NewPeriod(m, n)
			}
			if tc.bad {
				if err == nil {
					t.Errorf("accepted: %+v", p)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.First().Format(time.DateOnly) != tc.first || p.Suffix() != tc.suffix || p.Label() != tc.month {
				t.Errorf("first %s suffix %s label %s", p.First().Format(time.DateOnly), p.Suffix(), p.Label())
			}
		})
	}
}

func TestSafeName(t *testing.T) {
	tests := []struct{ id, want string }{
		{"p-contoso", "p-contoso"},
		{"Contoso_Labs.2", "Contoso_Labs.2"},
		{"../../etc", "etc-" + hash8("../../etc")},
		{"_rewards", "rewards-" + hash8("_rewards")},
		{"a/b", "a_b-" + hash8("a/b")},
		{"a_b", "a_b"}, // differs from "a/b" thanks to the hash
		{"Ünïcode", "n_code-" + hash8("Ünïcode")},
		{"", hash8("")},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			if got := SafeName(tc.id); got != tc.want {
				t.Errorf("SafeName(%q) = %q, want %q", tc.id, got, tc.want)
			}
		})
	}
}

func hash8(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}
