package reports

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	sqlfiles "github.com/marketplace-insights/insights/sql"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

func TestLatestCompleteMonth(t *testing.T) {
	s := testkit.Open(t)
	tests := []struct{ asOf, want string }{
		{"2025-07-05", "2025-06-01"},
		{"2025-06-30", "2025-06-01"}, // the last day completes its month
		{"2025-07-01", "2025-06-01"},
		{"2025-01-15", "2024-12-01"},
		{"2024-02-29", "2024-02-01"}, // leap day: February's last
		{"2024-02-28", "2024-01-01"},
		{"2023-02-28", "2023-02-01"}, // no leap day: the 28th is the last
		{"2100-02-28", "2100-02-01"}, // a century is no leap year
		{"2000-02-29", "2000-02-01"}, // unless it divides by 400
		{"2025-12-31", "2025-12-01"},
		{"2026-01-01", "2025-12-01"}, // across the year
	}
	for _, tc := range tests {
		t.Run(tc.asOf, func(t *testing.T) {
			asOf, _ := time.Parse(time.DateOnly, tc.asOf)
			got, err := LatestCompleteMonth(context.Background(), s, asOf)
			if err != nil {
				t.Fatal(err)
			}
			if got.Format(time.DateOnly) != tc.want || got.Location() != time.UTC {
				t.Errorf("got %s, want %s UTC", got, tc.want)
			}
		})
	}
	t.Run("the day, not the instant", func(t *testing.T) {
		// 23:30 on June 30th in Auckland is June 30th there: its day counts,
		// as the old Go rule took it.
		nz := time.FixedZone("NZST", 12*3600)
		got, err := LatestCompleteMonth(context.Background(), s, time.Date(2025, 6, 30, 23, 30, 0, 0, nz))
		if err != nil {
			t.Fatal(err)
		}
		if got.Format(time.DateOnly) != "2025-06-01" {
			t.Errorf("got %s, want 2025-06-01", got)
		}
	})
}

// oldLatestCompleteMonth is the rule as reports/period.go wrote it before the
// macro of migration 0110 became the one definition.
func oldLatestCompleteMonth(asOf time.Time) time.Time {
	m := firstOfMonth(asOf)
	if day(asOf).AddDate(0, 0, 1).Month() != asOf.Month() {
		return m
	}
	return m.AddDate(0, -1, 0)
}

// TestLatestCompleteMonthOneRule: the macro, window_last_month (the tier
// window), the Go function and the three copies the rule had before (Go,
// migration 0007, migration 0030, texts below as they were) agree on every day
// from 2023 to 2029 (two leap years) and on the leap days of 1900, 2000 and 2100.
func TestLatestCompleteMonthOneRule(t *testing.T) {
	ctx := context.Background()
	s := testkit.Open(t)
	const old0007 = `(CASE WHEN d = last_day(d) THEN date_trunc('month', d)
	      ELSE date_trunc('month', d) - INTERVAL 1 MONTH END)::DATE`
	const old0030 = `CASE WHEN d IS NULL THEN NULL
	     WHEN d = last_day(d) THEN CAST(date_trunc('month', d) AS DATE)
	     ELSE CAST(date_trunc('month', d) - INTERVAL 1 MONTH AS DATE) END`
	q := `WITH days AS (
	    SELECT CAST(x AS DATE) AS d FROM generate_series(DATE '2023-01-01', DATE '2029-12-31', INTERVAL 1 DAY) g(x)
	    UNION ALL SELECT CAST(x AS DATE) FROM (VALUES ('1900-02-28'), ('1900-03-01'), ('2000-02-28'), ('2000-02-29'),
	        ('2100-02-28'), ('2100-03-01')) v(x)
	)
	SELECT strftime(d, '%Y-%m-%d'), latest_complete_month(d), window_last_month(d), ` + old0007 + `, ` + old0030 + `
	FROM days ORDER BY d`
	type row struct {
		day                             string
		macro, window, sql0007, sql0030 time.Time
	}
	var rows []row
	r, err := s.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var x row
		if err := r.Scan(&x.day, &x.macro, &x.window, &x.sql0007, &x.sql0030); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, x)
	}
	if err := errors.Join(r.Err(), r.Close()); err != nil {
		t.Fatal(err)
	}
	if want := 2557 + 6; len(rows) != want {
		t.Fatalf("%d days, want %d", len(rows), want)
	}
	var nulls [2]sql.NullTime
	if err := s.QueryRow(ctx, `SELECT latest_complete_month(d), `+old0030+
		` FROM (SELECT CAST(NULL AS DATE) AS d)`).Scan(&nulls[0], &nulls[1]); err != nil {
		t.Fatal(err)
	}
	if nulls[0].Valid || nulls[1].Valid {
		t.Errorf("no data: got %v, want NULL as 0030 gave %v", nulls[0], nulls[1])
	}
	for _, x := range rows {
		asOf, err := time.Parse(time.DateOnly, x.day)
		if err != nil {
			t.Fatal(err)
		}
		want := oldLatestCompleteMonth(asOf)
		got, err := LatestCompleteMonth(ctx, s, asOf)
		if err != nil {
			t.Fatal(err)
		}
		for name, v := range map[string]time.Time{"Go": got, "macro": x.macro, "window_last_month": x.window,
			"0007": x.sql0007, "0030": x.sql0030} {
			if !v.Equal(want) {
				t.Errorf("%s: %s gives %s, the old Go rule %s", x.day, name, v.Format(time.DateOnly), want.Format(time.DateOnly))
			}
		}
	}
}

// TestDataExtentCompleteMonth: the data watermarks' complete month, now from
// the macro, for data ending on a month's last day, mid-month, on a leap day,
// and for orders (month grain: their month is always complete).
func TestDataExtentCompleteMonth(t *testing.T) {
	tests := []struct {
		name, usageThrough, orderMonth string
		wantUsage, wantOrders, wantAll string
	}{
		{"month end", "2025-06-30", "2025-06-01", "2025-06-01", "2025-06-01", "2025-06-01"},
		{"mid-month", "2025-06-15", "2025-06-01", "2025-05-01", "2025-06-01", "2025-05-01"},
		{"leap day", "2024-02-29", "2024-02-01", "2024-02-01", "2024-02-01", "2024-02-01"},
		{"day before the leap day", "2024-02-28", "2024-02-01", "2024-01-01", "2024-02-01", "2024-01-01"},
		{"first of the month", "2026-01-01", "2025-12-01", "2025-12-01", "2025-12-01", "2025-12-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testkit.Open(t)
			fillExtent(t, s, tc.usageThrough, tc.orderMonth)
			got := testkit.Rows(t, s, `SELECT dataset, strftime(complete_month, '%Y-%m-%d') FROM data_extent()
				WHERE dataset IN ('usage', 'orders', 'reports', 'clicks') ORDER BY dataset`)
			want := []string{"clicks|", "orders|" + tc.wantOrders, "reports|" + tc.wantAll, "usage|" + tc.wantUsage}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// fillExtent loads two usage days (the later one usageThrough) and one order
// line of orderMonth.
func fillExtent(t *testing.T, s *duckstore.Store, usageThrough, orderMonth string) {
	t.Helper()
	testkit.Exec(t, s, `INSERT INTO usage (marketplace_subscription_id, usage_date, reference_id, _file_id)
		VALUES ('sub-1', CAST(? AS DATE) - 3, 'r1', 1), ('sub-1', CAST(? AS DATE), 'r2', 1)`, usageThrough, usageThrough)
	testkit.Exec(t, s, `INSERT INTO orders (month_start_date, asset_id, order_version, _file_id) VALUES (CAST(? AS DATE), 'a1', 1, 2)`, orderMonth)
}

// TestLatestCompleteMonthUpgrade: a database made before migration 0110 (the
// rule in 0007's and 0030's macros, no latest_complete_month) upgrades in
// place, keeps its rows, and its watermarks give the same months.
func TestLatestCompleteMonthUpgrade(t *testing.T) {
	ctx := context.Background()
	cfg := duckstore.Config{Path: filepath.Join(t.TempDir(), "old.duckdb"), Threads: 1, MemoryLimit: "1GB"}
	s, err := duckstore.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	fillExtent(t, s, "2025-06-15", "2025-06-01")
	migrations, err := sqlfiles.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for _, m := range migrations {
		texts[m.Name] = m.Text
	}
	old := []string{
		regexp.MustCompile(`(?s)CREATE MACRO window_last_month\(.*?;`).FindString(texts["0007_tier_macros.sql"]),
		regexp.MustCompile(`(?s)CREATE MACRO data_extent\(\).*?;`).FindString(texts["0030_data_watermarks.sql"]),
	}
	for _, q := range old {
		if q == "" {
			t.Fatal("the old macros are no longer in migrations 0007 and 0030")
		}
		testkit.Exec(t, s, strings.Replace(q, "CREATE MACRO", "CREATE OR REPLACE MACRO", 1))
	}
	testkit.Exec(t, s, `DROP MACRO latest_complete_month`)
	testkit.Exec(t, s, `DELETE FROM schema_migrations WHERE version = 110`)
	const extent = `SELECT dataset, strftime(complete_month, '%Y-%m-%d'), "rows" FROM data_extent() ORDER BY dataset`
	before := testkit.Rows(t, s, extent)
	window := testkit.Str(t, s, `SELECT window_last_month(DATE '2024-02-29')`)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = duckstore.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := testkit.Str(t, s, `SELECT count(*) FROM schema_migrations WHERE version = 110`); got != "1" {
		t.Fatalf("migration 0110 applied %s times, want 1", got)
	}
	if after := testkit.Rows(t, s, extent); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("data_extent after the upgrade %q, before %q", after, before)
	}
	if got := testkit.Str(t, s, `SELECT window_last_month(DATE '2024-02-29')`); got != window {
		t.Errorf("window_last_month after the upgrade %s, before %s", got, window)
	}
	if got := testkit.Str(t, s, `SELECT count(*) FROM usage`); got != "2" {
		t.Errorf("%s usage rows after the upgrade, want 2", got)
	}
	got, err := LatestCompleteMonth(ctx, s, time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC))
	if err != nil || got.Format(time.DateOnly) != "2025-05-01" {
		t.Errorf("LatestCompleteMonth after the upgrade: %s, %v; want 2025-05-01", got, err)
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
