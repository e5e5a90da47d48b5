package web

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/marketplace-insights/insights/i18n"
)

// salesChart is a server-rendered SVG chart of a company's billed sales: one
// bar per month, the trailing-window total as a line, the tier thresholds as
// dashed lines labelled in a gutter on the right (where no bar or line runs),
// and marked months (the unlock's, the month a tier was reached). Floats only
// here, at the rendering edge; the table next to the chart shows the exact
// amounts.
type salesChart struct {
	ID               string // tells the two layouts' title and description apart
	Width, Height    int
	Font             float64 // text size in the chart's units
	Left, Top, Plotw float64
	Right            float64 // the right end of the plot; threshold labels beyond
	Bottom           float64
	Bars             []chartBar
	Line             string // polyline points
	Dots             []chartDot
	Thresholds       []chartRule
	Ticks            []chartRule
	Labels           []chartLabel
	Marks            []chartMark
	Empty            bool
}

// salesCharts is the chart laid out twice: wide for a desktop, narrow (fewer
// month labels, larger text relative to its width) for a phone, where the
// wide one would shrink its text to a few pixels. CSS shows one of them.
type salesCharts struct {
	Wide, Narrow salesChart
	Empty        bool
	// Reached and Unreached: some threshold shown is reached, some is not
	// (the legend keys only what is drawn).
	Reached, Unreached bool
}

type chartBar struct {
	X, Y, W, H float64
	Title      string
	Marked     bool
}

type chartDot struct {
	X, Y  float64
	Title string
}

type chartRule struct {
	Y      float64
	LabelY float64 // where its label sits: at the line, moved apart from a neighbour's
	Label  string
	Met    bool
	// ShowLabel: every threshold is labelled (kept for the template).
	ShowLabel bool
}

type chartLabel struct {
	X     float64
	Label string
}

// chartMark is a marked month: a vertical line through its bar, labelled.
type chartMark struct {
	X, LabelX float64
	Label     string
	Anchor    string // text-anchor of the label
}

// markAt asks for month's bar to be marked with label.
type markAt struct {
	Month time.Time
	Label string
}

// chartSize is one layout: the size, the gutters and the text size.
type chartSize struct {
	id                       string
	width, height            int
	left, right, top, bottom float64 // gutters: left for ticks, right for threshold labels
	font                     float64
	shortLabels              bool // threshold labels without the amount
	minLabelSpacing          float64
}

var (
	wideChart   = chartSize{id: "wide", width: 760, height: 300, left: 60, right: 124, top: 24, bottom: 44, font: 11, minLabelSpacing: 38}
	narrowChart = chartSize{id: "narrow", width: 360, height: 280, left: 46, right: 70, top: 26, bottom: 40, font: 12, shortLabels: true, minLabelSpacing: 40}
)

func amount(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return f
}

// newSalesCharts lays the chart out for a desktop and for a phone, in English.
func newSalesCharts(months []salesMonth, rules []threshold, marks ...markAt) salesCharts {
	return newSalesChartsIn(i18n.For(i18n.English), months, rules, marks...)
}

// newSalesChartsIn lays the chart out for a desktop and for a phone, its
// labels in l's language.
func newSalesChartsIn(l *i18n.Localizer, months []salesMonth, rules []threshold, marks ...markAt) salesCharts {
	c := salesCharts{Wide: layoutChartIn(l, wideChart, months, rules, marks), Narrow: layoutChartIn(l, narrowChart, months, rules, marks)}
	c.Empty = c.Wide.Empty
	for _, t := range c.Wide.Thresholds {
		c.Reached = c.Reached || t.Met
		c.Unreached = c.Unreached || !t.Met
	}
	return c
}

// newSalesChart is the wide layout.
func newSalesChart(months []salesMonth, rules []threshold, marks ...markAt) salesChart {
	return layoutChart(wideChart, months, rules, marks)
}

// reachedMark marks the month the trailing total first reached the highest
// threshold it has reached ("Tier 2 reached"); none when none is reached.
func reachedMark(months []salesMonth, rules []threshold) []markAt {
	return reachedMarkIn(i18n.For(i18n.English), months, rules)
}

func reachedMarkIn(l *i18n.Localizer, months []salesMonth, rules []threshold) []markAt {
	var best *markAt
	for _, t := range rules {
		for _, m := range months {
			if amount(m.Trailing) >= amount(t.USD) {
				best = &markAt{Month: m.Month, Label: l.T("portal.chart.mark.reached", map[string]any{"Tier": t.Tier})}
				break
			}
		}
	}
	if best == nil {
		return nil
	}
	return []markAt{*best}
}

// layoutChart lays the chart out at one size. Thresholds above the first one
// the trailing total has not reached are left out, so a small company's bars
// are not squashed under a USD 4M line.
func layoutChart(sz chartSize, months []salesMonth, rules []threshold, marks []markAt) salesChart {
	return layoutChartIn(i18n.For(i18n.English), sz, months, rules, marks)
}

// layoutChartIn is layoutChart with its labels in l's language.
func layoutChartIn(l *i18n.Localizer, sz chartSize, months []salesMonth, rules []threshold, marks []markAt) salesChart {
	c := salesChart{ID: sz.id, Width: sz.width, Height: sz.height, Font: sz.font, Left: sz.left, Top: sz.top,
		Right: float64(sz.width) - sz.right, Bottom: float64(sz.height) - sz.bottom}
	c.Plotw = c.Right - c.Left
	if len(months) == 0 {
		c.Empty = true
		return c
	}
	top := 0.0
	for _, m := range months {
		top = math.Max(top, math.Max(amount(m.Trailing), amount(m.Billed)))
	}
	var shown []threshold
	for _, t := range rules {
		shown = append(shown, t)
		if amount(t.USD) > top {
			top = amount(t.USD)
			break
		}
	}
	if top <= 0 {
		top = 1
	}
	// Round ticks: a nice step, then as many steps as the data needs (3 to 5).
	tickStep := niceCeil(top * 1.05 / 4)
	ticks := int(math.Ceil(top * 1.05 / tickStep))
	top = tickStep * float64(ticks)
	h := c.Bottom - c.Top
	y := func(v float64) float64 { return c.Bottom - h*math.Max(v, 0)/top }
	step := c.Plotw / float64(len(months))
	// Month labels: as many as fit, the latest month always labelled.
	every := int(math.Ceil(float64(len(months)) * sz.minLabelSpacing / c.Plotw))
	every = max(every, 1)
	center := map[string]float64{}
	for i, m := range months {
		x := c.Left + step*float64(i)
		b, t := amount(m.Billed), amount(m.Trailing)
		c.Bars = append(c.Bars, chartBar{X: x + step*0.2, Y: y(b), W: step * 0.6, H: c.Bottom - y(b),
			Title: l.T("portal.chart.bar", map[string]any{"Month": l.ShortMonth(m.Month), "Amount": l.Money(m.Billed, "USD")})})
		cx := x + step/2
		center[m.Month.Format("2006-01")] = cx
		c.Dots = append(c.Dots, chartDot{X: cx, Y: y(t), Title: l.T("portal.chart.dot", map[string]any{"Month": l.ShortMonth(m.Month), "Amount": l.Money(m.Trailing, "USD")})})
		if i > 0 {
			c.Line += " "
		}
		c.Line += fmt.Sprintf("%.1f,%.1f", cx, y(t))
		if (len(months)-1-i)%every == 0 {
			c.Labels = append(c.Labels, chartLabel{X: cx, Label: chartMonth(l, m.Month)})
		}
	}
	for _, mk := range marks {
		cx, ok := center[mk.Month.Format("2006-01")]
		if !ok {
			continue
		}
		m := chartMark{X: cx, LabelX: cx - 4, Label: mk.Label, Anchor: "end"}
		if cx < c.Left+c.Plotw/2 {
			m.LabelX, m.Anchor = cx+4, "start"
		}
		c.Marks = append(c.Marks, m)
		for i := range c.Bars {
			if math.Abs(c.Bars[i].X+c.Bars[i].W/2-cx) < 0.01 {
				c.Bars[i].Marked = true
			}
		}
	}
	last := amount(months[len(months)-1].Trailing)
	for _, t := range shown {
		label := t.Tier
		if !sz.shortLabels {
			label += " " + shortMoney(l, amount(t.USD))
		}
		met := last >= amount(t.USD)
		ly := y(amount(t.USD))
		c.Thresholds = append(c.Thresholds, chartRule{Y: ly, LabelY: ly + sz.font/3, Label: label, Met: met, ShowLabel: true})
	}
	spreadLabels(c.Thresholds, sz.font+3, c.Top, c.Bottom)
	for i := 0; i <= ticks; i++ {
		v := tickStep * float64(i)
		c.Ticks = append(c.Ticks, chartRule{Y: y(v), Label: axisMoney(l, v)})
	}
	return c
}

// spreadLabels moves the threshold labels (ordered from the lowest amount,
// so from the largest y) at least gap apart, keeping them between top and
// bottom: every threshold keeps its label, none overlaps another.
func spreadLabels(rules []chartRule, gap, top, bottom float64) {
	// Downward from the highest threshold (smallest y), then back up from the
	// bottom if the lowest label was pushed past it.
	for i := len(rules) - 2; i >= 0; i-- {
		if rules[i].LabelY < rules[i+1].LabelY+gap {
			rules[i].LabelY = rules[i+1].LabelY + gap
		}
	}
	if n := len(rules); n > 0 && rules[0].LabelY > bottom {
		rules[0].LabelY = bottom
		for i := 1; i < n; i++ {
			if rules[i].LabelY > rules[i-1].LabelY-gap {
				rules[i].LabelY = rules[i-1].LabelY - gap
			}
		}
	}
	for i := range rules {
		rules[i].LabelY = math.Max(rules[i].LabelY, top+gap/2)
	}
}

// niceCeil rounds up to 1, 2, 2.5 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func shortUSD(v float64) string {
	switch {
	case v >= 1e6:
		return "$" + strconv.FormatFloat(v/1e6, 'f', -1, 64) + "M"
	case v >= 1e3:
		return "$" + strconv.FormatFloat(math.Round(v/1e3*10)/10, 'f', -1, 64) + "k"
	default:
		return "$" + strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	}
}
