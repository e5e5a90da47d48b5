package web

import (
	"fmt"
	"math"
	"strconv"
)

// salesChart is a server-rendered SVG chart of a company's billed sales: one
// bar per month, the trailing-window total as a line, and the tier thresholds
// as dashed lines. Floats only here, at the rendering edge; the table next to
// the chart shows the exact amounts.
type salesChart struct {
	Width, Height    int
	Left, Top, Plotw float64
	Bottom           float64
	Bars             []chartBar
	Line             string // polyline points
	Dots             []chartDot
	Thresholds       []chartRule
	Ticks            []chartRule
	Labels           []chartLabel
	Empty            bool
}

type chartBar struct {
	X, Y, W, H float64
	Title      string
}

type chartDot struct {
	X, Y  float64
	Title string
}

type chartRule struct {
	Y         float64
	Label     string
	Met       bool
	ShowLabel bool // false when it would overlap the label of a higher threshold
}

type chartLabel struct {
	X     float64
	Label string
}

func amount(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return f
}

// newSalesChart lays the chart out. Thresholds above the first one the
// trailing total has not reached are left out, so a small company's bars are
// not squashed under a USD 4M line.
func newSalesChart(months []salesMonth, rules []threshold) salesChart {
	c := salesChart{Width: 760, Height: 300, Left: 96, Top: 16, Bottom: 256}
	c.Plotw = float64(c.Width) - c.Left - 16
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
	for i, m := range months {
		x := c.Left + step*float64(i)
		b, t := amount(m.Billed), amount(m.Trailing)
		c.Bars = append(c.Bars, chartBar{X: x + step*0.2, Y: y(b), W: step * 0.6, H: c.Bottom - y(b),
			Title: fmt.Sprintf("%s: billed %s", m.Month.Format("Jan 2006"), usd(m.Billed))})
		cx := x + step/2
		c.Dots = append(c.Dots, chartDot{X: cx, Y: y(t), Title: fmt.Sprintf("%s: trailing %s", m.Month.Format("Jan 2006"), usd(m.Trailing))})
		if i > 0 {
			c.Line += " "
		}
		c.Line += fmt.Sprintf("%.1f,%.1f", cx, y(t))
		if len(months) <= 12 || i%2 == len(months)%2 {
			c.Labels = append(c.Labels, chartLabel{X: cx, Label: m.Month.Format("Jan 06")})
		}
	}
	last := amount(months[len(months)-1].Trailing)
	for _, t := range shown {
		c.Thresholds = append(c.Thresholds, chartRule{Y: y(amount(t.USD)), Label: t.Tier + " " + shortUSD(amount(t.USD)), Met: last >= amount(t.USD)})
	}
	// Label from the highest threshold down, skipping a label closer than a
	// line of text to the one above it (the list under the chart has them all).
	labelled := math.Inf(-1)
	for i := len(c.Thresholds) - 1; i >= 0; i-- {
		if c.Thresholds[i].Y-labelled >= 14 {
			c.Thresholds[i].ShowLabel = true
			labelled = c.Thresholds[i].Y
		}
	}
	for i := 0; i <= ticks; i++ {
		v := tickStep * float64(i)
		c.Ticks = append(c.Ticks, chartRule{Y: y(v), Label: shortUSD(v)})
	}
	return c
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
