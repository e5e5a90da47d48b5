package attribution

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// NoCampaign is the campaign a click without mktcmpid counts under.
const NoCampaign = "_NoCampaign"

// MaxCampaignLen is the longest valid mktcmpid.
const MaxCampaignLen = 16

// Campaign statuses.
const (
	CampaignValid   = "valid"
	CampaignInvalid = "invalid"
	CampaignNone    = "none"
)

// Campaign is what a landing URL says about the campaign and traffic source.
type Campaign struct {
	Mktcmpid      string // the valid id; an invalid one verbatim (decoded); NoCampaign when absent or empty
	Status        string // valid, invalid, none
	Reason        string // why invalid; a note otherwise (fragment, repeats, empty value)
	Src           string // src as given (decoded); "" when absent or empty
	SrcNormalized string // Src in lower case, for grouping
	// CampaignParam and SrcParam name the parameters the campaign and the
	// source came from: mktcmpid and src, else the alternates Microsoft also
	// recognises (utm_campaign; utm_source, then ref). "" when absent.
	CampaignParam string
	SrcParam      string
}

// campaignParams and sourceParams are the parameters read for the campaign
// and the source, in order of precedence.
var (
	campaignParams = []string{"mktcmpid", "utm_campaign"}
	sourceParams   = []string{"src", "utm_source", "ref"}
)

type param struct {
	value   string
	decoded bool // false when the percent-encoding was bad and value is the raw text
}

// ParseLandingURL reads mktcmpid and src from a landing URL. Parameter names
// are case-insensitive and may come in any order; values are URL-decoded
// ('+' is a space). Parameters in the query win; those in the fragment
// ("#...?a=b" or "#a=b") are used only when the query lacks them. When a
// parameter is repeated the first non-empty value is kept. A missing or empty
// mktcmpid is NoCampaign; an invalid one is kept verbatim, never truncated.
func ParseLandingURL(raw string) Campaign {
	query, fragment := splitURL(raw)
	qp := parseParams(query)
	fp := parseParams(fragment)

	var c Campaign
	var notes []string

	name, m, mNote, inFragment, present, skipped := pickFirst(campaignParams, qp, fp)
	if present {
		c.CampaignParam = name
	}
	if name != "mktcmpid" {
		if skipped {
			notes = append(notes, "empty mktcmpid")
		}
		if present && m.value != "" {
			notes = append(notes, "campaign from "+name+" (no mktcmpid)")
		}
	}
	switch {
	case !present:
		c.Mktcmpid, c.Status = NoCampaign, CampaignNone
	case m.value == "":
		c.Mktcmpid, c.Status = NoCampaign, CampaignNone
		notes = append(notes, "empty "+name)
	default:
		c.Mktcmpid = strings.ToValidUTF8(m.value, "\uFFFD")
		if !m.decoded {
			c.Status = CampaignInvalid
			notes = append(notes, "bad percent-encoding, kept as written")
		} else if problem := CampaignProblem(c.Mktcmpid); problem != "" {
			c.Status = CampaignInvalid
			notes = append(notes, problem)
		} else {
			c.Status = CampaignValid
		}
		if inFragment {
			notes = append(notes, name+" taken from the URL fragment")
		}
		if mNote != "" {
			notes = append(notes, name+" "+mNote)
		}
	}

	sName, s, _, _, sPresent, _ := pickFirst(sourceParams, qp, fp)
	if sPresent && s.value != "" {
		c.Src = strings.ToValidUTF8(s.value, "\uFFFD")
		c.SrcNormalized = strings.ToLower(c.Src)
		c.SrcParam = sName
		if sName != "src" {
			notes = append(notes, "source from "+sName+" (no src)")
		}
	}
	c.Reason = strings.Join(notes, "; ")
	return c
}

// CampaignProblem says why id is not a valid mktcmpid (1–16 of A-Z a-z 0-9 _ -), or "".
func CampaignProblem(id string) string {
	var problems []string
	n := utf8.RuneCountInString(id)
	if n == 0 {
		return "empty"
	}
	if n > MaxCampaignLen {
		problems = append(problems, fmt.Sprintf("%d characters, max %d", n, MaxCampaignLen))
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			problems = append(problems, fmt.Sprintf("character %q not allowed (only A-Z a-z 0-9 _ -)", r))
			break
		}
	}
	return strings.Join(problems, "; ")
}

// FormatCampaign writes c back as a query string that ParseLandingURL reads
// to the same Mktcmpid, Status and Src.
func FormatCampaign(c Campaign) string {
	var parts []string
	if c.Status != CampaignNone {
		parts = append(parts, "mktcmpid="+url.QueryEscape(c.Mktcmpid))
	}
	if c.Src != "" {
		parts = append(parts, "src="+url.QueryEscape(c.Src))
	}
	return "?" + strings.Join(parts, "&")
}

// splitURL returns the query (between the first '?' and the first '#') and
// the fragment's parameters (after a '?' inside the fragment, else the whole
// fragment).
func splitURL(raw string) (query, fragment string) {
	head, frag, hasFrag := strings.Cut(raw, "#")
	if _, q, ok := strings.Cut(head, "?"); ok {
		query = q
	}
	if hasFrag {
		if _, q, ok := strings.Cut(frag, "?"); ok {
			fragment = q
		} else {
			fragment = frag
		}
	}
	return query, fragment
}

// parseParams splits "a=1&B=2" into lower-case decoded names and values in
// order. An HTML-escaped separator ("&amp;") is read as '&'.
func parseParams(s string) map[string][]param {
	out := map[string][]param{}
	if s == "" {
		return out
	}
	for _, pair := range strings.Split(s, "&") {
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		name = strings.ToLower(strings.TrimPrefix(name, "amp;"))
		if !recognised[name] {
			continue
		}
		p := param{value: value}
		if v, err := url.QueryUnescape(value); err == nil {
			p.value, p.decoded = v, true
		}
		out[name] = append(out[name], p)
	}
	return out
}

// recognised are the parameter names parseParams keeps.
var recognised = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range append(append([]string(nil), campaignParams...), sourceParams...) {
		m[n] = true
	}
	return m
}()

// pickFirst picks the first of names (in order of precedence) that has a
// non-empty value in the query or the fragment; when none has, the first
// that is present at all (empty). skipped says an earlier name was present
// but empty.
func pickFirst(names []string, qp, fp map[string][]param) (name string, p param, note string, inFragment, present, skipped bool) {
	firstEmpty := ""
	for _, n := range names {
		v, nt, frag, ok := pick(qp[n], fp[n])
		if !ok {
			continue
		}
		if v.value != "" {
			return n, v, nt, frag, true, firstEmpty != ""
		}
		if firstEmpty == "" {
			firstEmpty = n
		}
	}
	if firstEmpty != "" {
		v, nt, frag, _ := pick(qp[firstEmpty], fp[firstEmpty])
		return firstEmpty, v, nt, frag, true, false
	}
	return "", param{decoded: true}, "", false, false, false
}

// pick chooses a parameter's value: the query's occurrences first, then the
// fragment's; the first non-empty one wins. note says when distinct values
// were seen.
func pick(query, fragment []param) (p param, note string, inFragment, present bool) {
	list, inFragment := query, false
	if len(list) == 0 {
		list, inFragment = fragment, true
	}
	if len(list) == 0 {
		return param{decoded: true}, "", false, false
	}
	p = list[0]
	for _, q := range list {
		if q.value != "" {
			p = q
			break
		}
	}
	distinct := map[string]bool{}
	for _, q := range list {
		if q.value != "" {
			distinct[q.value] = true
		}
	}
	if len(distinct) > 1 {
		note = fmt.Sprintf("repeated with %d different values, first kept", len(distinct))
	}
	return p, note, inFragment, true
}
