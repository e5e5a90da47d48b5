package i18n

import "strings"

// Excel is how a language's numbers, money and dates are written as Excel
// number format codes, for the partner workbook's cells and chart axes.
//
// A format code is stored in Excel's en-US syntax whatever the language: ","
// groups thousands and "." is the decimal sign in the code, and Excel shows
// them with the separators of the reader's system (a French Windows shows
// "1 234,50"). The code starts with the language's locale id ("[$-40C]"),
// which gives Excel its month names ("juin 2025") and tells LibreOffice to
// use that language's separators whatever the system. Literal text in a
// code (a currency symbol, "pp") is quoted. The English formats are empty:
// the workbook keeps its ISO dates and Excel's built-in number formats.
type Excel struct {
	Integer, Decimal, Percent, Date, Month, Timestamp, Points string
	// Money is the format of an amount in a currency ("USD"), with its
	// symbol placed the language's way; Amount that of an amount whose
	// currency is in another column.
	Money  func(currency string) string
	Amount string
	// Chart axes: whole numbers, ratios, months, days.
	ChartNumber, ChartPercent, ChartMonth, ChartDate string
	// Widths are the characters a cell of these formats takes beyond the
	// English one ("janv. 2025" against "2025-01").
	MonthWidth, MoneyWidth, PercentWidth int
}

// Excel returns the number formats of the localizer's language.
func (l *Localizer) Excel() Excel {
	lang := l.lang
	if lang == Pseudo || lang == English {
		return Excel{Money: func(string) string { return "" }}
	}
	id := "[$-" + lang.LCID() + "]"
	e := Excel{Integer: id + "#,##0", Decimal: id + "#,##0.00##", Amount: id + "#,##0.00", ChartNumber: id + "#,##0"}
	// A difference of two ratios, in percentage points: "+3,0 pt", "+3.0个百分点".
	points := func(sep string) string {
		u := quote(sep + l.T("workbook.format.points"))
		return id + "+0.0" + u + ";-0.0" + u + ";0.0" + u
	}
	switch lang {
	case French:
		// CLDR: a no-break space before "%" and the currency symbol after
		// the amount; months abbreviated as the language does ("janv.").
		e.Percent, e.ChartPercent = id+"0.0"+quote(nbsp)+"%", id+"0"+quote(nbsp)+"%"
		e.Date, e.ChartDate = id+"dd/mm/yyyy", id+"dd/mm/yyyy"
		e.Month, e.ChartMonth = id+"mmm yyyy", id+"mmm yyyy"
		e.Timestamp = id + "dd/mm/yyyy hh:mm:ss"
		e.Points = points(nbsp)
		e.MonthWidth, e.MoneyWidth, e.PercentWidth = 3, 4, 1
	case Chinese:
		e.Percent, e.ChartPercent = id+"0.0%", id+"0%"
		e.Date, e.ChartDate = id+"yyyy/mm/dd", id+"yyyy/mm/dd"
		e.Month, e.ChartMonth = id+`yyyy"年"m"月"`, id+`yyyy"年"m"月"`
		e.Timestamp = id + "yyyy/mm/dd hh:mm:ss"
		e.Points = points("")
		e.MonthWidth, e.MoneyWidth = 3, 3
	}
	e.Money = func(currency string) string {
		sym, after := l.Currency(currency)
		if after {
			return id + "#,##0.00" + quote(nbsp+sym)
		}
		return id + quote(sym) + "#,##0.00"
	}
	return e
}

// quote makes text a literal of a format code.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, "") + `"` }
