package reports_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/marketplace-insights/insights/reports"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// fileText is everything a generated file shows: the CSV text, or the name
// and every cell (as shown, number formats applied) of every sheet of a
// workbook, and its document properties.
func fileText(t *testing.T, path string) string {
	t.Helper()
	if strings.HasSuffix(path, ".xlsx") {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var b strings.Builder
		props, err := f.GetDocProps()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%+v\n", *props)
		for _, sheet := range f.GetSheetList() {
			fmt.Fprintf(&b, "== %s\n", sheet)
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				b.WriteString(strings.Join(r, "\t"))
				b.WriteByte('\n')
			}
		}
		return b.String()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// queryStrings returns the values of a one-column query.
func queryStrings(t *testing.T, s *duckstore.Store, q string, args ...any) []string {
	t.Helper()
	rows, err := s.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPartnerSeesOnlyOwnRows generates every partner's files and checks that
// none shows an identifier of another partner's orders, usage, deployments or
// campaigns, nor anything of the customers who opted out.
func TestPartnerSeesOnlyOwnRows(t *testing.T) {
	ctx := context.Background()
	s, _ := fixtureStore(t)
	// Parquet holds the same records as the CSV, compressed: scanning its bytes would prove nothing.
	g, out := generator(t, s, reports.Options{Formats: []string{reports.XLSX, reports.CSV}})
	files, err := g.All(ctx, runFor(t, s), fixturePeriod(t))
	if err != nil {
		t.Fatal(err)
	}
	partners, err := reports.Partners(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(partners) != 4 {
		t.Fatalf("%d partners in the fixtures, want 4", len(partners))
	}
	// Markers of the customers who opted out (by subscription, by tenant as
	// their CustomerId, by tenant through a deployment): never shown anywhere.
	optedOut := []string{"cust-tyrell", "Tyrell", "MS-TYRELL-1", "cust-umbrella", "Umbrella", "AZ-SUB-UMBRELLA", "MS-UMB-1", "cust-soylent", "Soylent", "az-sub-hidden", "D-5", "D-8"}
	for _, p := range partners {
		t.Run(p.ID, func(t *testing.T) {
			foreign := queryStrings(t, s, `
				SELECT asset_id FROM current_orders WHERE partner_id <> ?
				UNION SELECT reference_id FROM resolved_usage WHERE partner_id <> ?
				UNION SELECT deployment_id FROM deployment_attribution WHERE partner_id <> ? AND deployment_id IS NOT NULL
				UNION SELECT tracking_id FROM tracking_ids WHERE partner_id <> ?
				UNION SELECT mktcmpid FROM campaign_clicks WHERE partner_id <> ? AND mktcmpid <> '_NoCampaign'
				UNION SELECT offer_name FROM offers WHERE partner_id <> ?`,
				p.ID, p.ID, p.ID, p.ID, p.ID, p.ID)
			if len(foreign) == 0 {
				t.Fatal("no foreign identifiers: the test would prove nothing")
			}
			var mine []reports.File
			for _, f := range files {
				if f.PartnerID == p.ID {
					mine = append(mine, f)
				}
			}
			if len(mine) != 1+len(reports.Catalog()) {
				t.Fatalf("%d files for %s", len(mine), p.ID)
			}
			for _, f := range mine {
				text := fileText(t, filepath.Join(out, filepath.FromSlash(f.Path)))
				for _, id := range append(foreign, optedOut...) {
					if strings.Contains(text, id) {
						t.Errorf("%s shows %q, which is not %s's", f.Path, id, p.ID)
					}
				}
			}
		})
	}
	// Nothing but the partners' folders under the as-of.
	entries, err := os.ReadDir(filepath.Join(out, "2025-07-05"))
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		dirs = append(dirs, e.Name())
	}
	want := []string{reports.SafeName("Odd/Partner #1"), "p-contoso", "p-contoso-labs", "p-fabrikam"}
	if strings.Join(dirs, ",") != strings.Join(want, ",") {
		t.Errorf("partner folders %v, want %v", dirs, want)
	}
}

// TestMaskingRule: names and emails show only for customers who bought from
// the partner through the marketplace. Wayne Foods only trialled Contoso's
// offer but bought Fabrikam's: masked for Contoso, shown to Fabrikam.
func TestMaskingRule(t *testing.T) {
	s, _ := fixtureStore(t)
	tests := []struct {
		partner, customer string
		shown             bool
	}{
		{"p-contoso", "cust-acme", true},     // billed through Azure
		{"p-contoso", "cust-hooli", true},    // bought, later canceled: still bought
		{"p-contoso", "cust-initech", false}, // free trial only
		{"p-contoso", "cust-wayne", false},   // free trial with Contoso
		{"p-fabrikam", "cust-wayne", true},   // bought from Fabrikam
		{"p-contoso-labs", "cust-nakatomi", false},
	}
	r, err := reports.Lookup("customers_detail")
	if err != nil {
		t.Fatal(err)
	}
	orders, err := reports.Lookup("orders_detail")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.partner+"/"+tc.customer, func(t *testing.T) {
			args := []any{tc.partner, fixturePeriod(t).First(), fixturePeriod(t).Month}
			rows := tableRows(t, s, r, args)
			found := false
			for _, row := range rows {
				if row["customer_id"] != tc.customer {
					continue
				}
				found = true
				masked := row["first_name"] == "***" && row["last_name"] == "***" && row["email"] == "***"
				if masked == tc.shown || row["contact_details"] != map[bool]string{true: "shown", false: "masked"}[tc.shown] {
					t.Errorf("customer row %v: want shown=%v", row, tc.shown)
				}
				if !tc.shown && (row["customer_company_name"] == "" || row["city"] == "") {
					t.Errorf("masking hid business fields too: %v", row)
				}
			}
			if !found {
				t.Fatalf("%s not in %s's customers", tc.customer, tc.partner)
			}
			for _, row := range tableRows(t, s, orders, args) {
				if row["customer_id"] == tc.customer && (row["customer_name"] == "***") == tc.shown {
					t.Errorf("order line %s: customer name %q, want shown=%v", row["line_item_id"], row["customer_name"], tc.shown)
				}
			}
		})
	}
}

// TestAtomicReplacement: regenerating the same as-of replaces every file with
// identical content (CSV and Parquet byte for byte, workbooks cell for cell as
// shown, Metadata included), through a rename (a reader holding the old file keeps
// reading it whole), leaves no temporary file, and keeps one manifest row per
// file.
func TestAtomicReplacement(t *testing.T) {
	ctx := context.Background()
	s, run, out, first := contosoReports(t)
	wb := filepath.Join(out, filepath.FromSlash(first[0].Path))
	firstContent := fileText(t, wb) // every cell as shown, number formats applied
	old, err := os.Open(wb)         // a download in progress
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()

	// RenderAll: the partner's rows did not change, so it would keep its files.
	g, err := reports.New(s, nil, out, reports.Options{RenderAll: true})
	if err != nil {
		t.Fatal(err)
	}
	second, err := g.Partner(ctx, run, "p-contoso", fixturePeriod(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != len(first) {
		t.Fatalf("%d files, then %d", len(first), len(second))
	}
	for i := range first {
		if first[i].Path != second[i].Path || first[i].ReportID != second[i].ReportID {
			t.Fatalf("file %d: %s (%s) then %s (%s)", i, first[i].Path, first[i].ReportID, second[i].Path, second[i].ReportID)
		}
		if first[i].Format == reports.XLSX {
			continue // compared on content below: excelize orders some zip parts at random
		}
		if first[i].SHA256 != second[i].SHA256 || first[i].Size != second[i].Size {
			t.Errorf("%s changed on re-generation: %+v then %+v", first[i].Path, first[i], second[i])
		}
	}
	if got := fileText(t, wb); got != firstContent {
		t.Errorf("the workbook's content changed on re-generation:\n%s\n---\n%s", firstContent, got)
	}
	oldInfo, err := old.Stat()
	if err != nil {
		t.Fatal(err)
	}
	newInfo, err := os.Stat(wb)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(oldInfo, newInfo) {
		t.Error("the workbook was rewritten in place, not replaced by a rename")
	}
	if data, err := io.ReadAll(old); err != nil || int64(len(data)) != first[0].Size {
		t.Errorf("the old file's reader got %d bytes (%v), want all %d", len(data), err, first[0].Size)
	}
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
	var rows, distinct int
	if err := s.QueryRow(ctx, `SELECT count(*), count(DISTINCT path) FROM report_files WHERE partner_id = 'p-contoso'`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != len(first) || distinct != rows {
		t.Errorf("manifest: %d rows for %d paths, want %d", rows, distinct, len(first))
	}
	var size int64
	var sum, audience string
	if err := s.QueryRow(ctx, `SELECT size_bytes, sha256, audience FROM report_files WHERE report_id = ?`, first[0].ReportID).Scan(&size, &sum, &audience); err != nil {
		t.Fatal(err)
	}
	if size != newInfo.Size() || sum != second[0].SHA256 || audience != "partner" {
		t.Errorf("manifest row: size %d sha %s audience %s", size, sum, audience)
	}
}
