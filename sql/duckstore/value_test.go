package duckstore

import (
	"context"
	"testing"
)

func TestDecimalTextKeepsScale(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	tests := []struct{ expr, want string }{
		{"25000.00::DECIMAL(18,2)", "25000.00"},
		{"0::DECIMAL(18,2)", "0.00"},
		{"-0.05::DECIMAL(18,2)", "-0.05"},
		{"1.5::DECIMAL(18,6)", "1.500000"},
		{"-12345678901234.123456::DECIMAL(38,6)", "-12345678901234.123456"},
		{"7::DECIMAL(9,0)", "7"},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			var v any
			if err := s.QueryRow(ctx, "SELECT "+tc.expr).Scan(&v); err != nil {
				t.Fatal(err)
			}
			got, ok := DecimalText(v)
			if !ok || got != tc.want {
				t.Fatalf("DecimalText(%s) = %q, %v; want %q", tc.expr, got, ok, tc.want)
			}
		})
	}
	if _, ok := DecimalText("1.00"); ok {
		t.Fatal("a string was taken for a decimal")
	}
}
