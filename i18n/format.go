package i18n

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
)

// The separators CLDR gives each language: French groups thousands with a
// narrow no-break space and puts a no-break space before "%" and a currency
// symbol, which then follows the amount; so that a line never breaks inside a
// figure.
const (
	nnbsp = "\u202f" // narrow no-break space
	nbsp  = "\u00a0"
)

type format struct {
	group, decimal string
	percent        string // between the number and "%"
	date           string // time layout of a short date
	months         []string
	shortMonths    []string
	monthYear      func(f format, t time.Time, short bool) string
	longDate       func(f format, t time.Time) string
	units          [3]string // bytes, KB, MB
}

var formats = map[Lang]format{
	English: {
		group: ",", decimal: ".", date: "2006-01-02",
		months:      []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		shortMonths: []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		monthYear: func(f format, t time.Time, short bool) string {
			if short {
				return f.shortMonths[t.Month()-1] + " " + fmt.Sprint(t.Year())
			}
			return f.months[t.Month()-1] + " " + fmt.Sprint(t.Year())
		},
		longDate: func(f format, t time.Time) string {
			return fmt.Sprintf("%d %s %d", t.Day(), f.months[t.Month()-1], t.Year())
		},
		units: [3]string{"bytes", "KB", "MB"},
	},
	French: {
		group: nnbsp, decimal: ",", percent: nnbsp, date: "02/01/2006",
		months:      []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		shortMonths: []string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
		monthYear: func(f format, t time.Time, short bool) string {
			if short {
				return f.shortMonths[t.Month()-1] + " " + fmt.Sprint(t.Year())
			}
			return f.months[t.Month()-1] + " " + fmt.Sprint(t.Year())
		},
		longDate: func(f format, t time.Time) string {
			day := fmt.Sprint(t.Day())
			if t.Day() == 1 {
				day = "1er"
			}
			return fmt.Sprintf("%s %s %d", day, f.months[t.Month()-1], t.Year())
		},
		units: [3]string{"octets", "Ko", "Mo"},
	},
	Chinese: {
		group: ",", decimal: ".", date: "2006/01/02",
		monthYear: func(_ format, t time.Time, _ bool) string {
			return fmt.Sprintf("%d年%d月", t.Year(), int(t.Month()))
		},
		longDate: func(_ format, t time.Time) string {
			return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
		},
		units: [3]string{"字节", "KB", "MB"},
	},
}

// Dash stands for a value that is absent (no amount, no date).
const Dash = "–"

// Int writes a whole number with the language's thousands grouping.
func (l *Localizer) Int(n int64) string {
	return l.Decimal(fmt.Sprint(n), 0)
}

// Decimal writes an exact decimal text ("1234567.891") rounded half away from
// zero to places decimals, grouped and with the language's decimal sign. Text
// that is not a number is returned as it is; "" is a dash.
func (l *Localizer) Decimal(s string, places int) string {
	if s == "" {
		return Dash
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return s
	}
	return l.group(roundRat(r, places))
}

// Float writes f with places decimals the language's way.
func (l *Localizer) Float(f float64, places int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Dash
	}
	return l.group(roundRat(new(big.Rat).SetFloat64(f), places))
}

// roundRat rounds half away from zero (big.Rat.FloatString does too) and
// avoids "-0.00".
func roundRat(r *big.Rat, places int) string {
	s := r.FloatString(places)
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.") == "" {
		s = s[1:]
	}
	return s
}

// group turns "-1234567.89" into the language's "-1,234,567.89" or "-1 234 567,89".
func (l *Localizer) group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(l.f.group)
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString(l.f.decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// Currency is how the language writes a currency: its symbol and whether it
// follows the amount. English keeps the ISO code in front ("USD 1,234.50"), as
// the program's pages always have, so that no reader mistakes one dollar for
// another; French and Chinese use CLDR's symbols ("1 234,50 $US", "US$1,234.50").
func (l *Localizer) Currency(code string) (symbol string, after bool) {
	code = strings.ToUpper(code)
	switch l.lang {
	case French:
		switch code {
		case "USD":
			return "$US", true
		case "EUR":
			return "€", true
		}
		return code, true
	case Chinese:
		switch code {
		case "USD":
			return "US$", false
		case "EUR":
			return "€", false
		}
		return code + " ", false
	}
	return code + " ", false
}

// Money writes an exact decimal amount in a currency with two decimals:
// "USD 1,234,567.89", "1 234 567,89 $US", "US$1,234,567.89"; "" is a dash.
func (l *Localizer) Money(amount, currency string) string {
	if amount == "" {
		return Dash
	}
	n := l.Decimal(amount, 2)
	if n == amount && !strings.ContainsAny(amount, "0123456789") {
		return amount
	}
	sym, after := l.Currency(currency)
	if after {
		return n + nbsp + sym
	}
	return sym + n
}

// Percent writes a ratio (0.125) as a percentage with places decimals:
// "12.5%", "12,5 %".
func (l *Localizer) Percent(ratio float64, places int) string {
	if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
		return Dash
	}
	return l.Float(ratio*100, places) + l.f.percent + "%"
}

// Date writes a day as the language writes it in short: "2026-10-31",
// "31/10/2026", "2026/10/31"; the zero time is a dash.
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return Dash
	}
	return t.Format(l.f.date)
}

// LongDate writes a day in words: "31 October 2026", "31 octobre 2026", "2026年10月31日".
func (l *Localizer) LongDate(t time.Time) string {
	if t.IsZero() {
		return Dash
	}
	return l.f.longDate(l.f, t)
}

// DateTime writes an instant in UTC, the date in the language's short form.
func (l *Localizer) DateTime(t time.Time) string {
	if t.IsZero() {
		return Dash
	}
	t = t.UTC()
	return t.Format(l.f.date) + " " + t.Format("15:04") + " UTC"
}

// Month writes a calendar month: "October 2026", "octobre 2026", "2026年10月".
func (l *Localizer) Month(t time.Time) string {
	if t.IsZero() {
		return Dash
	}
	return l.f.monthYear(l.f, t, false)
}

// ShortMonth writes a calendar month where room is short (chart labels):
// "Oct 2026", "oct. 2026", "2026年10月".
func (l *Localizer) ShortMonth(t time.Time) string {
	if t.IsZero() {
		return Dash
	}
	return l.f.monthYear(l.f, t, true)
}

// Size writes a file size: "1.2 MB", "1,2 Mo", "1.2 MB".
func (l *Localizer) Size(n int64) string {
	switch {
	case n >= 1<<20:
		return l.Float(float64(n)/(1<<20), 1) + nbspIf(l.lang == French) + l.f.units[2]
	case n >= 1<<10:
		return l.Float(float64(n)/(1<<10), 0) + nbspIf(l.lang == French) + l.f.units[1]
	}
	return l.Int(n) + nbspIf(l.lang == French) + l.f.units[0]
}

func nbspIf(fr bool) string {
	if fr {
		return nbsp
	}
	return " "
}
