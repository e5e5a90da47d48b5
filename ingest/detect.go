package ingest

import (
	"fmt"
	"strings"
)

// Mapping says which column of a file feeds which column of its dataset.
type Mapping struct {
	Dataset *Dataset
	// Source has one entry per dataset column: the index of the file column
	// that feeds it, or -1 when the file lacks it (the value is then NULL).
	Source []int
	// Alternates has, per dataset column, the further file columns naming it
	// (AssetId and asset_id both present). Delimited and Parquet files ignore
	// them; JSON lines, whose lines may spell keys differently, take the
	// first non-blank.
	Alternates [][]int
	// Ignored lists the file columns whose names belong to no column.
	Ignored []string
	// Shape is the dataset's key shape this file has (see Dataset.Keys).
	Shape KeyShape
	// Const has, per dataset column the file lacks, the SQL expression that
	// fills it: the column's default (an order without a version is version
	// 1), USD for the currency of a "… USD" amount, the publisher known from
	// the landing path, NULL for a key column.
	Const map[int]string
	// Fill has, per dataset column the file carries, the SQL expression a
	// blank value takes (the publisher known from the landing path).
	Fill map[int]string
}

// Key is the natural key of the file's shape.
func (m *Mapping) Key() []string { return m.Shape.Cols }

// column is the dataset's column i as this file's shape validates it: a
// column the shape requires is required.
func (m *Mapping) column(i int) Column {
	c := m.Dataset.Columns[i]
	for _, r := range m.Shape.Require {
		if r == c.Name {
			c.Required = true
		}
	}
	return c
}

// filled reports whether dataset column i gets a value from the file or a
// constant (and so is a column of the stage).
func (m *Mapping) filled(i int) bool {
	if m.Source[i] >= 0 {
		return true
	}
	_, ok := m.Const[i]
	return ok
}

// index returns the position of the named dataset column (-1 if none).
func (m *Mapping) index(name string) int {
	for i, c := range m.Dataset.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// DetectError is an undetectable (or, with --dataset, an unsuitable) header.
type DetectError struct {
	Forced  bool     // the dataset was given, not detected
	Closest string   // the dataset the header looks most like ("" when nothing matches)
	Matched int      // header columns that are columns of Closest
	Total   int      // columns of Closest
	Missing []string // required columns of Closest absent from the header (export names)
	Header  []string
}

func (e *DetectError) Error() string {
	if e.Forced {
		return fmt.Sprintf("not %s %s file: missing required column(s) %s", article(e.Closest), e.Closest, strings.Join(e.Missing, ", "))
	}
	if e.Closest == "" {
		return fmt.Sprintf("cannot tell which dataset this is: no column of the header (%s) belongs to any dataset (%s)",
			shorten(strings.Join(e.Header, ", "), 200), strings.Join(DatasetNames(), ", "))
	}
	return fmt.Sprintf("cannot tell which dataset this is: closest is %s (%d of its %d columns), which needs the missing column(s) %s; fix the header or force one with --dataset",
		e.Closest, e.Matched, e.Total, strings.Join(e.Missing, ", "))
}

// Detect maps a header to a dataset. With force set, the header must suit that
// dataset; otherwise the dataset whose columns the header matches best is
// chosen, provided the header has all of its required columns. When the best
// match lacks some, detection fails rather than settle for a smaller dataset
// whose few columns happen to be there (an orders file without OrderVersion
// must not load as customers).
func Detect(header []string, force string) (*Mapping, error) {
	if force != "" {
		d, ok := DatasetByName(force)
		if !ok {
			return nil, fmt.Errorf("unknown dataset %q (want one of %s)", force, strings.Join(DatasetNames(), ", "))
		}
		m, missing := mapHeader(d, header)
		if len(missing) > 0 {
			return nil, &DetectError{Forced: true, Closest: d.Name, Matched: m.matched(), Total: len(d.Columns), Missing: missing, Header: header}
		}
		return m, nil
	}
	var best *Mapping
	var bestMissing []string
	for _, d := range datasetsInOrder {
		m, missing := mapHeader(d, header)
		if m.matched() == 0 {
			continue
		}
		if best == nil || better(m, missing, best, bestMissing) {
			best, bestMissing = m, missing
		}
	}
	if best == nil {
		return nil, &DetectError{Header: header}
	}
	if len(bestMissing) > 0 {
		return nil, &DetectError{Closest: best.Dataset.Name, Matched: best.matched(), Total: len(best.Dataset.Columns), Missing: bestMissing, Header: header}
	}
	return best, nil
}

// article is the indefinite article for a dataset name as it is read aloud:
// "an orders file", "an fx_rates file", "a usage file".
func article(name string) string {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "fx") || (n != "" && strings.ContainsRune("aeio", rune(n[0]))) {
		return "an"
	}
	return "a"
}

// better ranks a candidate mapping: one that has every required column
// first (a usage system query shares many columns with orders but lacks
// AssetId), then more matched header columns, then fewer missing required
// columns, then a larger share of the dataset covered.
func better(m *Mapping, missing []string, than *Mapping, thanMissing []string) bool {
	if a, b := len(missing) == 0, len(thanMissing) == 0; a != b {
		return a
	}
	if a, b := m.matched(), than.matched(); a != b {
		return a > b
	}
	if len(missing) != len(thanMissing) {
		return len(missing) < len(thanMissing)
	}
	return m.matched()*len(than.Dataset.Columns) > than.matched()*len(m.Dataset.Columns)
}

func mapHeader(d *Dataset, header []string) (*Mapping, []string) {
	lookup := columnNameLookup[d.Name]
	m := &Mapping{Dataset: d, Source: make([]int, len(d.Columns)), Alternates: make([][]int, len(d.Columns))}
	pos := make(map[string]int, len(d.Columns))
	for i, c := range d.Columns {
		pos[c.Name] = i
		m.Source[i] = -1
	}
	for j, h := range header {
		canon, ok := lookup[normName(h)]
		if !ok {
			m.Ignored = append(m.Ignored, displayName(h))
			continue
		}
		i := pos[canon]
		if m.Source[i] >= 0 {
			m.Alternates[i] = append(m.Alternates[i], j)
			continue
		}
		m.Source[i] = j
	}
	var missing []string
	for i, c := range d.Columns {
		if c.Required && m.Source[i] < 0 {
			missing = append(missing, c.Export)
		}
	}
	m.Shape = d.Keys[len(d.Keys)-1]
	for _, k := range d.Keys {
		if k.When == "" || m.Source[pos[k.When]] >= 0 {
			m.Shape = k
			break
		}
	}
	if len(m.Shape.AnyOf) > 0 {
		var names []string
		found := false
		for _, n := range m.Shape.AnyOf {
			found = found || m.Source[pos[n]] >= 0
			names = append(names, d.Columns[pos[n]].Export)
		}
		if !found {
			missing = append(missing, strings.Join(names, " or "))
		}
	}
	m.Const, m.Fill = map[int]string{}, map[int]string{}
	for i, c := range d.Columns {
		if m.Source[i] >= 0 {
			if c.CurrencyCol != "" && strings.HasSuffix(normName(header[m.Source[i]]), "usd") && m.Source[pos[c.CurrencyCol]] < 0 {
				m.Const[pos[c.CurrencyCol]] = "'USD'"
			}
			continue
		}
		if c.Default != "" {
			m.Const[i] = c.Default
		}
	}
	for _, k := range m.Shape.Cols {
		if i := pos[k]; m.Source[i] < 0 && m.Const[i] == "" {
			m.Const[i] = "CAST(NULL AS " + d.Columns[i].sqlTypeName() + ")"
		}
	}
	return m, missing
}

func (m *Mapping) matched() int {
	n := 0
	for _, s := range m.Source {
		if s >= 0 {
			n++
		}
	}
	return n
}

func displayName(h string) string {
	if strings.TrimSpace(h) == "" {
		return "(blank)"
	}
	return h
}

// shorten cuts s to at most n bytes (on a rune boundary), marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
