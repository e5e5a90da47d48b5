package ingest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Temporary tables of one file's load. They live on the transaction's pinned
// connection and are dropped before it ends.
const (
	stageTable      = "_ingest_stage"
	rejectsTable    = "_ingest_csv_rejects"
	rejectScanTable = "_ingest_csv_scans"
)

// errSep separates the column from the reason in the stage's _err column.
// A blank _err marks a row that is no row at all (a blank JSON line).
const errSep = "|"

// reasonValueLen caps how much of an offending value a reason quotes; the
// whole raw line is kept next to it anyway.
const reasonValueLen = 60

// stageSQL builds the statement that reads the file and creates the stage
// table: one typed column per mapped dataset column (named as the table's),
// _err (NULL for a good row, "column|reason" for the first problem of a bad
// one) and _raw (for bad rows only: the material for the reject's raw text).
// The rows of the stage are in file order, so its rowid is the ordinal of the
// record among those DuckDB's reader returned (Parquet carries _ord instead).
// That holds because the plan is scans and projections only: DuckDB does not
// keep insertion order through a join, and it turns a long IN list into one
// (hence list_contains below). The reject locators verify it anyway.
func stageSQL(f *fileInfo, m *Mapping) string {
	return fmt.Sprintf("CREATE TEMP TABLE %s AS\n%s", duckstore.Ident(stageTable), stageSelect(f, m, true))
}

// directInsertSQL reads, converts and validates the file as stageSQL does,
// and inserts its rows straight into the dataset's table: one pass over the
// file, each row written once (the stage wrote every row twice, into the
// stage and then into the table). The good rows go in as file fid; every
// other row DuckDB's reader returned goes in as a placeholder, -fid for a
// rejected row and blankID(fid) for a blank JSON line, whose position among
// the file's rows is its ordinal in the file (rows appended in a transaction
// are numbered contiguously, in insertion order, which a plain scan and
// projection keep): loadDirect takes the ordinals and deletes the
// placeholders. A placeholder's NOT NULL columns get a zero value of their
// type when the row has none.
func directInsertSQL(f *fileInfo, m *Mapping, fid int64) string {
	sel := stageSelect(f, m, true) // first: it sets the constant of the Masked column
	var cols, vals []string
	for i, c := range m.Dataset.Columns {
		if !m.filled(i) {
			continue
		}
		name := duckstore.Ident(c.Name)
		cols = append(cols, name)
		if c.Required {
			name = fmt.Sprintf("COALESCE(%s, %s)", name, zeroValue(c))
		}
		vals = append(vals, name)
	}
	return fmt.Sprintf(`INSERT INTO %s (%s, _file_id) SELECT %s, CASE WHEN _err IS NULL THEN %d WHEN _err = '' THEN %d ELSE %d END FROM (%s)`,
		duckstore.Ident(m.Dataset.Name), strings.Join(cols, ", "), strings.Join(vals, ", "), fid, blankID(fid), -fid, sel)
}

// zeroValue is a value of the column's type for a placeholder row.
func zeroValue(c Column) string {
	switch c.Type {
	case String:
		return "CAST('' AS " + c.sqlTypeName() + ")"
	case Date:
		return "DATE '1970-01-01'"
	case Timestamp:
		return "TIMESTAMP '1970-01-01'"
	}
	return "CAST(0 AS " + c.sqlTypeName() + ")"
}

// rejectPassSQL reads the file a second time and keeps its rejected rows
// only, in the stage table: _ord (the row's ordinal among the records
// DuckDB's reader returned, as the stage's rowid was; Parquet's row number),
// _err and _raw. The reader's own rejects were stored by the first pass and
// are skipped here without being stored again. It serves Parquet files, the
// records the one-pass load rejected (written to a file of their own), and a
// file whose rejects could not be found that way. row_number() over the
// reader's rows in their order is a streaming window: it numbers the rows as
// they come, the filter on _err stays above it, and the read runs on one
// thread.
func rejectPassSQL(f *fileInfo, m *Mapping) string {
	sel := stageSelect(f, m, false)
	if f.format == FormatParquet {
		return fmt.Sprintf("CREATE TEMP TABLE %s AS SELECT _ord, _err, _raw FROM (%s) WHERE _err <> ''", duckstore.Ident(stageTable), sel)
	}
	return fmt.Sprintf("CREATE TEMP TABLE %s AS SELECT _ord, _err, _raw FROM (SELECT row_number() OVER () - 1 AS _ord, _err, _raw FROM (%s)) WHERE _err <> ''",
		duckstore.Ident(stageTable), sel)
}

// filledColumns are the quoted names of the table's columns the file fills
// (from its own columns or a constant), in the table's order.
func filledColumns(m *Mapping) []string {
	var cols []string
	for i, c := range m.Dataset.Columns {
		if m.filled(i) {
			cols = append(cols, duckstore.Ident(c.Name))
		}
	}
	return cols
}

// stageSelect is the query under stageSQL, directInsertSQL and
// rejectPassSQL. store: the reader stores its own rejects (in rejectsTable);
// else it skips them without a word (they were stored by an earlier pass).
func stageSelect(f *fileInfo, m *Mapping, store bool) string {
	var src, rawPayload string
	raw := make([]string, len(m.Source)) // raw text expression per dataset column
	extra := ""
	switch f.format {
	case FormatCSV, FormatTSV:
		src = csvSource(f, store)
		for i, s := range m.Source {
			if s >= 0 {
				raw[i] = fmt.Sprintf("c%d", s)
			}
		}
		all := make([]string, len(f.header))
		for j := range f.header {
			all[j] = fmt.Sprintf("c%d", j)
		}
		extra = ", " + strings.Join(all, ", ")
		rawPayload = "[" + strings.Join(all, ", ") + "]"
	case FormatJSONL:
		var paths []string
		for i, s := range m.Source {
			if s < 0 {
				continue
			}
			var alts []string
			for _, j := range append([]int{s}, m.Alternates[i]...) {
				paths = append(paths, duckstore.Literal(`$."`+f.header[j]+`"`))
				alts = append(alts, fmt.Sprintf("NULLIF(_v[%d], '')", len(paths)))
			}
			raw[i] = alts[0]
			if len(alts) > 1 {
				raw[i] = "COALESCE(" + strings.Join(alts, ", ") + ")"
			}
		}
		// TRY: a malformed line gives NULL instead of failing the statement
		// (cheaper than checking json_valid first, which parses twice).
		src = fmt.Sprintf(`SELECT j, CASE WHEN %s THEN TRY(json_extract_string(j, [%s])) END AS _v FROM %s`,
			jsonObjectLineExpr("j"), strings.Join(paths, ", "), jsonLinesSource(f, store))
		extra = ", j, _v"
		rawPayload = "j"
	case FormatParquet:
		cols := make([]string, len(f.header))
		for j, h := range f.header {
			cols[j] = fmt.Sprintf("%s := %s", duckstore.Ident(h), duckstore.Ident(h))
		}
		var sel []string
		for i, s := range m.Source {
			if s >= 0 {
				sel = append(sel, fmt.Sprintf("NULLIF(CAST(%s AS VARCHAR), '') AS r%d", duckstore.Ident(f.header[s]), i))
				raw[i] = fmt.Sprintf("r%d", i)
			}
		}
		src = fmt.Sprintf(`SELECT %s, file_row_number AS _ord, CAST(to_json(struct_pack(%s)) AS VARCHAR) AS _row FROM read_parquet(%s, file_row_number = true)`,
			strings.Join(sel, ", "), strings.Join(cols, ", "), duckstore.Literal(f.path))
		extra = ", _ord, _row"
		rawPayload = "_row"
	}

	// Masked personal values (************) are not data: they load as
	// NULL and the row's Masked column lists the columns that were masked.
	var masked []string
	if m.Dataset.Masked != "" {
		for i, c := range m.Dataset.Columns {
			if m.Source[i] < 0 || !maskable(c) {
				continue
			}
			masked = append(masked, fmt.Sprintf("CASE WHEN %s THEN %s END", isMaskedExpr(raw[i]), duckstore.Literal(c.Name)))
			raw[i] = fmt.Sprintf("CASE WHEN NOT %s THEN %s END", isMaskedExpr(raw[i]), raw[i])
		}
		if mi := m.index(m.Dataset.Masked); m.Source[mi] < 0 {
			m.Const[mi] = "NULL::VARCHAR"
			if len(masked) > 0 {
				m.Const[mi] = fmt.Sprintf("NULLIF(concat_ws(',', %s), '')", strings.Join(masked, ", "))
			}
		}
	}

	// Innermost: the raw text and the typed value of each mapped column,
	// and the constant of each column the file lacks but the table gets.
	var inner, checks, out []string
	for i := range m.Dataset.Columns {
		c := m.column(i)
		if m.Source[i] < 0 {
			if expr, ok := m.Const[i]; ok {
				inner = append(inner, fmt.Sprintf("%s AS v%d", expr, i))
				out = append(out, fmt.Sprintf("v%d AS %s", i, duckstore.Ident(c.Name)))
			}
			continue
		}
		r := raw[i]
		typed := typedExpr(c, r)
		if fill, ok := m.Fill[i]; ok {
			typed = fmt.Sprintf("COALESCE(%s, %s)", typed, fill)
		}
		inner = append(inner, fmt.Sprintf("%s AS r%d", r, i))
		inner = append(inner, fmt.Sprintf("%s AS v%d", typed, i))
		if f.fieldsMayExceed() {
			checks = append(checks, fieldLimitCheck(c, fmt.Sprintf("r%d", i), f.maxField))
		}
		checks = append(checks, columnChecks(c, fmt.Sprintf("r%d", i), fmt.Sprintf("v%d", i))...)
		out = append(out, fmt.Sprintf("v%d AS %s", i, duckstore.Ident(c.Name)))
	}
	if len(m.Shape.AnyOf) > 0 {
		var nulls, names []string
		for _, name := range m.Shape.AnyOf {
			if i := m.index(name); m.Source[i] >= 0 {
				nulls = append(nulls, fmt.Sprintf("v%d IS NULL", i))
			}
			c, _ := m.Dataset.Column(name)
			names = append(names, c.Export)
		}
		if len(nulls) > 0 {
			checks = append(checks, fmt.Sprintf("WHEN %s THEN %s", strings.Join(nulls, " AND "),
				duckstore.Literal(errSep+"no value: a row needs one of "+strings.Join(names, ", "))))
		}
	}
	var pre []string
	if f.format == FormatJSONL {
		pre = append(pre,
			fmt.Sprintf(`WHEN j IS NULL OR %s THEN ''`, blankLineExpr("j")),
			fmt.Sprintf(`WHEN _v IS NULL THEN CASE WHEN json_valid(j) THEN %s ELSE %s END`,
				duckstore.Literal(errSep+"not a JSON object"), duckstore.Literal(errSep+"not valid JSON")))
	}
	errExpr := "NULL::VARCHAR"
	if all := append(pre, checks...); len(all) > 0 {
		errExpr = "CASE " + strings.Join(all, " ") + " END"
	}
	ord := ""
	if f.format == FormatParquet {
		ord = ", _ord"
	}
	return fmt.Sprintf(`SELECT %s, _err, CASE WHEN _err <> '' THEN %s END AS _raw%s
FROM (SELECT *, %s AS _err
      FROM (SELECT %s%s FROM (%s)))`,
		strings.Join(out, ", "), rawPayload, ord, errExpr, strings.Join(inner, ", "), extra, src)
}

// csvSource is DuckDB's reader over a delimited file: every column as text
// under a positional name (c0, c1, …), no sniffing (we read the header
// ourselves), strict quoting, and structural rejects stored for the report.
func csvSource(f *fileInfo, store bool) string {
	cols := make([]string, len(f.header))
	for j := range f.header {
		cols[j] = fmt.Sprintf("'c%d': 'VARCHAR'", j)
	}
	return fmt.Sprintf(`SELECT * FROM read_csv(%s, auto_detect = false, header = true, skip = %d, delim = %s, quote = '"', escape = '"', columns = {%s}, %s%s)`,
		duckstore.Literal(f.path), f.skip, duckstore.Literal(string(f.delim)), strings.Join(cols, ", "), rejectsOption(store), maxLineOption(f))
}

// rejectsOption has the reader store the records it rejects (store) or
// skip them (a second read of a file whose rejects are stored already).
func rejectsOption(store bool) string {
	if !store {
		return "ignore_errors = true"
	}
	return fmt.Sprintf("store_rejects = true, rejects_table = %s, rejects_scan = %s", duckstore.Literal(rejectsTable), duckstore.Literal(rejectScanTable))
}

// jsonObjectLineExpr is true for a JSON line that starts (after spaces and
// tabs) with "{". A line that starts with it right away, as nearly every line
// does, skips the trim: trimming a set of characters costs about as much as
// reading the line.
func jsonObjectLineExpr(j string) string {
	return fmt.Sprintf("(CASE WHEN starts_with(%[1]s, '{') THEN true ELSE %[2]s END)", j, slowJSONObjectLineExpr(j))
}

func slowJSONObjectLineExpr(j string) string {
	return fmt.Sprintf("starts_with(ltrim(%s, ' '||chr(9)), '{')", j)
}

// blankLineExpr is true for a line of nothing but spaces, tabs and CR (a
// line that starts with "{" is not one, without a trim).
func blankLineExpr(j string) string {
	return fmt.Sprintf("(CASE WHEN starts_with(%[1]s, '{') THEN false ELSE %[2]s END)", j, slowBlankLineExpr(j))
}

func slowBlankLineExpr(j string) string {
	return fmt.Sprintf("trim(%s, ' '||chr(9)||chr(13)) = ''", j)
}

// jsonLinesSource reads a JSON lines file one line per row (no delimiter, no
// quoting), so that a malformed line is a row we can reject rather than an
// error that stops the file. Blank lines come back as NULL rows, so row n is
// line n+1. Non-strict mode accepts mixed line endings.
func jsonLinesSource(f *fileInfo, store bool) string {
	return fmt.Sprintf(`read_csv(%s, auto_detect = false, header = false, delim = '', quote = '', escape = '', columns = {'j': 'VARCHAR'}, strict_mode = false, %s%s)`,
		duckstore.Literal(f.path), rejectsOption(store), maxLineOption(f))
}

// typedExpr converts the text t (NULL when blank) to the column's type; NULL
// when it does not convert. Surrounding spaces do not matter (DuckDB's casts
// ignore them; booleans, enumerations and currencies are trimmed); free text
// keeps what the file says.
func typedExpr(c Column, t string) string {
	var e string
	switch c.Type {
	case String:
		e = t
		switch {
		case len(c.Enum) > 0:
			e = enumExpr(c.Enum, c.Synonyms, t)
		case len(c.Canon) > 0:
			var b strings.Builder
			for _, v := range c.Canon {
				fmt.Fprintf(&b, " WHEN %s THEN %s", duckstore.Literal(strings.ToLower(v)), duckstore.Literal(v))
			}
			e = fmt.Sprintf("CASE lower(trim(%s))%s ELSE %s END", t, b.String(), t)
		case c.Currency:
			// list_contains, not IN: DuckDB turns a long IN list into a join,
			// and the join does not keep file order, which the stage relies on.
			e = fmt.Sprintf("CASE WHEN list_contains([%[1]s], upper(trim(%[2]s))) THEN upper(trim(%[2]s)) END", literalList(currencyLookupOrder), t)
		}
	case Date:
		// Exports write date-times in date columns too (2022-09-12
		// 15:27:18.0000000, 9/15/2022 12:00:00 AM): the date is the day.
		e = fmt.Sprintf("COALESCE(TRY_CAST(%s AS DATE), CAST(TRY_STRPTIME(%s, ['%%m/%%d/%%Y', '%%m/%%d/%%Y %%I:%%M:%%S %%p', '%%m/%%d/%%Y %%H:%%M:%%S', '%%m/%%d/%%Y %%H:%%M']) AS DATE))", t, t)
		if c.Month {
			e = fmt.Sprintf("CAST(date_trunc('month', %s) AS DATE)", e)
		}
	case Timestamp:
		// TIMESTAMPTZ honours an offset (+02:00, Z); the connection's time zone
		// is UTC, so the cast back to TIMESTAMP gives the instant in UTC.
		e = fmt.Sprintf("COALESCE(CAST(TRY_CAST(%s AS TIMESTAMPTZ) AS TIMESTAMP), TRY_STRPTIME(%s, ['%%m/%%d/%%Y %%I:%%M:%%S %%p', '%%m/%%d/%%Y %%H:%%M:%%S', '%%m/%%d/%%Y %%H:%%M', '%%m/%%d/%%Y']))", t, t)
	case Decimal:
		e = fmt.Sprintf("TRY_CAST(%s AS %s)", t, c.sqlTypeName())
	case Int:
		e = wholeNumberExpr(t)
	case Bool:
		e = fmt.Sprintf("CASE lower(trim(%s)) WHEN 'true' THEN true WHEN 'false' THEN false WHEN '1' THEN true WHEN '0' THEN false WHEN 'yes' THEN true WHEN 'no' THEN false END", t)
	}
	if c.Default != "" {
		e = fmt.Sprintf("COALESCE(%s, %s)", e, c.Default)
	}
	return e
}

// wholeNumberExpr converts t to BIGINT when it is a whole number. BIGINT
// alone would round 3.5 to 4, so a number is compared with its DECIMAL
// value; text of nothing but digits, signs and spaces (nearly every value)
// skips that comparison, whose 128-bit arithmetic was a tenth of an orders
// file's load: for such text both give TRY_CAST(t AS BIGINT).
func wholeNumberExpr(t string) string {
	return fmt.Sprintf("CASE WHEN ltrim(%[1]s, '0123456789 +-') = '' THEN TRY_CAST(%[1]s AS BIGINT) ELSE %[2]s END", t, slowWholeNumberExpr(t))
}

// slowWholeNumberExpr is the whole-number conversion of any text.
func slowWholeNumberExpr(t string) string {
	return fmt.Sprintf("CASE WHEN TRY_CAST(%[1]s AS DECIMAL(38,6)) = TRY_CAST(%[1]s AS BIGINT) THEN TRY_CAST(%[1]s AS BIGINT) END", t)
}

// enumExpr matches the exact spelling first (the common case) and falls back
// to a case-insensitive match of the trimmed text, or of a synonym, storing
// the listed spelling.
func enumExpr(values []string, synonyms map[string]string, t string) string {
	var exact, folded strings.Builder
	for _, v := range values {
		fmt.Fprintf(&exact, " WHEN %s THEN %s", duckstore.Literal(v), duckstore.Literal(v))
		fmt.Fprintf(&folded, " WHEN %s THEN %s", duckstore.Literal(strings.ToLower(v)), duckstore.Literal(v))
	}
	syn := make([]string, 0, len(synonyms))
	for k := range synonyms {
		syn = append(syn, k)
	}
	sort.Strings(syn)
	for _, k := range syn {
		fmt.Fprintf(&folded, " WHEN %s THEN %s", duckstore.Literal(k), duckstore.Literal(synonyms[k]))
	}
	return fmt.Sprintf("CASE %s%s ELSE CASE lower(trim(%s))%s END END", t, exact.String(), t, folded.String())
}

// maskable reports whether a column's values can be masked personal data:
// free text (not an enumeration, a currency or a typed value).
func maskable(c Column) bool {
	return c.Type == String && len(c.Enum) == 0 && !c.Currency && len(c.Canon) == 0
}

// isMaskedExpr is true for a masked value: three or more asterisks. The
// regular expression runs only on values that hold "***" (a CASE branch is
// evaluated for its rows alone): it is evaluated for every free-text value
// of every row otherwise, the costliest expression of a customers or orders
// file's stage.
func isMaskedExpr(t string) string {
	return fmt.Sprintf("(CASE WHEN contains(%[1]s, '***') THEN %[2]s ELSE false END)", t, slowIsMaskedExpr(t))
}

// slowIsMaskedExpr is the masked-value test alone.
func slowIsMaskedExpr(t string) string {
	return fmt.Sprintf("coalesce(regexp_full_match(%s, '\\s*\\*{3,}\\s*'), false)", t)
}

func literalList(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = duckstore.Literal(v)
	}
	return strings.Join(out, ", ")
}

// columnChecks are the WHEN branches that reject a row because of column c,
// in order: a value that does not convert, a missing required value, a
// negative quantity. r is the raw text, v the typed value.
func columnChecks(c Column, r, v string) []string {
	quoted := fmt.Sprintf(`'"' || left(%s, %d) || '"'`, r, reasonValueLen)
	var out []string
	prefix := c.Name + errSep
	notConverted := fmt.Sprintf("%s IS NOT NULL AND %s IS NULL", r, v)
	if c.Default != "" {
		notConverted = fmt.Sprintf("%s IS NOT NULL AND %s IS NULL", r, typedExpr(Column{Type: c.Type}, r))
	}
	var what string
	switch {
	case len(c.Enum) > 0:
		what = c.Export + " must be one of " + strings.Join(c.Enum, ", ")
	case c.Currency:
		what = "unknown currency"
	case c.Type == Date:
		what = "not a date"
	case c.Type == Timestamp:
		what = "not a timestamp"
	case c.Type == Decimal:
		what = "not a number"
	case c.Type == Int:
		what = "not a whole number"
	case c.Type == Bool:
		what = "not a boolean (true/false, yes/no, 1/0)"
	}
	if what != "" {
		cond := notConverted
		if c.Type == Date || c.Type == Timestamp {
			cond = fmt.Sprintf("%s IS NOT NULL AND (%s IS NULL OR NOT isfinite(%s))", r, v, v)
		}
		out = append(out, fmt.Sprintf("WHEN %s THEN %s || %s", cond, duckstore.Literal(prefix+what+": "), quoted))
	}
	if c.Required {
		out = append(out, fmt.Sprintf("WHEN %s IS NULL THEN %s", v, duckstore.Literal(prefix+"required value missing")))
	}
	if c.NonNeg {
		out = append(out, fmt.Sprintf("WHEN %s < 0 THEN %s || %s", v, duckstore.Literal(prefix+"negative quantity: "), quoted))
	}
	return out
}
