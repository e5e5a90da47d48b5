package duckstore

import (
	"math/big"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// DecimalText renders a scanned DuckDB DECIMAL exactly, keeping its scale
// ("25000.00", not the driver's "25000"), so money prints as stored.
// ok is false when v is not a DECIMAL.
func DecimalText(v any) (string, bool) {
	d, ok := v.(duckdb.Decimal)
	if !ok || d.Value == nil {
		return "", false
	}
	return formatScaled(d.Value, int(d.Scale)), true
}

func formatScaled(v *big.Int, scale int) string {
	neg := v.Sign() < 0
	digits := new(big.Int).Abs(v).String()
	if scale > 0 {
		if len(digits) <= scale {
			digits = strings.Repeat("0", scale-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}
