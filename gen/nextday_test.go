package gen

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// NextDay writes the day after the window, of the same marketplace, the same
// bytes for the same options, with usage only of that day and subscriptions
// the window knows, and the new month's FX rates.
func TestNextDay(t *testing.T) {
	ctx := context.Background()
	opt := Options{Scale: 1, Seed: 9, Months: 2}
	window, days := t.TempDir(), []string{t.TempDir(), t.TempDir()}
	if _, err := Generate(ctx, window, opt); err != nil {
		t.Fatal(err)
	}
	var sums []Summary
	for _, d := range days {
		sum, day, err := NextDay(ctx, d, opt)
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC); !day.Equal(want) {
			t.Fatalf("next day %s, want %s (the window ends with %s)", day, want, DefaultEnd.Format("2006-01"))
		}
		sums = append(sums, sum)
	}
	if sums[0].Rows["usage"] == 0 || sums[0].Rows["fx_rates"] != int64(len(currencies)) {
		t.Fatalf("rows %v", sums[0].Rows)
	}
	for _, f := range sums[0].Files {
		a, err := os.ReadFile(filepath.Join(days[0], filepath.Base(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(days[1], filepath.Base(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same options", f.Path)
		}
	}

	subscriptions := column(t, filepath.Join(window, "usage.csv"), "MarketplaceSubscriptionId")
	known := map[string]bool{}
	for _, s := range subscriptions {
		known[s] = true
	}
	refs := map[string]bool{}
	for _, r := range column(t, filepath.Join(window, "usage.csv"), "ReferenceId") {
		refs[r] = true
	}
	dayFile := filepath.Join(days[0], "usage_2026-11-01.csv")
	for i, d := range column(t, dayFile, "UsageDate") {
		if d != "2026-11-01" {
			t.Fatalf("row %d: usage date %s", i, d)
		}
	}
	for _, s := range column(t, dayFile, "MarketplaceSubscriptionId") {
		if !known[s] {
			t.Fatalf("subscription %s is not in the window's usage", s)
		}
	}
	for _, r := range column(t, dayFile, "ReferenceId") {
		if refs[r] {
			t.Fatalf("reference id %s repeats one of the window", r)
		}
	}
	for _, m := range column(t, filepath.Join(days[0], "fx_rates_2026-11.tsv"), "Month") {
		if m != "2026-11-01" {
			t.Fatalf("FX month %s", m)
		}
	}
}

func column(t *testing.T, path, name string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	if filepath.Ext(path) == ".tsv" {
		r.Comma = '\t'
	}
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == name {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%s has no column %s", path, name)
	}
	var out []string
	for _, row := range rows[1:] {
		if col < len(row) && row[col] != "" {
			out = append(out, row[col])
		}
	}
	return out
}
