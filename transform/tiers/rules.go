// Package tiers computes marketplace-billed sales per partner global account (PGA), the
// tier status and tier unlocks. The rules (thresholds, window, benefits catalog) come from
// a TOML file or the built-in defaults (defaults.toml); the Go steps here load them into
// tables that the SQL steps sql/transform/2NN_*.sql read.
package tiers

import (
	_ "embed"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

//go:embed defaults.toml
var defaultsTOML string

// DefaultsTOML is the text of the built-in rules, documented.
func DefaultsTOML() string { return defaultsTOML }

// DefaultsSource names the built-in rules in messages and in tier_settings.source.
const DefaultsSource = "built-in defaults"

// TopTierThresholdCents is the program rule: the top tier starts at USD 4,000,000.
const TopTierThresholdCents = 4_000_000_00

// ListingTypes are the known listing types, canonical spelling.
var ListingTypes = []string{"List", "Trial", "Transact"}

// Rules are validated tier rules.
type Rules struct {
	WindowMonths  int
	RunRateMonths int
	Tiers         []Tier    // lowest first
	Benefits      []Benefit // in file order
	Source        string    // file path or DefaultsSource
	Text          string    // the file's text (the transform fingerprint)
}

// Tier is one tier: a label and the trailing billed sales that unlock it.
type Tier struct {
	Name           string
	Slug           string // lower-case, dashes: part of unlock ids
	ThresholdCents int64
}

// Benefit is one catalog entry. Tier "" means a one-time listing benefit.
type Benefit struct {
	ListingType        string
	Tier               string
	Name               string
	ExpiresAfterMonths int
	// Category is how the rewards workspace groups it: "sales-marketing"
	// (activated by the partner) or "technical" (asked for with an assistance request).
	Category string
}

// Benefit categories of the rewards workspace.
const (
	SalesMarketing = "sales-marketing"
	Technical      = "technical"
)

// RulesError lists every problem of a rules file.
type RulesError struct {
	Source   string
	Problems []string
}

func (e *RulesError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "tier rules %s: %d problem(s):", e.Source, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p)
	}
	return b.String()
}

type fileRules struct {
	WindowMonths  *int          `toml:"window_months"`
	RunRateMonths *int          `toml:"run_rate_months"`
	Tiers         []fileTier    `toml:"tiers"`
	Benefits      []fileBenefit `toml:"benefits"`
}

type fileTier struct {
	Name         string `toml:"name"`
	ThresholdUSD any    `toml:"threshold_usd"`
}

type fileBenefit struct {
	ListingType        string `toml:"listing_type"`
	Tier               string `toml:"tier"`
	Name               string `toml:"name"`
	ExpiresAfterMonths int    `toml:"expires_after_months"`
	Category           string `toml:"category"`
}

// Default returns the built-in rules.
func Default() *Rules {
	r, err := Parse(DefaultsSource, defaultsTOML)
	if err != nil {
		panic("built-in tier rules are invalid: " + err.Error())
	}
	return r
}

// Load reads a rules file; an empty path means the built-in defaults.
func Load(path string) (*Rules, error) {
	if path == "" {
		return Default(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tier rules: %w", err)
	}
	return Parse(path, string(b))
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

// Slug is a tier label's id form: lower case, runs of other characters as one dash.
func Slug(name string) string {
	return strings.Trim(slugRE.ReplaceAllString(strings.ToLower(name), "-"), "-")
}

// Parse parses and validates rules text. Every problem is listed in one *RulesError.
func Parse(source, text string) (*Rules, error) {
	var f fileRules
	md, err := toml.Decode(text, &f)
	if err != nil {
		return nil, &RulesError{Source: source, Problems: []string{err.Error()}}
	}
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, k := range md.Undecoded() {
		add("unknown key %q", k.String())
	}

	r := &Rules{WindowMonths: 12, RunRateMonths: 3, Source: source, Text: text}
	if f.WindowMonths != nil {
		r.WindowMonths = *f.WindowMonths
	}
	if f.RunRateMonths != nil {
		r.RunRateMonths = *f.RunRateMonths
	}
	if r.WindowMonths < 1 || r.WindowMonths > 120 {
		add("window_months = %d: must be 1 to 120", r.WindowMonths)
	}
	if r.RunRateMonths < 1 || r.RunRateMonths > r.WindowMonths {
		add("run_rate_months = %d: must be 1 to window_months (%d)", r.RunRateMonths, r.WindowMonths)
	}

	if len(f.Tiers) == 0 {
		add("no tiers: define at least one [[tiers]] with name and threshold_usd")
	}
	names := map[string]int{}
	slugs := map[string]int{}
	var prev int64 = -1
	prevName := ""
	for i, ft := range f.Tiers {
		at := fmt.Sprintf("tiers[%d]", i+1)
		name := strings.TrimSpace(ft.Name)
		if name == "" {
			add("%s: name is empty", at)
		} else {
			at = fmt.Sprintf("tiers[%d] %q", i+1, name)
			if j, dup := names[strings.ToLower(name)]; dup {
				add("%s: name repeats tiers[%d]", at, j)
			} else if j, dup := slugs[Slug(name)]; dup || Slug(name) == "" {
				if Slug(name) == "" {
					add("%s: name needs a letter or digit", at)
				} else {
					add("%s: name gives the same id %q as tiers[%d]", at, Slug(name), j)
				}
			}
			names[strings.ToLower(name)] = i + 1
			slugs[Slug(name)] = i + 1
		}
		cents, err := parseUSD(ft.ThresholdUSD)
		if err != nil {
			add("%s: threshold_usd %v", at, err)
			cents = -1
		} else if cents <= 0 {
			add("%s: threshold_usd %s must be positive", at, formatCents(cents))
		}
		if cents > 0 && prev >= 0 && cents <= prev {
			add("%s: threshold_usd %s is not above %q's %s (thresholds must increase)", at, formatCents(cents), prevName, formatCents(prev))
		}
		if cents > 0 {
			prev, prevName = cents, name
		}
		r.Tiers = append(r.Tiers, Tier{Name: name, Slug: Slug(name), ThresholdCents: cents})
	}
	if n := len(f.Tiers); n > 0 {
		top := r.Tiers[n-1]
		if top.ThresholdCents > 0 && top.ThresholdCents != TopTierThresholdCents {
			add("top tier %q starts at %s: the program's top tier starts at %s",
				top.Name, formatCents(top.ThresholdCents), formatCents(TopTierThresholdCents))
		}
	}

	seen := map[string]int{}
	for i, fb := range f.Benefits {
		at := fmt.Sprintf("benefits[%d]", i+1)
		b := Benefit{Tier: strings.TrimSpace(fb.Tier), Name: strings.TrimSpace(fb.Name), ExpiresAfterMonths: fb.ExpiresAfterMonths}
		if b.Name == "" {
			add("%s: name is empty", at)
		} else {
			at = fmt.Sprintf("benefits[%d] %q", i+1, b.Name)
		}
		lt, ok := canonicalListingType(fb.ListingType)
		switch {
		case strings.TrimSpace(fb.ListingType) == "":
			add("%s: listing_type is empty (want %s)", at, strings.Join(ListingTypes, ", "))
		case !ok:
			add("%s: unknown listing_type %q (want %s)", at, fb.ListingType, strings.Join(ListingTypes, ", "))
		}
		b.ListingType = lt
		if b.Tier != "" {
			if _, ok := names[strings.ToLower(b.Tier)]; !ok {
				add("%s: unknown tier %q", at, b.Tier)
			} else {
				b.Tier = r.Tiers[names[strings.ToLower(b.Tier)]-1].Name
			}
		}
		switch c := strings.ToLower(strings.TrimSpace(fb.Category)); c {
		case "", SalesMarketing:
			b.Category = SalesMarketing
		case Technical:
			b.Category = Technical
		default:
			add("%s: unknown category %q (want %s or %s)", at, fb.Category, SalesMarketing, Technical)
		}
		if b.ExpiresAfterMonths < 0 {
			add("%s: expires_after_months = %d: must be 0 (never) or more", at, b.ExpiresAfterMonths)
		}
		key := strings.ToLower(b.ListingType + "\x00" + b.Tier + "\x00" + b.Name)
		if j, dup := seen[key]; dup && b.Name != "" {
			add("%s: repeats benefits[%d]", at, j)
		}
		seen[key] = i + 1
		r.Benefits = append(r.Benefits, b)
	}

	if len(problems) > 0 {
		return nil, &RulesError{Source: source, Problems: problems}
	}
	return r, nil
}

func canonicalListingType(s string) (string, bool) {
	for _, lt := range ListingTypes {
		if strings.EqualFold(strings.TrimSpace(s), lt) {
			return lt, true
		}
	}
	return strings.TrimSpace(s), false
}

var decimalRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]{1,2})?$`)

// parseUSD reads an amount as integer cents: a TOML integer, a float with at most two
// decimals, or a string such as "25000.50" (commas and underscores allowed).
func parseUSD(v any) (int64, error) {
	switch x := v.(type) {
	case nil:
		return 0, fmt.Errorf("is missing")
	case int64:
		if x > math.MaxInt64/100 || x < math.MinInt64/100 {
			return 0, fmt.Errorf("%d is too large", x)
		}
		return x * 100, nil
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if !decimalRE.MatchString(s) {
			return 0, fmt.Errorf("%s: at most two decimals (write it as a string, e.g. \"25000.50\")", s)
		}
		return parseDecimal(s)
	case string:
		s := strings.NewReplacer(",", "", "_", "", " ", "").Replace(strings.TrimPrefix(strings.TrimSpace(x), "$"))
		if !decimalRE.MatchString(s) {
			return 0, fmt.Errorf("%q is not an amount with at most two decimals", x)
		}
		return parseDecimal(s)
	default:
		return 0, fmt.Errorf("%v is not an amount", v)
	}
}

func parseDecimal(s string) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is too large", s)
	}
	if neg {
		n = -n
	}
	return n, nil
}

// formatCents renders cents as "USD 25,000" or "USD 25,000.50".
func formatCents(c int64) string {
	neg := c < 0
	if neg {
		c = -c
	}
	whole := strconv.FormatInt(c/100, 10)
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	s := b.String()
	if c%100 != 0 {
		s += fmt.Sprintf(".%02d", c%100)
	}
	if neg {
		s = "-" + s
	}
	return "USD " + s
}

// ThresholdDecimal renders cents as an exact SQL decimal literal text ("25000.00").
func ThresholdDecimal(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}
