package ingest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestOnePassFindsRejectsByTheirOrdinals: the one-pass load inserts every
// row and finds the rejected ones by their placeholders' ordinals, then reads
// only those records again for their reasons. Around records that span lines,
// blank lines, the reader's own rejects and CR LF line ends, each reject gets
// its line, reason and raw text; no placeholder stays in the table; and the
// rejects were found that way, not by reading the whole file again (which
// would log a warning).
func TestOnePassFindsRejectsByTheirOrdinals(t *testing.T) {
	const oh = "AssetId,PurchaseRecordLineItemId,OrderVersion,OrderStatus,OrderQuantity,EstimatedCharges,Currency"
	tests := []struct {
		name, file, content string
		loaded              int64
		want                []string
	}{
		{"csv without quotes", "orders.csv",
			oh + "\nA-1,L-1,1,Active,1,1.00,USD\nA-2,L-1,1,Active,-1,1.00,USD\nA-3,L-1,1,Active,1,1.00,USD\n\nA-4,L-1,1,Active,1,ten,USD\nA-5,L-1,1,Active,1\nA-6,L-1,1,Active,1,1.00,USD\n",
			3, []string{
				`line 3 order_quantity: negative quantity: "-1" [A-2,L-1,1,Active,-1,1.00,USD]`,
				`line 6 estimated_charges: not a number: "ten" [A-4,L-1,1,Active,1,ten,USD]`,
				`line 7 : row has 5 fields, header has 7 [A-5,L-1,1,Active,1]`,
			}},
		{"csv with a record over two lines", "orders.csv",
			oh + "\r\n\"A-1\",\"L-1\r\nsecond line\",1,Active,1,1.00,USD\r\nA-2,L-1,1,Active,1,1.00,EURO\r\nA-3,L-1,1,Active,1,1.00,USD\r\n\"A-4\",\"L,4\",1,Pending,1,1.00,USD\r\n",
			2, []string{
				`line 4 currency: unknown currency: "EURO" [A-2,L-1,1,Active,1,1.00,EURO]`,
				`line 6 order_status: OrderStatus must be one of Active, Canceled, Expired, Abandoned, Warning: "Pending" ["A-4","L,4",1,Pending,1,1.00,USD]`,
			}},
		{"tsv", "orders.tsv",
			strings.ReplaceAll(oh, ",", "\t") + "\nA-1\tL-1\t1\tActive\t1\t1.00\tUSD\nA-2\tL-1\tx\tActive\t1\t1.00\tUSD\n",
			1, []string{"line 3 order_version: not a whole number: \"x\" [A-2\tL-1\tx\tActive\t1\t1.00\tUSD]"}},
		{"json lines", "clicks.jsonl",
			"{\"Timestamp\":\"2025-06-01T10:00:00Z\",\"SessionId\":\"s-1\",\"OfferId\":\"o\",\"Action\":\"PageVisit\"}\n" +
				"\n   \n" +
				"{\"Timestamp\":\"yesterday\",\"SessionId\":\"s-2\",\"OfferId\":\"o\",\"Action\":\"PageVisit\"}\n" +
				"not json\n" +
				"{\"Timestamp\":\"2025-06-01T10:00:01Z\",\"SessionId\":\"s-3\",\"OfferId\":\"o\",\"Action\":\"PageVisit\"}\r\n",
			2, []string{
				`line 4 timestamp: not a timestamp: "yesterday" [{"Timestamp":"yesterday","SessionId":"s-2","OfferId":"o","Action":"PageVisit"}]`,
				`line 5 : not valid JSON [not json]`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testkit.Open(t)
			dir := filepath.Join(t.TempDir(), "landing")
			writeFile(t, mkdir(t, dir), tt.file, tt.content)
			var logs bytes.Buffer
			l := New(s, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
				Options{QuarantineDir: filepath.Join(t.TempDir(), "q"), Partner: testPartner})
			sum, err := l.Ingest(context.Background(), []string{dir})
			if err != nil {
				t.Fatal(err)
			}
			f := file(t, sum, tt.file)
			if f.Status != StatusLoaded || f.Loaded != tt.loaded {
				t.Fatalf("%+v\n%s", f, logs.String())
			}
			var got []string
			for _, r := range rejects(t, s, tt.file) {
				got = append(got, r.String())
			}
			equal(t, "rejects", got, tt.want)
			table := "orders"
			if strings.HasSuffix(tt.file, ".jsonl") {
				table = "clicks"
			}
			if n := count(t, s, `SELECT count(*) FROM `+table+` WHERE _file_id < 0`); n != 0 {
				t.Errorf("%d placeholder rows left in %s", n, table)
			}
			for _, no := range []string{"reading the whole file again", "cannot locate rejects", "through a stage"} {
				if strings.Contains(logs.String(), no) {
					t.Errorf("the log says %q:\n%s", no, logs.String())
				}
			}
		})
	}
}

func mkdir(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRepeatedKeysTakeTheStagedWay: a file whose rows repeat a natural key
// is taken back from the one-pass load and loaded through the stage, which
// keeps the last of the repeated rows and rejects the others with their
// lines; nothing of the first attempt stays.
func TestRepeatedKeysTakeTheStagedWay(t *testing.T) {
	s := testkit.Open(t)
	dir := filepath.Join(t.TempDir(), "landing")
	writeFile(t, mkdir(t, dir), "orders.csv", "AssetId,PurchaseRecordLineItemId,OrderVersion,OrderStatus,OrderQuantity,EstimatedCharges,Currency\n"+
		"A-1,L-1,1,Active,1,1.00,USD\nA-2,L-1,1,Active,1,bad,USD\nA-1,L-1,1,Active,2,2.00,USD\nA-3,L-1,1,Active,1,1.00,USD\n")
	var logs bytes.Buffer
	l := New(s, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Options{QuarantineDir: filepath.Join(t.TempDir(), "q"), Partner: testPartner})
	sum, err := l.Ingest(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if f := file(t, sum, "orders.csv"); f.Loaded != 2 || f.Rejected != 2 {
		t.Fatalf("%+v", f)
	}
	if !strings.Contains(logs.String(), "through a stage") {
		t.Errorf("the file did not take the staged way:\n%s", logs.String())
	}
	equal(t, "orders", column(t, s, `SELECT asset_id || ' ' || order_quantity || ' ' || (_file_id > 0) FROM orders ORDER BY 1`),
		[]string{"A-1 2 true", "A-3 1 true"})
	var got []string
	for _, r := range rejects(t, s, "orders.csv") {
		got = append(got, r.String())
	}
	equal(t, "rejects", got, []string{
		`line 2 : duplicate key: a later row of this file has the same AssetId, PurchaseRecordLineItemId, OrderVersion [A-1,L-1,1,Active,1,1.00,USD]`,
		`line 3 estimated_charges: not a number: "bad" [A-2,L-1,1,Active,1,bad,USD]`,
	})
}

// TestFieldLimitCheckOnlyWhereAValueCanExceedIt: the stage measures every
// value against the value limit only when the file's line statistics leave
// room for a longer value (a line longer than the limit, quotes that let a
// value span lines, or no statistics at all).
func TestFieldLimitCheckOnlyWhereAValueCanExceedIt(t *testing.T) {
	const limit = 100
	tests := []struct {
		name   string
		format Format
		stats  *lineStats
		want   bool
	}{
		{"short lines, no quotes", FormatCSV, &lineStats{longest: limit}, false},
		{"a line over the limit", FormatCSV, &lineStats{longest: limit + 1}, true},
		{"quotes: a value may span lines", FormatCSV, &lineStats{longest: 10, quotes: true}, true},
		{"json lines with quotes, short lines", FormatJSONL, &lineStats{longest: limit, quotes: true}, false},
		{"json lines, a long line", FormatJSONL, &lineStats{longest: limit + 1, quotes: true}, true},
		{"parquet", FormatParquet, nil, true},
		{"no statistics", FormatCSV, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fileInfo{format: tt.format, stats: tt.stats, maxField: limit}
			if got := f.fieldsMayExceed(); got != tt.want {
				t.Errorf("fieldsMayExceed = %v, want %v", got, tt.want)
			}
			m, err := Detect([]string{"AssetId", "PurchaseRecordLineItemId", "OrderVersion", "OrderStatus"}, "")
			if err != nil {
				t.Fatal(err)
			}
			f.header, f.delim = []string{"AssetId", "PurchaseRecordLineItemId", "OrderVersion", "OrderStatus"}, ','
			if tt.format == FormatParquet {
				return
			}
			if got := strings.Contains(stageSelect(f, m, true), "strlen("); got != tt.want {
				t.Errorf("the stage measures values: %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRejectsNotFoundByOrdinalAreReadAgain: when the records found at the
// placeholders' ordinals do not come back rejected (here a one-column file,
// whose empty line DuckDB reads as a record and the record scanner skips),
// the whole file is read again for its rejects, as before the one-pass load:
// the reject is recorded, without a line the walk could not vouch for.
func TestRejectsNotFoundByOrdinalAreReadAgain(t *testing.T) {
	s := testkit.Open(t)
	p := writeFile(t, t.TempDir(), "optouts.csv", "Azure Subscription ID\nS-1\n\nS-2\n")
	var logs bytes.Buffer
	l := New(s, slog.New(slog.NewTextHandler(&logs, nil)), Options{QuarantineDir: filepath.Join(t.TempDir(), "q"), Partner: testPartner})
	sum, err := l.Ingest(context.Background(), []string{p})
	if err != nil {
		t.Fatal(err)
	}
	if f := file(t, sum, "optouts.csv"); f.Loaded != 2 || f.Rejected != 1 {
		t.Fatalf("%+v", f)
	}
	if !strings.Contains(logs.String(), "reading the whole file again") {
		t.Errorf("the file was not read again:\n%s", logs.String())
	}
	var got []string
	for _, r := range rejects(t, s, "optouts.csv") {
		got = append(got, r.String())
	}
	equal(t, "rejects", got, []string{"line 0 : no value: a row needs one of SubscriptionId, TenantId []"})
	equal(t, "ids", column(t, s, `SELECT kind || ':' || id FROM opt_out_ids ORDER BY 1`), []string{"subscription:S-1", "subscription:S-2"})
}

// TestFilesOfARowGroupTakeTheStagedWay: a file of a row group or more
// records loads through the stage (the one-pass load's delete of its
// placeholders would make DuckDB append every row again at commit), with
// the same rows and rejects.
func TestFilesOfARowGroupTakeTheStagedWay(t *testing.T) {
	s := testkit.Open(t)
	var b strings.Builder
	b.WriteString("AssetId,PurchaseRecordLineItemId,OrderVersion,OrderStatus,OrderQuantity,EstimatedCharges,Currency\n")
	for i := range rowGroupRows {
		status := "Active"
		if i == 1000 {
			status = "Pending"
		}
		fmt.Fprintf(&b, "A-%d,L-1,1,%s,1,1.00,USD\n", i, status)
	}
	p := writeFile(t, t.TempDir(), "orders.csv", b.String())
	var logs bytes.Buffer
	l := New(s, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Options{QuarantineDir: filepath.Join(t.TempDir(), "q"), Partner: testPartner})
	sum, err := l.Ingest(context.Background(), []string{p})
	if err != nil {
		t.Fatal(err)
	}
	if f := file(t, sum, "orders.csv"); f.Loaded != rowGroupRows-1 || f.Rejected != 1 {
		t.Fatalf("%+v", f)
	}
	if !strings.Contains(logs.String(), "a file of a row group or more") {
		t.Errorf("the file did not take the staged way:\n%s", logs.String())
	}
	var got []string
	for _, r := range rejects(t, s, "orders.csv") {
		got = append(got, r.String())
	}
	equal(t, "rejects", got, []string{`line 1002 order_status: OrderStatus must be one of Active, Canceled, Expired, Abandoned, Warning: "Pending" [A-1000,L-1,1,Pending,1,1.00,USD]`})
}
