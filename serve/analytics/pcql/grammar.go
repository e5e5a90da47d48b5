// Package pcql is the Partner Center report query language: a parser built
// with participle for the documented grammar
//
//	SELECT [DISTINCT] col (, col)* FROM dataset [WHERE cond (AND cond)*]
//	[ORDER BY col [ASC|DESC] (, …)*] [LIMIT n] [TIMESPAN range]
//
// (keywords, names and values case-insensitive), a checker that resolves
// every name against a dataset's declared columns, and a compiler to
// parameterised DuckDB SQL. A compiled query reads only its dataset's fixed
// partner-scoped SQL; the partner id and every value are bound parameters and
// every identifier comes from the dataset's declaration, never from the text.
package pcql

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Query is a parsed query, before its names are resolved.
type Query struct {
	Pos      lexer.Position
	Distinct bool         `parser:"'SELECT' @'DISTINCT'?"`
	Select   []*Name      `parser:"@@ ( ',' @@ )*"`
	From     *Name        `parser:"'FROM' @@"`
	Where    []*Condition `parser:"( 'WHERE' @@ ( 'AND' @@ )* )?"`
	OrderBy  []*Order     `parser:"( 'ORDER' 'BY' @@ ( ',' @@ )* )?"`
	Limit    *Number      `parser:"( 'LIMIT' @@ )?"`
	Timespan *Name        `parser:"( 'TIMESPAN' @@ )? ';'?"`
}

// Name is a column, metric, dataset or range name as written.
type Name struct {
	Pos  lexer.Position
	Text string `parser:"@Ident"`
}

// Condition is one filter: Column Operator Value.
type Condition struct {
	Pos    lexer.Position
	Column *Name  `parser:"@@"`
	Op     string `parser:"( @( 'NOT'? ( 'LIKE' | 'IN' ) ) | @Op )"`
	Value  *Value `parser:"@@"`
}

// Value is a number, a string literal or a parenthesised list of them.
type Value struct {
	Pos    lexer.Position
	Scalar *Scalar   `parser:"@@"`
	List   []*Scalar `parser:"| '(' @@ ( ',' @@ )* ')'"`
}

// Scalar is one literal.
type Scalar struct {
	Pos    lexer.Position
	Number *string `parser:"@Number"`
	String *string `parser:"| @String"`
}

// Number is a LIMIT's count as written.
type Number struct {
	Pos  lexer.Position
	Text string `parser:"@Number"`
}

// Order is one ORDER BY term. Partner Center orders DESC when no direction is given.
type Order struct {
	Pos    lexer.Position
	Column *Name  `parser:"@@"`
	Dir    string `parser:"@( 'ASC' | 'DESC' )?"`
}

var queryLexer = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "whitespace", Pattern: `\s+`},
	// '' escapes a quote. Typographic quotes are accepted, opening and
	// closing with either of ‘ and ’ (the documentation's pages write
	// ’Paid’ as well as ‘Paid’), because partners paste those examples.
	{Name: "String", Pattern: `'(?:[^']|'')*'|[‘’][^‘’]*[‘’]`},
	{Name: "Number", Pattern: `-?[0-9]+(?:\.[0-9]+)?`},
	{Name: "Keyword", Pattern: `(?i)\b(?:SELECT|DISTINCT|FROM|WHERE|AND|ORDER|BY|ASC|DESC|LIMIT|TIMESPAN|NOT|LIKE|IN)\b`},
	{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_]*`},
	{Name: "Op", Pattern: `!=|<>|>=|<=|=|<|>`},
	{Name: "Punct", Pattern: `[(),;]`},
})

var parser = participle.MustBuild[Query](
	participle.Lexer(queryLexer),
	participle.Elide("whitespace"),
	participle.CaseInsensitive("Keyword"),
	participle.UseLookahead(2),
)

// MaxQueryLength bounds a query's text; real queries are a few hundred bytes.
const MaxQueryLength = 8000

// Error is a problem in a query, at a position (1-based column; line when
// the query spans lines).
type Error struct {
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	if e.Line > 1 {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("position %d: %s", e.Column, e.Msg)
}

func errorAt(pos lexer.Position, format string, args ...any) *Error {
	line, col := pos.Line, pos.Column
	if line == 0 {
		line, col = 1, 1
	}
	return &Error{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// Parse parses text into a Query. Errors are *Error values.
func Parse(text string) (*Query, error) {
	if strings.TrimSpace(text) == "" {
		return nil, &Error{Line: 1, Column: 1, Msg: "empty query; expected SELECT … FROM <dataset>"}
	}
	if len(text) > MaxQueryLength {
		return nil, &Error{Line: 1, Column: MaxQueryLength + 1, Msg: fmt.Sprintf("query longer than %d characters", MaxQueryLength)}
	}
	q, err := parser.ParseString("", text)
	if err != nil {
		var perr participle.Error
		if errors.As(err, &perr) {
			if e := openingQuoteMissing(text, perr.Position()); e != nil {
				return nil, e
			}
			msg := friendly(perr.Message())
			if m := unexpected.FindStringSubmatch(perr.Message()); m != nil && strings.HasPrefix(m[2], `"FROM"`) && identLike.MatchString(m[1]) {
				if hint := suggest(m[1], []string{"FROM"}); hint != "" {
					msg += hint // SELECT a FORM b
				} else {
					// SELECT a b FROM: the documentation's revenue sample lost a comma so.
					msg += fmt.Sprintf("; did you mean \", %s\" (a comma is missing before it)?", m[1])
				}
			}
			return nil, errorAt(perr.Position(), "%s", msg)
		}
		return nil, &Error{Line: 1, Column: 1, Msg: err.Error()}
	}
	return q, nil
}

var identLike = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// valueBeforeQuote finds "<operator> <unquoted words>" right before a quote.
var valueBeforeQuote = regexp.MustCompile(`(?i)(?:!=|<>|>=|<=|=|<|>|\bLIKE)\s*([^'‘’=<>!()]*?)\s*$`)

// openingQuoteMissing explains a quote the lexer cannot start a text with
// because the text before it was never opened: OfferName = Contoso test
// Services' (a documented sample). The position is where the quote is
// missing.
func openingQuoteMissing(text string, pos lexer.Position) *Error {
	off := pos.Offset
	if off < 0 || off >= len(text) {
		return nil
	}
	rest := text[off:]
	quote := ""
	for _, q := range []string{"'", "‘", "’"} {
		if strings.HasPrefix(rest, q) {
			quote = q
		}
	}
	if quote == "" {
		return nil
	}
	m := valueBeforeQuote.FindStringSubmatchIndex(text[:off])
	if m == nil || m[2] == m[3] {
		return &Error{Line: pos.Line, Column: pos.Column, Msg: "a quote closes a text that no quote opens, or opens one that never closes"}
	}
	word := text[m[2]:m[3]]
	start := pos
	start.Column -= len([]rune(text[m[2]:off]))
	return &Error{Line: start.Line, Column: start.Column, Msg: fmt.Sprintf("a text value without its opening quote; did you mean '%s'?", word)}
}

// friendly rewrites participle's messages in the query language's terms:
// what was found, and the one thing expected there (not the whole rest of
// the grammar).
func friendly(msg string) string {
	m := unexpected.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	found := `"` + m[1] + `"`
	if m[2] == "" {
		return "unexpected " + found
	}
	if m[1] == "<EOF>" {
		found = "the end of the query"
	}
	want := m[2]
	if strings.HasPrefix(want, `"`) {
		if i := strings.Index(want[1:], `"`); i >= 0 {
			want = want[:i+2]
		}
	} else if i := strings.IndexAny(want, " ()"); i > 0 {
		want = want[:i]
	}
	if w, ok := expectedWords[want]; ok {
		want = w
	}
	return "unexpected " + found + "; expected " + want
}

var unexpected = regexp.MustCompile(`^unexpected token "(.*)"(?: \(expected (.*)\))?$`)

var expectedWords = map[string]string{
	"Name":      "a name",
	"Condition": "a condition (Column = 'value')",
	"Value":     "a value: a number, a 'quoted' text or a list (…)",
	"Scalar":    "a number or a 'quoted' text",
	"Number":    "a number",
	"Order":     "a column name",
}

// op returns the condition's operator in canonical form: = != < > <= >= LIKE
// "NOT LIKE" IN "NOT IN" (<> is !=).
func (c *Condition) op() string {
	o := strings.ToUpper(c.Op)
	switch o {
	case "<>":
		return "!="
	case "NOTLIKE":
		return "NOT LIKE"
	case "NOTIN":
		return "NOT IN"
	}
	return o
}

// text is a literal's value: a string without its quotes (” undoubled), or the number as written.
func (s *Scalar) text() string {
	if s.Number != nil {
		return *s.Number
	}
	v := *s.String
	if strings.HasPrefix(v, "'") {
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'")
	}
	// ‘…’ or ’…’: each quote is one rune of three bytes in UTF-8.
	return v[len("‘") : len(v)-len("’")]
}

// String writes the query back in canonical form: upper-case keywords,
// explicit directions, values quoted. Parsing it again gives the same query.
func (q *Query) String() string {
	var b strings.Builder
	b.WriteString("SELECT ")
	if q.Distinct {
		b.WriteString("DISTINCT ")
	}
	for i, n := range q.Select {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n.Text)
	}
	b.WriteString(" FROM " + q.From.Text)
	for i, c := range q.Where {
		if i == 0 {
			b.WriteString(" WHERE ")
		} else {
			b.WriteString(" AND ")
		}
		b.WriteString(c.Column.Text + " " + c.op() + " ")
		if c.Value.Scalar != nil {
			b.WriteString(c.Value.Scalar.canonical())
		} else {
			b.WriteString("(")
			for j, s := range c.Value.List {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(s.canonical())
			}
			b.WriteString(")")
		}
	}
	for i, o := range q.OrderBy {
		if i == 0 {
			b.WriteString(" ORDER BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(o.Column.Text + " " + o.direction())
	}
	if q.Limit != nil {
		b.WriteString(" LIMIT " + q.Limit.Text)
	}
	if q.Timespan != nil {
		b.WriteString(" TIMESPAN " + strings.ToUpper(q.Timespan.Text))
	}
	return b.String()
}

func (s *Scalar) canonical() string {
	if s.Number != nil {
		return *s.Number
	}
	return "'" + strings.ReplaceAll(s.text(), "'", "''") + "'"
}

// direction is ASC or DESC; DESC when none was written, as Partner Center does.
func (o *Order) direction() string {
	if strings.EqualFold(o.Dir, "ASC") {
		return "ASC"
	}
	return "DESC"
}
