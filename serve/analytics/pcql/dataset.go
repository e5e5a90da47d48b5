package pcql

import (
	"sort"
	"strings"
	"time"
)

// Type is a column's type, which decides how a literal is read and compared.
type Type int

// Column types.
const (
	Text Type = iota
	Integer
	Decimal
	Date
	Timestamp
	Bool
)

var typeNames = [...]string{"text", "integer", "decimal", "date", "timestamp", "boolean"}

func (t Type) String() string { return typeNames[t] }

// Column is one selectable column or metric of a dataset.
type Column struct {
	Name   string // as Partner Center spells it; also the column name in the dataset's SQL
	Type   Type
	Metric bool   // aggregated over the distinct combinations of the selected columns
	Agg    string // a metric's aggregate: "sum" (default) or "max"
}

// Dataset is a fixed, partner-scoped source of rows.
type Dataset struct {
	Name string
	// SQL selects the partner's rows: $1 is the partner id, the result has
	// every column under its Name plus "_date" (DATE), the row's date for
	// TIMESPAN. It is a fixed text from the whitelist, never built from a query.
	SQL     string
	Columns []Column
	Monthly bool     // _date is the first of a month: ranges start at the first of their month
	Ranges  []string // the TIMESPAN values it accepts
}

// Column finds a column or metric by name, in any case.
func (d *Dataset) Column(name string) (Column, bool) {
	for _, c := range d.Columns {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return Column{}, false
}

// Selectable lists the non-metric column names; Metrics the metric names.
func (d *Dataset) Selectable() []string { return d.names(false) }

// Metrics lists the metric names.
func (d *Dataset) Metrics() []string { return d.names(true) }

func (d *Dataset) names(metric bool) []string {
	out := []string{}
	for _, c := range d.Columns {
		if c.Metric == metric {
			out = append(out, c.Name)
		}
	}
	return out
}

// Catalog finds datasets by name, in any case.
type Catalog map[string]*Dataset

// NewCatalog indexes datasets.
func NewCatalog(ds ...*Dataset) Catalog {
	c := Catalog{}
	for _, d := range ds {
		c[strings.ToLower(d.Name)] = d
	}
	return c
}

// Lookup finds a dataset.
func (c Catalog) Lookup(name string) (*Dataset, bool) {
	d, ok := c[strings.ToLower(name)]
	return d, ok
}

// Names lists the dataset names in order.
func (c Catalog) Names() []string {
	var out []string
	for _, d := range c {
		out = append(out, d.Name)
	}
	sort.Strings(out)
	return out
}

// The documented TIMESPAN values.
var (
	// DailyRanges suit datasets with a row date.
	DailyRanges = []string{"TODAY", "YESTERDAY", "LAST_7_DAYS", "LAST_14_DAYS", "LAST_30_DAYS", "LAST_90_DAYS",
		"LAST_180_DAYS", "LAST_365_DAYS", "LAST_MONTH", "LAST_3_MONTHS", "LAST_6_MONTHS", "LAST_1_YEAR", "LIFETIME"}
	// MonthlyRanges suit datasets with one row per month.
	MonthlyRanges = []string{"LAST_MONTH", "LAST_3_MONTHS", "LAST_6_MONTHS", "LAST_1_YEAR", "LIFETIME"}
)

// DefaultTimespan applies when a query names none (as in Partner Center).
const DefaultTimespan = "LAST_6_MONTHS"

// Span is an inclusive range of dates; a zero From or To is unbounded.
type Span struct {
	From, To time.Time
}

// SpanOf is the dates a TIMESPAN covers, ending on end (inclusive): the last
// N days, the last N months (from the day after the same day N months
// earlier), or everything (LIFETIME). ok is false for an unknown range.
func SpanOf(timespan string, end time.Time) (Span, bool) {
	end = day(end)
	days := map[string]int{"TODAY": 1, "LAST_7_DAYS": 7, "LAST_14_DAYS": 14, "LAST_30_DAYS": 30,
		"LAST_90_DAYS": 90, "LAST_180_DAYS": 180, "LAST_365_DAYS": 365}
	months := map[string]int{"LAST_MONTH": 1, "LAST_3_MONTHS": 3, "LAST_6_MONTHS": 6, "LAST_1_YEAR": 12}
	switch t := strings.ToUpper(timespan); {
	case t == "LIFETIME":
		return Span{}, true
	case t == "YESTERDAY":
		y := end.AddDate(0, 0, -1)
		return Span{From: y, To: y}, true
	case days[t] > 0:
		return Span{From: end.AddDate(0, 0, 1-days[t]), To: end}, true
	case months[t] > 0:
		return Span{From: end.AddDate(0, -months[t], 1), To: end}, true
	}
	return Span{}, false
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
