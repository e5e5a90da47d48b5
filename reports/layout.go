package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strings"
	"time"
)

// The file layout under the out root (paths are '/'-separated, relative):
//
//	<as-of>/<partner>/insights_<period>_<N>m.xlsx         the workbook
//	<as-of>/<partner>/<report>_<period>_<N>m.csv          one per report
//	<as-of>/<partner>/<report>_<period>_<N>m.parquet      detail reports
//	<as-of>/_rewards/review_pack.xlsx, <report>.csv       the review pack
//
// <partner> is SafeName(partner id); it never starts with '_' or '.', so it
// cannot collide with _rewards or hide.

// RewardsDir is the review pack's folder under <as-of>.
const RewardsDir = "_rewards"

// SafeName turns a partner id into a folder name: ASCII letters, digits, '.',
// '-' and '_' are kept, anything else becomes '_', and leading '.' and '_'
// are dropped. When that changed the id, the first 8 hex digits of its SHA-256
// are appended, so that two ids never share a folder.
func SafeName(id string) string {
	var b strings.Builder
	for _, c := range id {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.TrimLeft(b.String(), "._")
	if len(s) > 64 {
		s = s[:64]
	}
	if s != id || s == "" {
		sum := sha256.Sum256([]byte(id))
		if s != "" {
			s += "-"
		}
		s += hex.EncodeToString(sum[:4])
	}
	return s
}

// ReportID is the manifest id of a file: the first 24 hex digits of the
// SHA-256 of its relative path. Opaque, stable across re-generation.
func ReportID(relPath string) string {
	sum := sha256.Sum256([]byte(relPath))
	return hex.EncodeToString(sum[:12])
}

func asOfDir(asOf time.Time) string { return asOf.Format(time.DateOnly) }

func partnerDir(asOf time.Time, partnerID string) string {
	return path.Join(asOfDir(asOf), SafeName(partnerID))
}

func rewardsDir(asOf time.Time) string { return path.Join(asOfDir(asOf), RewardsDir) }
