package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealDownloadsAcrossShapes: an order or a usage day delivered first in
// one shape and then in another (full export with line items / reference
// ids, system query without) counts once, in the shape of its latest
// delivery, from the ingest through the transform; and the publisher comes
// from the landing folder (landing/<partner_id>/…).
func TestRealDownloadsAcrossShapes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "i.duckdb")
	q := filepath.Join(t.TempDir(), "q")
	root := t.TempDir()
	deliver := func(name string, files map[string]string) {
		t.Helper()
		dir := filepath.Join(root, name, "landing")
		for p, text := range files {
			full := filepath.Join(dir, p)
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if code, out, errOut := runIngestCLI(t, "--db", db, "ingest", "--quarantine", q, dir); code != 0 {
			t.Fatalf("ingest %s: exit %d\n%s\n%s", name, code, out, errOut)
		}
		if code, out, errOut := runIngestCLI(t, "--db", db, "transform", "--as-of", "2025-06-30"); code != 0 {
			t.Fatalf("transform after %s: exit %d\n%s\n%s", name, code, out, errOut)
		}
	}
	query := func(q string) []string {
		t.Helper()
		code, out, errOut := runIngestCLI(t, "--db", db, "sql", "--format", "csv", q)
		if code != 0 {
			t.Fatalf("sql: exit %d\n%s", code, errOut)
		}
		return strings.Split(strings.TrimSpace(out), "\n")[1:]
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n got  %q\n want %q", what, got, want)
		}
	}
	const ordersQ = `SELECT asset_id || ' ' || coalesce(purchase_record_line_item_id, '-') || ' ' || estimated_charges::INTEGER || ' ' || partner_id FROM current_orders ORDER BY 1`
	const usageQ = `SELECT marketplace_subscription_id || ' ' || (reference_id LIKE 'k:%') || ' ' || metered_usage::INTEGER || ' ' || partner_id FROM resolved_usage ORDER BY 1`

	deliver("full", map[string]string{
		"partners.csv": "PartnerId,PgaId\nP1,G1\n",
		"P1/orders.csv": "AssetId,PurchaseRecordLineItemId,OrderVersion,MonthStartDate,EstimatedCharges,Currency\n" +
			"A-1,L-1,1,2025-06-01,10,USD\nA-1,L-2,1,2025-06-01,20,USD\n",
		"P1/usage.csv": "MarketplaceSubscriptionId,UsageDate,MeterId,ReferenceId,MeteredUsage\n" +
			"S-1,2025-06-02,m-1,r-1,1\nS-1,2025-06-02,m-2,r-2,2\n",
	})
	check("line items", query(ordersQ), []string{"A-1 L-1 10 P1", "A-1 L-2 20 P1"})
	check("usage lines", query(usageQ), []string{"S-1 false 1 P1", "S-1 false 2 P1"})

	deliver("system query", map[string]string{
		"P1/orders.csv": `"OrderId","MonthStartDate","OrderStatus","estimatedcharges"` + "\n" + `"A-1","2025-06-01","Active","35"` + "\n",
		"P1/usage.csv":  `"MarketplaceSubscriptionId","UsageDate","UsageReference","MeteredUsage"` + "\n" + `"S-1","2025-06-02","u-1","4"` + "\n",
	})
	check("the order in its latest shape", query(ordersQ), []string{"A-1 - 35 P1"})
	check("the usage day in its latest shape", query(usageQ), []string{"S-1 true 4 P1"})

	deliver("full again", map[string]string{
		"P1/orders.csv": "AssetId,PurchaseRecordLineItemId,OrderVersion,MonthStartDate,EstimatedCharges,Currency\n" +
			"A-1,L-1,2,2025-06-01,11,USD\nA-1,L-2,2,2025-06-01,21,USD\n",
	})
	check("line items again", query(ordersQ), []string{"A-1 L-1 11 P1", "A-1 L-2 21 P1"})
}
