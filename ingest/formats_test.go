package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestBOMCRLFQuotedCommasAndNewlines: a UTF-8 BOM, CRLF line ends, quoted
// commas, a quoted line break and doubled quotes; the reject after the
// two-line record still gets its physical line number.
func TestBOMCRLFQuotedCommasAndNewlines(t *testing.T) {
	s := testkit.Open(t)
	sum := run(t, s, Options{}, landing(t, "orders_bom_crlf.csv"))
	f := file(t, sum, "orders_bom_crlf.csv")
	if f.Dataset != "orders" || f.Loaded != 3 || f.Rejected != 1 {
		t.Fatalf("%+v", f)
	}
	equal(t, "orders", column(t, s, `SELECT concat_ws(' | ', asset_id, order_status, order_quantity, estimated_charges, currency,
		order_purchase_date, customer_company_name, is_trial) FROM orders ORDER BY asset_id`),
		[]string{
			"A-1 | Active | 3 | 10.500000 | USD | 2025-06-01 | Contoso, Ltd. | false",
			"A-2 | Canceled | 1 | -10.500000 | EUR | 2025-06-01 | Fabrikam\r\nNorth | false",
			`A-4 | Active | 2 | 5.000000 | USD | 2025-06-02 | Say "hi" | true`,
		})
	equal(t, "rejects", rejectStrings(rejects(t, s, "orders_bom_crlf.csv")), []string{
		`line 5 order_status: OrderStatus must be one of Active, Canceled, Expired, Abandoned, Warning: "Pending" [A-3,L-1,1,Pending,2,5.00,USD,2025-06-02,Northwind,true]`,
	})
}

// TestJSONLines: blank lines are skipped, a malformed line and a line that
// is not an object are rejects, keys may be spelt either way on any line,
// unknown keys are ignored and offsets are converted to UTC.
func TestJSONLines(t *testing.T) {
	s := testkit.Open(t)
	sum := run(t, s, Options{}, landing(t, "clicks.jsonl"))
	f := file(t, sum, "clicks.jsonl")
	if f.Dataset != "clicks" || f.Format != "jsonl" || f.Loaded != 3 || f.Rejected != 3 {
		t.Fatalf("%+v", f)
	}
	equal(t, "clicks", column(t, s, `SELECT concat_ws(' | ', "timestamp", session_id, coalesce(site, 'NULL'), action) FROM clicks ORDER BY session_id`),
		[]string{
			"2025-06-01 10:00:00 | s-1 | AZUREMARKETPLACE | PageVisit",
			"2025-06-01 10:00:00 | s-2 | APPSOURCE | GetItNow",
			"2025-06-02 09:30:00 | s-4 | NULL | ContactMe",
		})
	lines := strings.Split(readFixture(t, "clicks.jsonl"), "\n")
	equal(t, "rejects", rejectStrings(rejects(t, s, "clicks.jsonl")), []string{
		"line 3 : not valid JSON [" + lines[2] + "]",
		"line 4 : not a JSON object [" + lines[3] + "]",
		`line 6 action: Action must be one of PageVisit, GetItNow, ContactMe, TestDrive, FreeTrial, ConsentGiven: "Purchase" [` + lines[5] + "]",
	})
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestParquet: a Parquet file written by DuckDB (typed columns) loads; a bad
// row is rejected with its row number and the row as JSON.
func TestParquet(t *testing.T) {
	s := testkit.Open(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "fx.parquet")
	writeParquet(t, s, p, `SELECT * FROM (VALUES ('EUR', DATE '2025-06-01', 1.08::DECIMAL(10,4)),
		('ABC', DATE '2025-06-01', 1.00::DECIMAL(10,4)), ('GBP', DATE '2025-06-09', 1.27::DECIMAL(10,4))) t("Currency", "Month", "RateToUsd")`)
	sum := run(t, s, Options{}, dir)
	f := file(t, sum, "fx.parquet")
	if f.Dataset != "fx_rates" || f.Format != "parquet" || f.Loaded != 2 || f.Rejected != 1 {
		t.Fatalf("%+v", f)
	}
	equal(t, "fx", column(t, s, `SELECT concat_ws(' | ', currency, month, rate_to_usd) FROM fx_rates ORDER BY currency`),
		[]string{"EUR | 2025-06-01 | 1.08000000", "GBP | 2025-06-01 | 1.27000000"})
	equal(t, "rejects", rejectStrings(rejects(t, s, "fx.parquet")), []string{
		`line 2 currency: unknown currency: "ABC" [{"Currency":"ABC","Month":"2025-06-01","RateToUsd":1.0}]`,
	})
}

// writeParquet writes the query's result with DuckDB's COPY.
func writeParquet(t *testing.T, s *duckstore.Store, path, query string) {
	t.Helper()
	if _, err := s.Exec(context.Background(), fmt.Sprintf(`COPY (%s) TO %s (FORMAT parquet)`, query, duckstore.Literal(path))); err != nil {
		t.Fatal(err)
	}
}

// TestTruncatedParquetIsQuarantinedAndTheRestLoads: a file that cannot be
// read at all is moved to the quarantine folder and recorded; the other
// files of the run still load.
func TestTruncatedParquetIsQuarantinedAndTheRestLoads(t *testing.T) {
	s := testkit.Open(t)
	dir := landing(t, "fx_rates.csv")
	good := filepath.Join(t.TempDir(), "good.parquet")
	writeParquet(t, s, good, `SELECT 'sub-'||i AS MarketplaceSubscriptionId, DATE '2025-06-01' AS UsageDate, 'r-'||i AS ReferenceId FROM range(1000) r(i)`)
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "usage.parquet", string(b[:len(b)/2]))
	quarantine := filepath.Join(t.TempDir(), "quarantine")
	sum := run(t, s, Options{QuarantineDir: quarantine}, dir)

	bad := file(t, sum, "usage.parquet")
	if bad.Status != StatusQuarantined || bad.QuarantinedTo != filepath.Join(quarantine, "usage.parquet") || !strings.Contains(bad.Err, "parquet") {
		t.Fatalf("%+v", bad)
	}
	if _, err := os.Stat(filepath.Join(dir, "usage.parquet")); !os.IsNotExist(err) {
		t.Errorf("the truncated file is still in the landing folder: %v", err)
	}
	if _, err := os.Stat(bad.QuarantinedTo); err != nil {
		t.Errorf("not in quarantine: %v", err)
	}
	if f := file(t, sum, "fx_rates.csv"); f.Status != StatusLoaded || f.Loaded != 3 {
		t.Errorf("the other file: %+v", f)
	}
	equal(t, "quarantine record", column(t, s, `SELECT concat_ws(' | ', regexp_extract(path, '[^/\\]+$'), regexp_extract(moved_to, '[^/\\]+$'), length(sha256)) FROM ingest_quarantine`),
		[]string{"usage.parquet | usage.parquet | 64"})
	if n := count(t, s, `SELECT count(*) FROM usage`); n != 0 {
		t.Errorf("%d usage rows", n)
	}
}

// TestEmptyAndHeaderOnlyFiles are not errors: nothing to load, said so.
func TestEmptyAndHeaderOnlyFiles(t *testing.T) {
	s := testkit.Open(t)
	sum := run(t, s, Options{}, landing(t, "empty.csv", "orders_header_only.csv"))
	empty := file(t, sum, "empty.csv")
	if empty.Status != StatusEmpty || empty.Note == "" {
		t.Errorf("empty: %+v", empty)
	}
	hdr := file(t, sum, "orders_header_only.csv")
	if hdr.Status != StatusLoaded || hdr.Dataset != "orders" || hdr.Loaded != 0 || hdr.Rejected != 0 || !strings.Contains(hdr.Note, "header only") {
		t.Errorf("header only: %+v", hdr)
	}
	if n := sum.Count(StatusQuarantined); n != 0 {
		t.Errorf("%d quarantined", n)
	}
	// The header-only file is in the ledger (it was read); the empty one is not.
	equal(t, "ledger", column(t, s, `SELECT regexp_extract(path, '[^/\\]+$') FROM ingest_files`), []string{"orders_header_only.csv"})
}

// TestBlankLinesAndDelimiterSniffing: blank lines (also before the header)
// are skipped and do not throw line numbers off; a .txt file's delimiter is
// sniffed from its header.
func TestBlankLinesAndDelimiterSniffing(t *testing.T) {
	s := testkit.Open(t)
	dir := t.TempDir()
	writeFile(t, dir, "partners.txt", "\n\nPartnerId;PgaId;PartnerName\np-1;100;Contoso\n\n\np-2;;Fabrikam\np-3;300;\"Northwind; Inc\"\n")
	sum := run(t, s, Options{}, dir)
	f := file(t, sum, "partners.txt")
	if f.Format != "csv" || f.Loaded != 2 || f.Rejected != 1 {
		t.Fatalf("%+v", f)
	}
	equal(t, "rejects", rejectStrings(rejects(t, s, "partners.txt")), []string{"line 7 pga_id: required value missing [p-2;;Fabrikam]"})
	equal(t, "names", column(t, s, `SELECT partner_name FROM partners ORDER BY partner_id`), []string{"Contoso", "Northwind; Inc"})
}

// TestMixedLineEndingsQuarantine documents a limit of DuckDB's strict CSV
// reader: a file mixing \n and \r\n line ends cannot be read, and says why.
func TestMixedLineEndingsQuarantine(t *testing.T) {
	s := testkit.Open(t)
	dir := t.TempDir()
	writeFile(t, dir, "partners.csv", "PartnerId,PgaId\r\np-1,100\np-2,200\r\n")
	sum := run(t, s, Options{}, dir)
	f := file(t, sum, "partners.csv")
	if f.Status != StatusQuarantined || !strings.Contains(f.Err, "mixed line endings") {
		t.Fatalf("%+v", f)
	}
}
