package render

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// maxSheetName is Excel's limit, counted in UTF-16 code units.
const maxSheetName = 31

// SanitizeSheetName makes name a valid Excel sheet name: the characters
// []:*?/\ and the comma become '-', control characters are dropped, leading
// and trailing spaces and apostrophes are trimmed, the result is cut to 31
// UTF-16 units, and an empty result becomes "Sheet". "History" is reserved
// by Excel and becomes "History_". The mapping is a pure function of name.
func SanitizeSheetName(name string) string {
	var b strings.Builder
	for _, c := range name {
		switch {
		case strings.ContainsRune(`[]:*?/\,`, c):
			b.WriteByte('-')
		case unicode.IsControl(c):
		default:
			b.WriteRune(c)
		}
	}
	s := trimSheetName(b.String())
	s = truncateUTF16(s, maxSheetName)
	s = trimSheetName(s)
	if s == "" {
		return "Sheet"
	}
	if strings.EqualFold(s, "History") {
		return s + "_"
	}
	return s
}

func trimSheetName(s string) string {
	return strings.Trim(s, " '")
}

// truncateUTF16 cuts s to at most n UTF-16 units without splitting a rune.
func truncateUTF16(s string, n int) string {
	units := 0
	for i, c := range s {
		u := utf16.RuneLen(c)
		if u < 0 {
			u = 1
		}
		if units+u > n {
			return s[:i]
		}
		units += u
	}
	return s
}

// sheetNamer hands out unique sheet names; Excel compares them ignoring case.
type sheetNamer struct{ used map[string]bool }

func newSheetNamer() *sheetNamer { return &sheetNamer{used: map[string]bool{}} }

func (n *sheetNamer) taken(s string) bool { return n.used[strings.ToLower(s)] }

func (n *sheetNamer) take(s string) string {
	n.used[strings.ToLower(s)] = true
	return s
}

// unique returns the sanitised base, or "base (k)" with the smallest k ≥ 2
// that is free, cutting the base so the suffix fits in 31 units.
func (n *sheetNamer) unique(base string) string {
	base = SanitizeSheetName(base)
	if !n.taken(base) {
		return n.take(base)
	}
	return n.numbered(base, 2)
}

// numbered returns "base (k)" for the first free k ≥ from.
func (n *sheetNamer) numbered(base string, from int) string {
	for k := from; ; k++ {
		suffix := " (" + strconv.Itoa(k) + ")"
		s := strings.TrimRight(truncateUTF16(base, maxSheetName-len(suffix)), " ") + suffix
		if !n.taken(s) {
			return n.take(s)
		}
	}
}
