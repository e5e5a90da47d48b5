// Package attribution finds partner tracking IDs (customer usage attribution)
// in deployments and campaign tags in click landing URLs. The parsers are pure
// Go functions, fuzzed; Steps wires them into the transform run, where SQL
// does the matching against the registry, opt-outs and usage.
package attribution

import (
	"fmt"
	"strings"
)

// Source says where a tracking ID was found.
type Source string

const (
	SourceDeploymentName Source = "deployment_name"      // ARM deployment name
	SourceUserAgent      Source = "user_agent"           // client user-agent string
	SourcePartnerID      Source = "terraform_partner_id" // Terraform's partner_id field
)

// Kind classifies a token found.
type Kind string

const (
	// KindGUID is pid-<GUID> (or a bare GUID from Terraform), compared in canonical form.
	KindGUID Kind = "guid"
	// KindPartnerCenter is a non-GUID Partner Center ID such as
	// pid-contoso-myoffer-partnercenter: it matches only a registration that is
	// byte-for-byte the same string.
	KindPartnerCenter Kind = "partner_center"
	// KindMalformed is a pid- token that tries to be a GUID and is not one.
	// It still matches a registration that is exactly the same string, never a
	// "near" one.
	KindMalformed Kind = "malformed"
	// KindTruncated is a pid- token cut short: the Azure SDK for Go keeps
	// only the first 24 characters of its telemetry application id, so
	// pid-<GUID> arrives as pid-b6addd8f-5ff4-4fc0-a. It is reported, never
	// guessed back to a GUID.
	KindTruncated Kind = "truncated"
)

// GoSDKApplicationIDLen is how many characters of the application id the
// Azure SDK for Go keeps in its user agent.
const GoSDKApplicationIDLen = 24

// TruncatedReason is the explanation given for a truncated token.
const TruncatedReason = "cut to 24 characters: the Azure SDK for Go keeps only the first 24 characters of " +
	"its telemetry application ID, so pid-<GUID> cannot travel there whole; the partner should put the " +
	"tracking ID in the deployment name (or a user-agent part the SDK does not cut)"

// Token is one tracking ID found in a string.
type Token struct {
	Raw        string // exactly as found, e.g. "PID-{0A1B...}"
	Kind       Kind
	TrackingID string // canonical form: "pid-" + lower-case GUID; Raw for Partner Center IDs; "" when malformed
	MatchKey   string // what a registration must equal: TrackingID, or Raw when malformed
	Reason     string // why malformed; a note otherwise (e.g. "GUID in braces")
	Offset     int    // byte offset of Raw in the input
	// GUIDKey is, for pid-<GUID><suffix> written by Microsoft's templates
	// (Azure Landing Zones' pid-<GUID>-<uniqueString>, the CAF Terraform
	// module's pid-<GUID>_<version>_…), the canonical pid-<guid>: when the
	// whole token is not registered but its GUID is, the GUID attributes.
	GUIDKey string
	// Suffix is what follows the GUID in such a token.
	Suffix string
}

// guidGroups are the lengths of a GUID's five hyphen-separated groups.
var guidGroups = [5]int{8, 4, 4, 4, 12}

var groupNames = [5]string{"first", "second", "third", "fourth", "last"}

// isTokenChar says whether c may continue a pid- token. ASCII only: anything
// else (space, '/', ';', ',', '(', ')', '.', quotes, non-ASCII) ends it.
func isTokenChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '_' || c == '{' || c == '}'
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// ExtractTokens finds every pid- token in s (an ARM deployment name or a
// user-agent string): "pid-" in any case, at the start of s or after a
// character that is not a letter or digit (so "rapid-" is no token), followed
// by the longest run of letters, digits, '-', '_', '{' and '}'. Tokens come
// back in the order they appear; duplicates are kept (callers dedupe by
// MatchKey).
func ExtractTokens(s string) []Token {
	var out []Token
	for i := 0; i+4 <= len(s); {
		if !hasPidPrefix(s[i:]) || (i > 0 && isAlnum(s[i-1])) {
			i++
			continue
		}
		j := i + 4
		for j < len(s) && isTokenChar(s[j]) {
			j++
		}
		t := classifyPid(s[i:j])
		t.Offset = i
		out = append(out, t)
		i = j
	}
	return out
}

func hasPidPrefix(s string) bool {
	return len(s) >= 4 && strings.EqualFold(s[:4], "pid-")
}

// ParsePartnerID reads Terraform's partner_id: a bare GUID (braces allowed),
// or a whole pid- token. Surrounding spaces are ignored; an empty value has no
// token. Anything else is malformed.
func ParsePartnerID(s string) []Token {
	v := strings.TrimSpace(s)
	if v == "" {
		return nil
	}
	off := strings.Index(s, v)
	if hasPidPrefix(v) {
		t := classifyPid(v)
		if t.Kind != KindMalformed && !allTokenChars(v) {
			t = malformed(v, "contains characters other than letters, digits, '-', '_', braces")
		}
		t.Offset = off
		return []Token{t}
	}
	inner, braced, problem := stripBraces(v)
	var t Token
	switch {
	case problem != "":
		t = malformed(v, "partner_id "+problem)
	case isGUID(inner):
		t = Token{Raw: v, Kind: KindGUID, TrackingID: "pid-" + strings.ToLower(inner)}
		if braced {
			t.Reason = "GUID in braces"
		}
	default:
		t = malformed(v, "partner_id is not a GUID: "+guidProblem(inner))
	}
	t.MatchKey = matchKey(t)
	t.Offset = off
	return []Token{t}
}

func allTokenChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTokenChar(s[i]) {
			return false
		}
	}
	return true
}

// classifyPid classifies one whole token that starts with "pid-".
func classifyPid(raw string) Token {
	body := raw[4:]
	if body == "" {
		return malformed(raw, "no GUID after pid-")
	}
	inner, braced, problem := stripBraces(body)
	if problem != "" {
		return malformed(raw, problem)
	}
	var t Token
	switch {
	case isGUID(inner):
		t = Token{Raw: raw, Kind: KindGUID, TrackingID: "pid-" + strings.ToLower(inner)}
		if braced {
			t.Reason = "GUID in braces"
		}
	case !braced && guidWithSuffix(inner) && isStampSuffix(inner[37:]):
		// pid-<GUID>-20250419: a deployment name with a date or time stamp appended.
		t = Token{Raw: raw, Kind: KindGUID, TrackingID: "pid-" + strings.ToLower(inner[:36]),
			Reason: "suffix -" + inner[37:] + " after the GUID ignored"}
	case !braced && (guidWithSuffix(inner) || guidWithUnderscoreSuffix(inner)):
		// pid-<GUID>-partnercenter and the like: a Partner Center ID, matched
		// exactly as registered; failing that, by its GUID (Azure Landing
		// Zones name deployments pid-<GUID>-<uniqueString>, the CAF Terraform
		// module pid-<GUID>_<version>_…).
		t = Token{Raw: raw, Kind: KindPartnerCenter, TrackingID: raw,
			GUIDKey: "pid-" + strings.ToLower(inner[:36]), Suffix: inner[36:]}
	case len(raw) == GoSDKApplicationIDLen && guidPrefix(inner):
		return Token{Raw: raw, Kind: KindTruncated, MatchKey: raw, Reason: TruncatedReason}
	case braced || guidLike(inner):
		if g, stamp, ok := cutStampSuffix(inner); ok && strings.Count(g, "-") >= 4 {
			return malformed(raw, guidProblem(g)+" (before the suffix -"+stamp+")")
		}
		return malformed(raw, guidProblem(inner))
	default:
		t = Token{Raw: raw, Kind: KindPartnerCenter, TrackingID: raw}
	}
	t.MatchKey = matchKey(t)
	return t
}

func malformed(raw, reason string) Token {
	t := Token{Raw: raw, Kind: KindMalformed, Reason: reason}
	t.MatchKey = matchKey(t)
	return t
}

func matchKey(t Token) string {
	if t.Kind == KindMalformed {
		return t.Raw
	}
	return t.TrackingID
}

// stripBraces removes one pair of braces wrapping s. A brace anywhere else,
// or an unmatched one, is a problem.
func stripBraces(s string) (inner string, braced bool, problem string) {
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") && len(s) >= 2 {
		s, braced = s[1:len(s)-1], true
	} else if strings.HasPrefix(s, "{") {
		return s, false, "'{' without closing '}'"
	} else if strings.HasSuffix(s, "}") {
		return s, false, "'}' without opening '{'"
	}
	if strings.ContainsAny(s, "{}") {
		return s, braced, "brace inside the GUID"
	}
	return s, braced, ""
}

// isGUID reports whether s is 8-4-4-4-12 hex digits (any case).
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	return guidProblem(s) == ""
}

// guidWithSuffix: a GUID followed by '-' and more (pid-<GUID>-partnercenter).
func guidWithSuffix(s string) bool {
	return len(s) > 37 && s[36] == '-' && isGUID(s[:36])
}

// guidWithUnderscoreSuffix: a GUID followed by '_' and more (the CAF
// Terraform module's pid-<GUID>_<version>_…).
func guidWithUnderscoreSuffix(s string) bool {
	return len(s) > 37 && s[36] == '_' && isGUID(s[:36])
}

// guidPrefix reports whether s is a proper, non-empty prefix of a GUID
// (8-4-4-4-12 hex digits) that reaches at least into its third group.
func guidPrefix(s string) bool {
	if len(s) >= 36 || len(s) < 14 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

// isStampSuffix: digits, or digits 'T' digits (20250419, 20250419T0930) — the
// date or time stamp tools append to deployment names.
func isStampSuffix(s string) bool {
	date, clock, hasClock := strings.Cut(strings.ToUpper(s), "T")
	return allDigits(date) && (!hasClock || allDigits(clock))
}

// cutStampSuffix splits "<x>-<stamp>" at its last hyphen when the tail is a stamp.
func cutStampSuffix(s string) (head, stamp string, ok bool) {
	i := strings.LastIndexByte(s, '-')
	if i < 0 || !isStampSuffix(s[i+1:]) {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// guidLike decides that a non-GUID body was meant to be a GUID (so it is
// malformed) rather than a Partner Center name: its first group is all hex
// digits, or it has exactly five groups.
func guidLike(s string) bool {
	groups := strings.Split(s, "-")
	return allHex(groups[0]) || len(groups) == 5
}

// guidProblem names the first thing wrong with s as a GUID, or "".
func guidProblem(s string) string {
	groups := strings.Split(s, "-")
	if len(groups) != 5 {
		if len(groups) == 1 {
			return fmt.Sprintf("1 group of %d characters, want 5 groups (8-4-4-4-12 hex digits)", len(s))
		}
		return fmt.Sprintf("%d groups, want 5 (8-4-4-4-12 hex digits)", len(groups))
	}
	for i, g := range groups {
		for k := 0; k < len(g); k++ {
			if !isHex(g[k]) {
				return fmt.Sprintf("%s group has non-hex character %q", groupNames[i], rune(g[k]))
			}
		}
		if len(g) != guidGroups[i] {
			return fmt.Sprintf("%s group has %d digits, want %d", groupNames[i], len(g), guidGroups[i])
		}
	}
	return ""
}

// Registered is a tracking ID as held in the registry.
type Registered struct {
	Kind     Kind   // KindGUID, or KindPartnerCenter for every other string
	MatchKey string // canonical pid-<guid> for GUIDs; the trimmed string otherwise
	Note     string // e.g. "bare GUID", "GUID in braces"
}

// ParseRegistered reads a registered ID: pid-<GUID>, a bare GUID (braces
// allowed, any case) or a Partner Center ID. GUIDs get the canonical form so
// any spelling of the same GUID matches; every other ID matches only exactly.
func ParseRegistered(s string) Registered {
	v := strings.TrimSpace(s)
	if hasPidPrefix(v) {
		if inner, braced, problem := stripBraces(v[4:]); problem == "" && isGUID(inner) {
			r := Registered{Kind: KindGUID, MatchKey: "pid-" + strings.ToLower(inner)}
			if braced {
				r.Note = "GUID in braces"
			}
			return r
		}
		return Registered{Kind: KindPartnerCenter, MatchKey: v}
	}
	if inner, braced, problem := stripBraces(v); problem == "" && isGUID(inner) {
		r := Registered{Kind: KindGUID, MatchKey: "pid-" + strings.ToLower(inner), Note: "bare GUID"}
		if braced {
			r.Note = "bare GUID in braces"
		}
		return r
	}
	return Registered{Kind: KindPartnerCenter, MatchKey: v}
}
