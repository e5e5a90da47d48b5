package pcql

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Options are what a compiled query is bound to besides its text.
type Options struct {
	PartnerID string    // always bound as $1; the dataset's SQL filters on it
	End       time.Time // the date TIMESPAN ranges end on (inclusive)
	// Override, when set, replaces the query's TIMESPAN with explicit dates
	// (a report's QueryStartTime/QueryEndTime, a test run's startTime/endTime).
	Override *Span
	// Offset and PageSize page the result (0 = everything); the query's own
	// LIMIT still bounds the whole.
	Offset, PageSize int64
}

// Compiled is a checked query as parameterised SQL.
type Compiled struct {
	SQL      string
	Args     []any
	Dataset  *Dataset
	Columns  []Column // the output columns, in order
	Query    string   // the query in canonical form
	Timespan string   // the TIMESPAN applied ("" when Override replaced it)
	Span     Span     // the dates read
	Limit    int64    // the query's LIMIT; 0 = none
}

// Compile parses, checks and compiles text.
func Compile(text string, cat Catalog, o Options) (*Compiled, error) {
	q, err := Parse(text)
	if err != nil {
		return nil, err
	}
	return q.Compile(cat, o)
}

// Check parses text and resolves its names against cat without binding it
// to a partner: what creating a query validates.
func Check(text string, cat Catalog) (*Query, error) {
	q, err := Parse(text)
	if err != nil {
		return nil, err
	}
	if _, err := q.Compile(cat, Options{End: time.Unix(0, 0)}); err != nil {
		return nil, err
	}
	return q, nil
}

// numberText is a number as the grammar writes it.
var numberText = regexp.MustCompile(`^-?[0-9]{1,28}(\.[0-9]{1,10})?$`)

// compiler collects the SQL's parameters; $1 is always the partner.
type compiler struct {
	args []any
}

func (c *compiler) param(v any) string {
	c.args = append(c.args, v)
	return "$" + strconv.Itoa(len(c.args))
}

// Compile checks q against cat and compiles it.
func (q *Query) Compile(cat Catalog, o Options) (*Compiled, error) {
	ds, ok := cat.Lookup(q.From.Text)
	if !ok {
		return nil, errorAt(q.From.Pos, "unknown dataset '%s'%s; datasets: %s", q.From.Text,
			suggest(q.From.Text, cat.Names()), strings.Join(cat.Names(), ", "))
	}
	out := &Compiled{Dataset: ds, Query: q.String()}
	cp := &compiler{}
	cp.param(o.PartnerID)

	// SELECT: each name once, from the dataset's declaration.
	seen := map[string]bool{}
	aggregate := false
	for _, n := range q.Select {
		col, err := resolve(ds, n)
		if err != nil {
			return nil, err
		}
		if seen[col.Name] {
			return nil, errorAt(n.Pos, "'%s' is selected twice", col.Name)
		}
		seen[col.Name] = true
		out.Columns = append(out.Columns, col)
		aggregate = aggregate || col.Metric
	}

	// TIMESPAN, or the explicit dates that replace it.
	var span Span
	if o.Override != nil {
		span = *o.Override
	} else {
		ts := DefaultTimespan
		if q.Timespan != nil {
			ts = strings.ToUpper(q.Timespan.Text)
			if !contains(ds.Ranges, ts) {
				return nil, errorAt(q.Timespan.Pos, "TIMESPAN %s is not available for %s; use one of %s",
					q.Timespan.Text, ds.Name, strings.Join(ds.Ranges, ", "))
			}
		}
		span, _ = SpanOf(ts, o.End)
		out.Timespan = ts
	}
	if ds.Monthly && !span.From.IsZero() {
		span.From = time.Date(span.From.Year(), span.From.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	out.Span = span

	var where, having []string
	if !span.From.IsZero() {
		where = append(where, `"_date" >= CAST(`+cp.param(span.From.Format(time.DateOnly))+` AS DATE)`)
	}
	if !span.To.IsZero() {
		where = append(where, `"_date" <= CAST(`+cp.param(span.To.Format(time.DateOnly))+` AS DATE)`)
	}
	for _, c := range q.Where {
		col, err := resolve(ds, c.Column)
		if err != nil {
			return nil, err
		}
		expr := duckstore.Ident(col.Name)
		if col.Metric && aggregate {
			expr = aggExpr(col)
		}
		cond, err := cp.condition(c, col, expr)
		if err != nil {
			return nil, err
		}
		if col.Metric && aggregate {
			having = append(having, cond)
		} else {
			where = append(where, cond)
		}
	}

	// ORDER BY: the query's terms (selected names only, so that aggregated
	// and distinct results can be ordered), then every column, so that the
	// order is total and a file is the same each time.
	var order []string
	for _, t := range q.OrderBy {
		col, err := resolve(ds, t.Column)
		if err != nil {
			return nil, err
		}
		if !seen[col.Name] {
			return nil, errorAt(t.Column.Pos, "ORDER BY '%s': only selected columns and metrics can order the rows; add it to SELECT", col.Name)
		}
		order = append(order, duckstore.Ident(col.Name)+" "+t.direction()+" NULLS LAST")
	}
	for _, col := range out.Columns {
		order = append(order, duckstore.Ident(col.Name)+" ASC NULLS LAST")
	}

	if q.Limit != nil {
		n, err := strconv.ParseInt(q.Limit.Text, 10, 64)
		if err != nil || n <= 0 {
			return nil, errorAt(q.Limit.Pos, "LIMIT must be a whole number greater than 0, not %s", q.Limit.Text)
		}
		out.Limit = n
	}

	var b strings.Builder
	b.WriteString("WITH ds AS (\n" + strings.TrimRight(strings.TrimSpace(ds.SQL), ";") + "\n)\nSELECT * FROM (\n  SELECT ")
	// The result is distinct in the selected columns whether or not DISTINCT
	// is written (the query specification says so; SELECT OrderId gives each
	// order once). With a metric, GROUP BY makes it so.
	if q.Distinct || !aggregate {
		b.WriteString("DISTINCT ")
	}
	var groups []string
	for i, col := range out.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		if aggregate && col.Metric {
			b.WriteString(aggExpr(col) + " AS " + duckstore.Ident(col.Name))
		} else {
			b.WriteString(duckstore.Ident(col.Name))
			groups = append(groups, duckstore.Ident(col.Name))
		}
	}
	b.WriteString("\n  FROM ds")
	if len(where) > 0 {
		b.WriteString("\n  WHERE " + strings.Join(where, "\n    AND "))
	}
	if aggregate && len(groups) > 0 {
		b.WriteString("\n  GROUP BY " + strings.Join(groups, ", "))
	}
	if len(having) > 0 {
		b.WriteString("\n  HAVING " + strings.Join(having, "\n    AND "))
	}
	b.WriteString("\n) q\nORDER BY " + strings.Join(order, ", "))
	limit, offset := out.Limit, o.Offset
	if o.PageSize > 0 {
		rest := o.PageSize
		if limit > 0 {
			rest = min(rest, max(limit-offset, 0))
		}
		limit = rest
	}
	if limit > 0 || o.PageSize > 0 {
		b.WriteString("\nLIMIT " + cp.param(limit))
	}
	if offset > 0 {
		b.WriteString(" OFFSET " + cp.param(offset))
	}
	out.SQL, out.Args = b.String(), cp.args
	return out, nil
}

func aggExpr(col Column) string {
	name := duckstore.Ident(col.Name)
	switch {
	case col.Agg == "max":
		return "max(" + name + ")"
	case col.Type == Integer:
		// sum(BIGINT) is a HUGEINT; a count fits a BIGINT.
		return "CAST(sum(" + name + ") AS BIGINT)"
	}
	return "sum(" + name + ")"
}

// resolve finds a name among the dataset's columns, or says what is near.
func resolve(ds *Dataset, n *Name) (Column, error) {
	col, ok := ds.Column(n.Text)
	if !ok {
		var names []string
		for _, c := range ds.Columns {
			names = append(names, c.Name)
		}
		return Column{}, errorAt(n.Pos, "unknown column '%s' in %s%s", n.Text, ds.Name, suggest(n.Text, names))
	}
	return col, nil
}

// condition compiles one filter on expr (a column, or a metric's aggregate).
// Text compares without regard to case, as the language is case-insensitive;
// the negative operators keep rows whose value is missing.
func (cp *compiler) condition(c *Condition, col Column, expr string) (string, error) {
	op := c.op()
	list := op == "IN" || op == "NOT IN"
	switch {
	case list && c.Value.List == nil:
		return "", errorAt(c.Value.Pos, "%s needs a list of values in parentheses, e.g. %s %s ('a', 'b')", op, col.Name, op)
	case !list && c.Value.List != nil:
		return "", errorAt(c.Value.Pos, "a list of values needs IN or NOT IN, not %s", op)
	case (op == "LIKE" || op == "NOT LIKE") && col.Type != Text:
		return "", errorAt(c.Pos, "%s applies to text; '%s' is a %s column", op, col.Name, col.Type)
	case col.Type == Bool && op != "=" && op != "!=" && !list:
		return "", errorAt(c.Pos, "'%s' is yes/no: compare it with = or != (or IN)", col.Name)
	}
	scalars := c.Value.List
	if !list {
		scalars = []*Scalar{c.Value.Scalar}
	}
	var vals []string
	for _, s := range scalars {
		v, err := cp.value(s, col)
		if err != nil {
			return "", err
		}
		vals = append(vals, v)
	}
	lhs := expr
	if col.Type == Text {
		lhs = "lower(" + expr + ")"
	}
	var pos string
	switch op {
	case "LIKE", "NOT LIKE":
		pos = expr + " ILIKE " + vals[0]
	case "IN", "NOT IN":
		pos = lhs + " IN (" + strings.Join(vals, ", ") + ")"
	case "!=":
		pos = lhs + " = " + vals[0]
	default:
		pos = lhs + " " + op + " " + vals[0]
	}
	if op == "NOT LIKE" || op == "NOT IN" || op == "!=" {
		return "(" + pos + ") IS NOT TRUE", nil
	}
	return "(" + pos + ")", nil
}

// value binds a literal as a parameter of the column's type. A quoted
// literal is read as the column's type, as Partner Center does
// (OrderQuantity = '100'); a value that cannot be is an error naming it,
// where Partner Center silently returns nothing.
func (cp *compiler) value(s *Scalar, col Column) (string, error) {
	v := s.text()
	switch col.Type {
	case Text:
		return "lower(" + cp.param(v) + ")", nil
	case Integer, Decimal:
		t := strings.TrimSpace(v)
		if !numberText.MatchString(t) {
			return "", errorAt(s.Pos, "'%s' is not a number, and %s is a %s column", v, col.Name, col.Type)
		}
		return "CAST(" + cp.param(t) + " AS DECIMAL(38,10))", nil
	case Date, Timestamp:
		t, ok := parseTime(strings.TrimSpace(v))
		if !ok {
			return "", errorAt(s.Pos, "'%s' is not a date (yyyy-MM-dd or yyyy-MM-ddTHH:mm:ssZ), and %s is a %s column", v, col.Name, col.Type)
		}
		if col.Type == Date {
			return "CAST(" + cp.param(t.Format(time.DateOnly)) + " AS DATE)", nil
		}
		return "CAST(" + cp.param(t.Format(time.DateTime)) + " AS TIMESTAMP)", nil
	case Bool:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "yes", "1":
			return cp.param(true), nil
		case "false", "no", "0":
			return cp.param(false), nil
		}
		return "", errorAt(s.Pos, "'%s' is not yes/no (true, false, yes, no, 1, 0), and %s is a yes/no column", v, col.Name)
	}
	return "", errorAt(s.Pos, "unsupported column type")
}

var timeLayouts = []string{time.DateOnly, "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", time.DateTime, "2006-01-02T15:04:05.999999999Z07:00"}

func parseTime(s string) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// suggest is "; did you mean 'X'?" for the closest name within a small edit
// distance, else "".
func suggest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := distance(strings.ToLower(name), strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len(name)/3) {
		return ""
	}
	return fmt.Sprintf("; did you mean '%s'?", best)
}

// distance is the Levenshtein distance between a and b (bytes).
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
