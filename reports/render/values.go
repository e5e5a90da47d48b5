package render

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// kind is the physical shape of an Arrow column, resolved once per batch so
// that the per-cell path is a switch and a concrete type assertion instead of
// reflection or per-cell closures.
type kind uint8

const (
	kOther kind = iota // anything else: rendered through Array.ValueStr
	kString
	kLargeString
	kStringView
	kDict
	kInt8
	kInt16
	kInt32
	kInt64
	kUint8
	kUint16
	kUint32
	kUint64
	kFloat32
	kFloat64
	kDec128
	kDec256
	kBool
	kDate32
	kDate64
	kTimestamp
)

// excelEpochDays is the Excel serial number of 1970-01-01 (1900 date system).
const excelEpochDays = 25569

// firstSafeSerial is 1900-03-01: Excel's serials before it are off by one
// (the 1900 leap-year bug), so earlier dates are written as ISO text.
const firstSafeSerial = 61

// colReader reads the values of one column of one record batch.
type colReader struct {
	kind   kind
	format Format
	arr    arrow.Array
	scale  int32   // decimals
	pow10  float64 // decimals: 10^scale when the fast float path is exact
	unit   arrow.TimeUnit
	hasTZ  bool
	dict   *colReader // dictionary values
}

func newColReader(arr arrow.Array, f Format) *colReader {
	r := &colReader{arr: arr, format: f}
	switch dt := arr.DataType().(type) {
	case *arrow.StringType:
		r.kind = kString
	case *arrow.LargeStringType:
		r.kind = kLargeString
	case *arrow.StringViewType:
		r.kind = kStringView
	case *arrow.DictionaryType:
		r.kind = kDict
		r.dict = newColReader(arr.(*array.Dictionary).Dictionary(), f)
	case *arrow.Int8Type:
		r.kind = kInt8
	case *arrow.Int16Type:
		r.kind = kInt16
	case *arrow.Int32Type:
		r.kind = kInt32
	case *arrow.Int64Type:
		r.kind = kInt64
	case *arrow.Uint8Type:
		r.kind = kUint8
	case *arrow.Uint16Type:
		r.kind = kUint16
	case *arrow.Uint32Type:
		r.kind = kUint32
	case *arrow.Uint64Type:
		r.kind = kUint64
	case *arrow.Float32Type:
		r.kind = kFloat32
	case *arrow.Float64Type:
		r.kind = kFloat64
	case *arrow.Decimal128Type:
		r.kind, r.scale = kDec128, dt.Scale
		if dt.Scale >= 0 && dt.Scale <= 22 { // 10^22 is the largest exact power of ten in a float64
			r.pow10 = math.Pow10(int(dt.Scale))
		}
	case *arrow.Decimal256Type:
		r.kind, r.scale = kDec256, dt.Scale
	case *arrow.BooleanType:
		r.kind = kBool
	case *arrow.Date32Type:
		r.kind = kDate32
	case *arrow.Date64Type:
		r.kind = kDate64
	case *arrow.TimestampType:
		r.kind, r.unit, r.hasTZ = kTimestamp, dt.Unit, dt.TimeZone != ""
	default:
		r.kind = kOther
	}
	return r
}

// isText reports whether the column holds strings (a string cell in xlsx).
func (r *colReader) isText() bool {
	switch r.kind {
	case kString, kLargeString, kStringView, kOther:
		return true
	case kDict:
		return r.dict.isText()
	}
	return false
}

func (r *colReader) str(i int) string {
	switch r.kind {
	case kString:
		return r.arr.(*array.String).Value(i)
	case kLargeString:
		return r.arr.(*array.LargeString).Value(i)
	case kStringView:
		return r.arr.(*array.StringView).Value(i)
	}
	return r.arr.ValueStr(i)
}

// dec128Float converts exactly when the unscaled value and 10^scale are both
// exact in a float64 (one correctly rounded division), else through Arrow.
func (r *colReader) dec128Float(n decimal128.Num) float64 {
	hi, lo := n.HighBits(), n.LowBits()
	if r.pow10 != 0 && ((hi == 0 && lo < 1<<53) || (hi == -1 && lo > math.MaxUint64-1<<53)) {
		return float64(int64(lo)) / r.pow10
	}
	return n.ToFloat64(r.scale)
}

// timestampDays converts a timestamp to days since 1970-01-01 (fractional).
func timestampDays(v int64, unit arrow.TimeUnit) float64 {
	perDay := [...]float64{86400, 86400e3, 86400e6, 86400e9}[unit]
	perDayInt := [...]int64{86400, 86400e3, 86400e6, 86400e9}[unit]
	// Split into whole days and the remainder so that large nanosecond
	// values keep their sub-second precision.
	d := floorDiv(v, perDayInt)
	return float64(d) + float64(v-d*perDayInt)/perDay
}

// xlsxValue is the cell value for row i: nil for null, else a string, an
// int64/uint64, a float64 (decimals, date serials) or a bool.
func (r *colReader) xlsxValue(i int) any {
	if r.arr.IsNull(i) {
		return nil
	}
	switch r.kind {
	case kString, kLargeString, kStringView:
		s := r.str(i)
		if r.format == Month || r.format == Date {
			if days, ok := parseISODate(s); ok && days+excelEpochDays >= firstSafeSerial {
				return float64(days + excelEpochDays)
			}
		}
		return s
	case kDict:
		return r.dict.xlsxValue(r.arr.(*array.Dictionary).GetValueIndex(i))
	case kInt8:
		return int64(r.arr.(*array.Int8).Value(i))
	case kInt16:
		return int64(r.arr.(*array.Int16).Value(i))
	case kInt32:
		return int64(r.arr.(*array.Int32).Value(i))
	case kInt64:
		return r.arr.(*array.Int64).Value(i)
	case kUint8:
		return uint64(r.arr.(*array.Uint8).Value(i))
	case kUint16:
		return uint64(r.arr.(*array.Uint16).Value(i))
	case kUint32:
		return uint64(r.arr.(*array.Uint32).Value(i))
	case kUint64:
		return r.arr.(*array.Uint64).Value(i)
	case kFloat32:
		return float64(r.arr.(*array.Float32).Value(i))
	case kFloat64:
		return r.arr.(*array.Float64).Value(i)
	case kDec128:
		return r.dec128Float(r.arr.(*array.Decimal128).Value(i))
	case kDec256:
		return r.arr.(*array.Decimal256).Value(i).ToFloat64(r.scale)
	case kBool:
		return r.arr.(*array.Boolean).Value(i)
	case kDate32:
		return r.dateValue(int64(r.arr.(*array.Date32).Value(i)), i)
	case kDate64:
		return r.dateValue(floorDiv(int64(r.arr.(*array.Date64).Value(i)), 86400e3), i)
	case kTimestamp:
		v := int64(r.arr.(*array.Timestamp).Value(i))
		if r.format == Text {
			return string(r.appendTimestamp(nil, v))
		}
		days := timestampDays(v, r.unit)
		if days+excelEpochDays < firstSafeSerial {
			return string(r.appendTimestamp(nil, v))
		}
		return days + excelEpochDays
	}
	return r.arr.ValueStr(i)
}

func (r *colReader) dateValue(days int64, i int) any {
	if r.format == Text || days+excelEpochDays < firstSafeSerial {
		return string(r.appendText(nil, i))
	}
	return float64(days + excelEpochDays)
}

// appendText appends the CSV text of row i (unquoted); nothing for null.
// Decimals are exact, dates ISO 8601, timestamps ISO 8601 in UTC with a "Z"
// when the type has a time zone.
func (r *colReader) appendText(b []byte, i int) []byte {
	if r.arr.IsNull(i) {
		return b
	}
	switch r.kind {
	case kString, kLargeString, kStringView, kOther:
		return append(b, r.str(i)...)
	case kDict:
		return r.dict.appendText(b, r.arr.(*array.Dictionary).GetValueIndex(i))
	case kInt8:
		return strconv.AppendInt(b, int64(r.arr.(*array.Int8).Value(i)), 10)
	case kInt16:
		return strconv.AppendInt(b, int64(r.arr.(*array.Int16).Value(i)), 10)
	case kInt32:
		return strconv.AppendInt(b, int64(r.arr.(*array.Int32).Value(i)), 10)
	case kInt64:
		return strconv.AppendInt(b, r.arr.(*array.Int64).Value(i), 10)
	case kUint8:
		return strconv.AppendUint(b, uint64(r.arr.(*array.Uint8).Value(i)), 10)
	case kUint16:
		return strconv.AppendUint(b, uint64(r.arr.(*array.Uint16).Value(i)), 10)
	case kUint32:
		return strconv.AppendUint(b, uint64(r.arr.(*array.Uint32).Value(i)), 10)
	case kUint64:
		return strconv.AppendUint(b, r.arr.(*array.Uint64).Value(i), 10)
	case kFloat32:
		return r.appendFloat(b, float64(r.arr.(*array.Float32).Value(i)), 32)
	case kFloat64:
		return r.appendFloat(b, r.arr.(*array.Float64).Value(i), 64)
	case kDec128:
		return appendDecimal128(b, r.arr.(*array.Decimal128).Value(i), r.scale)
	case kDec256:
		n := r.arr.(*array.Decimal256).Value(i)
		return appendScaledDigits(b, n.BigInt(), r.scale)
	case kBool:
		return strconv.AppendBool(b, r.arr.(*array.Boolean).Value(i))
	case kDate32:
		return appendDate(b, int64(r.arr.(*array.Date32).Value(i)), r.format == Month)
	case kDate64:
		return appendDate(b, floorDiv(int64(r.arr.(*array.Date64).Value(i)), 86400e3), r.format == Month)
	case kTimestamp:
		return r.appendTimestamp(b, int64(r.arr.(*array.Timestamp).Value(i)))
	}
	return append(b, r.arr.ValueStr(i)...)
}

// appendFloat writes floats in the shortest form that reads back exactly;
// money held as a float (which a definition should avoid) gets two decimals.
func (r *colReader) appendFloat(b []byte, v float64, bits int) []byte {
	if r.format == Money && !math.IsNaN(v) && !math.IsInf(v, 0) {
		return strconv.AppendFloat(b, v, 'f', 2, bits)
	}
	return strconv.AppendFloat(b, v, 'f', -1, bits)
}

func (r *colReader) appendTimestamp(b []byte, v int64) []byte {
	t := arrow.Timestamp(v).ToTime(r.unit) // always UTC
	if r.format == Date || r.format == Month {
		days := floorDiv(t.Unix(), 86400)
		return appendDate(b, days, r.format == Month)
	}
	b = t.AppendFormat(b, "2006-01-02T15:04:05.999999999")
	if r.hasTZ {
		b = append(b, 'Z')
	}
	return b
}

// appendDecimal128 writes the exact decimal text of n at scale s.
func appendDecimal128(b []byte, n decimal128.Num, s int32) []byte {
	hi, lo := n.HighBits(), n.LowBits()
	if (hi == 0 && lo <= math.MaxInt64) || (hi == -1 && lo > math.MaxInt64) {
		v := int64(lo)
		var digits [24]byte
		neg := v < 0
		u := uint64(v)
		if neg {
			u = uint64(-v) // also right for MinInt64: two's complement wraps to its magnitude
		}
		return appendScaled(b, strconv.AppendUint(digits[:0], u, 10), neg, s)
	}
	return appendScaledDigits(b, n.BigInt(), s)
}

func appendScaledDigits(b []byte, n *big.Int, s int32) []byte {
	neg := n.Sign() < 0
	return appendScaled(b, n.Abs(n).Append(nil, 10), neg, s)
}

// appendScaled writes the digits of an unscaled magnitude with the decimal
// point s places from the right, e.g. ("12345", 2) → "123.45", ("5", 2) → "0.05".
func appendScaled(b, digits []byte, neg bool, s int32) []byte {
	if neg {
		b = append(b, '-')
	}
	if s <= 0 {
		b = append(b, digits...)
		if len(digits) == 1 && digits[0] == '0' {
			return b
		}
		for range -s {
			b = append(b, '0')
		}
		return b
	}
	scale := int(s)
	if len(digits) <= scale {
		b = append(b, '0', '.')
		for range scale - len(digits) {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	cut := len(digits) - scale
	b = append(b, digits[:cut]...)
	b = append(b, '.')
	return append(b, digits[cut:]...)
}

// appendDate writes days since 1970-01-01 as YYYY-MM-DD (or YYYY-MM).
func appendDate(b []byte, days int64, month bool) []byte {
	y, m, d := civilFromDays(days)
	if y < 0 || y > 9999 {
		return fmt.Appendf(b, "%d-%02d-%02d", y, m, d)
	}
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10))
	if month {
		return b
	}
	return append(b, '-', byte('0'+d/10), byte('0'+d%10))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// civilFromDays converts days since 1970-01-01 to a proleptic Gregorian
// date (Howard Hinnant's algorithm), without allocating a time.Time.
func civilFromDays(days int64) (y int64, m, d int) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// daysFromCivil is the inverse of civilFromDays.
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64(m + 9)
	if m > 2 {
		mp = int64(m - 3)
	}
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// parseISODate accepts "YYYY-MM" (the first of the month) and "YYYY-MM-DD".
func parseISODate(s string) (int64, bool) {
	if (len(s) != 7 && len(s) != 10) || s[4] != '-' {
		return 0, false
	}
	num := func(p string) (int, bool) {
		n := 0
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return 0, false
			}
			n = n*10 + int(p[i]-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d := 1
	ok3 := true
	if len(s) == 10 {
		if s[7] != '-' {
			return 0, false
		}
		d, ok3 = num(s[8:])
	}
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	days := daysFromCivil(int64(y), m, d)
	if _, _, dd := civilFromDays(days); dd != d { // 2025-02-30 and the like
		return 0, false
	}
	return days, true
}

// displayWidth estimates how many character widths row i takes once shown
// with its format, for fitting column widths.
func (r *colReader) displayWidth(i int, scratch []byte) int {
	if r.arr.IsNull(i) {
		return 0
	}
	switch r.format {
	case Date:
		if !r.isText() {
			return 10
		}
	case Month:
		if !r.isText() {
			return 7
		}
	case Timestamp:
		if !r.isText() {
			return 19
		}
	case Percent:
		if !r.isText() {
			return 7
		}
	}
	scratch = r.appendText(scratch[:0], i)
	if r.isText() || r.kind == kBool {
		return textWidth(scratch)
	}
	// Numbers: digits before the point get thousands separators.
	intDigits := len(scratch)
	if p := bytes.IndexByte(scratch, '.'); p >= 0 {
		intDigits = p
	}
	w := len(scratch)
	if r.format == Integer || r.format == Money || r.format == Decimal {
		w += max(intDigits-1, 0) / 3
	}
	if r.format == Money && intDigits == len(scratch) {
		w += 3 // ".00"
	}
	return w
}

// textWidth counts East Asian wide characters as two columns.
func textWidth(b []byte) int {
	w := 0
	for len(b) > 0 {
		c, size := utf8.DecodeRune(b)
		b = b[size:]
		if c >= 0x1100 && (c <= 0x115F || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
			(c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) ||
			(c >= 0x20000 && c <= 0x3FFFD)) {
			w += 2
		} else {
			w++
		}
	}
	return w
}
