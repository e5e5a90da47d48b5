package gen

import (
	"encoding/json"
	"testing"
)

func TestAppendFixed(t *testing.T) {
	tests := []struct {
		v    int64
		exp  int
		want string
	}{
		{12345, 2, "123.45"},
		{-5, 2, "-0.05"},
		{0, 2, "0.00"},
		{1234, 0, "1234"},
		{108500000, 8, "1.08500000"},
		{670000, 8, "0.00670000"},
		{24000, 3, "24.000"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := string(appendFixed(nil, tc.v, tc.exp)); got != tc.want {
				t.Errorf("appendFixed(%d, %d) = %q, want %q", tc.v, tc.exp, got, tc.want)
			}
		})
	}
}

func TestMulDivAndSplit(t *testing.T) {
	tests := []struct {
		name    string
		total   int64
		weights []int64
	}{
		{"even", 100, []int64{1, 1, 1}},
		{"uneven with remainder", 1_000_001, []int64{3, 7, 11, 13}},
		{"negative total", -999, []int64{2, 5}},
		{"one share", 42, []int64{9}},
		{"large amounts", 4_000_000_000_00, []int64{1 << 40, 3 << 40}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := make([]int64, len(tc.weights))
			split(tc.total, tc.weights, out)
			var sum int64
			for _, v := range out {
				sum += v
			}
			if sum != tc.total {
				t.Errorf("shares %v sum to %d, want %d", out, sum, tc.total)
			}
		})
	}
	// USD cents to yen at 0.0067 USD per yen: 100 USD = 14925 JPY (truncated).
	if got := mulDiv(10000*1, 1_000_000, 670000); got != 14925 {
		t.Errorf("mulDiv = %d, want 14925", got)
	}
}

func TestAppendJSONString(t *testing.T) {
	tests := []string{`plain`, `quote " and \ backslash`, "tab\tnew\nline", "été-2025 ünïcode", "\x01control"}
	for _, in := range tests {
		t.Run(in, func(t *testing.T) {
			raw := append(append([]byte{'"'}, appendJSONString(nil, in)...), '"')
			var back string
			if err := json.Unmarshal(raw, &back); err != nil {
				t.Fatalf("%s: %v", raw, err)
			}
			if back != in {
				t.Errorf("round trip %q, want %q", back, in)
			}
		})
	}
}

func TestAppendGUID(t *testing.T) {
	tests := []struct {
		name   string
		hi, lo uint64
		upper  bool
		want   string
	}{
		{"zero bits get version 4 and variant", 0, 0, false, "00000000-0000-4000-8000-000000000000"},
		{"all bits", ^uint64(0), ^uint64(0), false, "ffffffff-ffff-4fff-bfff-ffffffffffff"},
		{"upper case", 0x0123456789abcdef, 0xfedcba9876543210, true, "01234567-89AB-4DEF-BEDC-BA9876543210"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(appendGUID(nil, tc.hi, tc.lo, tc.upper)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
