package attribution

import (
	"strings"
	"testing"
)

const (
	g1 = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
	g2 = "11111111-2222-3333-4444-555555555555"
)

// tok is a compact expectation: kind, canonical tracking id, reason substring.
type tok struct {
	raw, kind, id, reason string
}

func check(t *testing.T, got []Token, want []tok) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d tokens %+v, want %d %+v", len(got), got, len(want), want)
	}
	for i, w := range want {
		g := got[i]
		if g.Raw != w.raw || string(g.Kind) != w.kind || g.TrackingID != w.id || !strings.Contains(g.Reason, w.reason) {
			t.Errorf("token %d = %+v, want %+v", i, g, w)
		}
		if w.reason == "" && g.Kind == KindMalformed {
			t.Errorf("token %d malformed without expected reason: %+v", i, g)
		}
		wantKey := g.TrackingID
		if g.Kind == KindMalformed || g.Kind == KindTruncated {
			wantKey = g.Raw
		}
		if g.MatchKey != wantKey {
			t.Errorf("token %d match key %q, want %q", i, g.MatchKey, wantKey)
		}
	}
}

func TestExtractTokens(t *testing.T) {
	upper := strings.ToUpper(g1)
	cases := []struct {
		name string
		in   string
		want []tok
	}{
		{"ARM deployment name", "pid-" + g1, []tok{{"pid-" + g1, "guid", "pid-" + g1, ""}}},
		{"ARM name with prefix", "nested_pid-" + g1, []tok{{"pid-" + g1, "guid", "pid-" + g1, ""}}},
		{"ARM name with a date suffix", "pid-" + g1 + "-20250101",
			[]tok{{"pid-" + g1 + "-20250101", "guid", "pid-" + g1, "suffix -20250101 after the GUID ignored"}}},
		{"ARM name with a time stamp suffix", "pid-" + upper + "-20250101T0930",
			[]tok{{"pid-" + upper + "-20250101T0930", "guid", "pid-" + g1, "suffix -20250101T0930"}}},
		{"ARM name with a word suffix is a Partner Center-shaped id", "pid-" + g1 + "-prod",
			[]tok{{"pid-" + g1 + "-prod", "partner_center", "pid-" + g1 + "-prod", ""}}},
		{"malformed GUID with a date suffix", "pid-0a1b2c3d-4e5-6789-abcd-ef0123456789-20250101",
			[]tok{{"pid-0a1b2c3d-4e5-6789-abcd-ef0123456789-20250101", "malformed", "", "second group has 3 digits, want 4 (before the suffix -20250101)"}}},
		{"35-character GUID with a date suffix", "pid-" + g1[:35] + "-20250101",
			[]tok{{"pid-" + g1[:35] + "-20250101", "malformed", "", "last group has 11 digits, want 12 (before the suffix"}}},
		{"ordinary name", "azuredeploy-20250101", nil},
		{"rapid- is not a token", "rapid-" + g1, nil},
		{"GUID upper case", "PID-" + upper, []tok{{"PID-" + upper, "guid", "pid-" + g1, ""}}},
		{"GUID in braces", "pid-{" + upper + "}", []tok{{"pid-{" + upper + "}", "guid", "pid-" + g1, "GUID in braces"}}},
		{"unbalanced brace", "pid-{" + g1, []tok{{"pid-{" + g1, "malformed", "", "'{' without closing '}'"}}},
		{"brace in the middle", "pid-0a1b2c3d-{4e5f}-6789-abcd-ef0123456789",
			[]tok{{"pid-0a1b2c3d-{4e5f}-6789-abcd-ef0123456789", "malformed", "", "brace inside"}}},
		{"user agent with two pid tokens",
			"AZURECLI/2.61.0 (DEB) azsdk-python-core/1.28.0 Python/3.11.8 pid-" + g1 + " terraform-provider-azurerm/3.9 PID-" + strings.ToUpper(g2) + ";",
			[]tok{{"pid-" + g1, "guid", "pid-" + g1, ""}, {"PID-" + strings.ToUpper(g2), "guid", "pid-" + g2, ""}}},
		{"user agent token in parentheses", "Go/1.22 (pid-" + g2 + ")", []tok{{"pid-" + g2, "guid", "pid-" + g2, ""}}},
		{"user agent token with version", "pid-" + g2 + "/1.0", []tok{{"pid-" + g2, "guid", "pid-" + g2, ""}}},
		{"pid- with no GUID at the end", "MyTool/1.0 pid-", []tok{{"pid-", "malformed", "", "no GUID after pid-"}}},
		{"pid- with no GUID before a space", "pid- MyTool/1.0", []tok{{"pid-", "malformed", "", "no GUID after pid-"}}},
		{"35-character GUID", "pid-0a1b2c3d-4e5f-6789-abcd-ef012345678",
			[]tok{{"pid-0a1b2c3d-4e5f-6789-abcd-ef012345678", "malformed", "", "last group has 11 digits, want 12"}}},
		{"short first group", "pid-0a1b2c3-4e5f-6789-abcd-ef0123456789",
			[]tok{{"pid-0a1b2c3-4e5f-6789-abcd-ef0123456789", "malformed", "", "first group has 7 digits, want 8"}}},
		{"non-hex", "pid-0a1b2c3d-4e5g-6789-abcd-ef0123456789",
			[]tok{{"pid-0a1b2c3d-4e5g-6789-abcd-ef0123456789", "malformed", "", `second group has non-hex character 'g'`}}},
		{"non-hex in first group", "pid-zzzzzzzz-4e5f-6789-abcd-ef0123456789",
			[]tok{{"pid-zzzzzzzz-4e5f-6789-abcd-ef0123456789", "malformed", "", `first group has non-hex character 'z'`}}},
		{"GUID without hyphens", "pid-0a1b2c3d4e5f6789abcdef0123456789",
			[]tok{{"pid-0a1b2c3d4e5f6789abcdef0123456789", "malformed", "", "1 group of 32 characters"}}},
		{"four groups", "pid-0a1b2c3d-4e5f-6789-abcdef0123456789",
			[]tok{{"pid-0a1b2c3d-4e5f-6789-abcdef0123456789", "malformed", "", "4 groups, want 5"}}},
		{"Partner Center id", "pid-contoso-myoffer-partnercenter",
			[]tok{{"pid-contoso-myoffer-partnercenter", "partner_center", "pid-contoso-myoffer-partnercenter", ""}}},
		{"Partner Center id keeps its case", "Pid-Contoso-MyOffer-PartnerCenter",
			[]tok{{"Pid-Contoso-MyOffer-PartnerCenter", "partner_center", "Pid-Contoso-MyOffer-PartnerCenter", ""}}},
		{"Partner Center id with GUID", "pid-" + g1 + "-partnercenter",
			[]tok{{"pid-" + g1 + "-partnercenter", "partner_center", "pid-" + g1 + "-partnercenter", ""}}},
		{"non-ASCII ends a token", "pid-" + g1 + "é", []tok{{"pid-" + g1, "guid", "pid-" + g1, ""}}},
		{"non-ASCII right after pid-", "pid-é", []tok{{"pid-", "malformed", "", "no GUID"}}},
		{"empty", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { check(t, ExtractTokens(c.in), c.want) })
	}
}

func TestParsePartnerID(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []tok
	}{
		{"Terraform bare GUID", g1, []tok{{g1, "guid", "pid-" + g1, ""}}},
		{"bare GUID upper case with spaces", "  " + strings.ToUpper(g1) + " ", []tok{{strings.ToUpper(g1), "guid", "pid-" + g1, ""}}},
		{"bare GUID in braces", "{" + g1 + "}", []tok{{"{" + g1 + "}", "guid", "pid-" + g1, "GUID in braces"}}},
		{"pid- prefixed", "pid-" + g1, []tok{{"pid-" + g1, "guid", "pid-" + g1, ""}}},
		{"35 characters", g1[:35], []tok{{g1[:35], "malformed", "", "partner_id is not a GUID: last group has 11 digits"}}},
		{"not a GUID", "contoso", []tok{{"contoso", "malformed", "", "partner_id is not a GUID"}}},
		{"pid- with a space inside", "pid-contoso offer", []tok{{"pid-contoso offer", "malformed", "", "contains characters"}}},
		{"empty", "  ", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { check(t, ParsePartnerID(c.in), c.want) })
	}
}

func TestParseRegistered(t *testing.T) {
	cases := []struct {
		in        string
		kind, key string
	}{
		{"pid-" + g1, "guid", "pid-" + g1},
		{"PID-" + strings.ToUpper(g1), "guid", "pid-" + g1},
		{g1, "guid", "pid-" + g1},
		{"{" + g1 + "}", "guid", "pid-" + g1},
		{"pid-{" + g1 + "}", "guid", "pid-" + g1},
		{" pid-contoso-myoffer-partnercenter ", "partner_center", "pid-contoso-myoffer-partnercenter"},
		{"pid-" + g1 + "-partnercenter", "partner_center", "pid-" + g1 + "-partnercenter"},
		{"pid-0a1b2c3d-4e5f-6789-abcd-ef012345678", "partner_center", "pid-0a1b2c3d-4e5f-6789-abcd-ef012345678"},
	}
	for _, c := range cases {
		r := ParseRegistered(c.in)
		if string(r.Kind) != c.kind || r.MatchKey != c.key {
			t.Errorf("ParseRegistered(%q) = %+v, want %s %s", c.in, r, c.kind, c.key)
		}
	}
}

// A malformed token never gets a "near" registered GUID's key.
func TestMalformedNeverMatchesNearGUID(t *testing.T) {
	reg := ParseRegistered("pid-" + g1)
	for _, in := range []string{"pid-" + g1[:35], "pid-" + g1 + "0", "pid-" + strings.Replace(g1, "-", "", 1)} {
		for _, tk := range ExtractTokens(in) {
			if tk.MatchKey == reg.MatchKey {
				t.Errorf("%q matches registered %q", in, reg.MatchKey)
			}
		}
	}
}

// TestMicrosoftTemplatePatterns: tracking IDs as Microsoft's own templates
// and SDKs write them.
func TestMicrosoftTemplatePatterns(t *testing.T) {
	cases := []struct {
		name, in      string
		want          tok
		guidKey, suff string
	}{
		{"Azure Landing Zones: pid-<GUID>-<uniqueString>", "pid-" + g1 + "-q7zcoa4fk2ium",
			tok{"pid-" + g1 + "-q7zcoa4fk2ium", "partner_center", "pid-" + g1 + "-q7zcoa4fk2ium", ""}, "pid-" + g1, "-q7zcoa4fk2ium"},
		{"CAF Terraform module: pid-<GUID>_<version>_…", "pid-" + strings.ToUpper(g2) + "_v5_caf",
			tok{"pid-" + strings.ToUpper(g2) + "_v5_caf", "partner_center", "pid-" + strings.ToUpper(g2) + "_v5_caf", ""}, "pid-" + g2, "_v5_caf"},
		{"CAF version with dots ends the token at the dot", "pid-" + g2 + "_5.1.0",
			tok{"pid-" + g2 + "_5", "partner_center", "pid-" + g2 + "_5", ""}, "pid-" + g2, "_5"},
		{"Terraform providers' default partner ID in a user agent", "Terraform/1.5.0 terraform-provider-azurerm/3.70.0 pid-222c6c49-1b0a-5959-a213-6608f9eb8820",
			tok{TerraformDefaultPartnerID, "guid", TerraformDefaultPartnerID, ""}, "", ""},
		{"Go SDK cuts the application id to 24 characters", "azsdk-go-pid-b6addd8f-5ff4-4fc0-a azsdk-go-armresources/v1.2.0 (go1.22.1; linux)",
			tok{"pid-b6addd8f-5ff4-4fc0-a", "truncated", "", "the Azure SDK for Go keeps only the first 24 characters"}, "", ""},
		{"24 characters that are no GUID prefix stay malformed", "pid-b6addd8f-5ff4-4fc0-z",
			tok{"pid-b6addd8f-5ff4-4fc0-z", "malformed", "", "4 groups, want 5"}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ExtractTokens(tc.in)
			check(t, got, []tok{tc.want})
			if got[0].GUIDKey != tc.guidKey || got[0].Suffix != tc.suff {
				t.Errorf("guid key %q suffix %q, want %q %q", got[0].GUIDKey, got[0].Suffix, tc.guidKey, tc.suff)
			}
		})
	}
	if err := CheckPlatformIDs(DefaultPlatformIDs); err != nil {
		t.Error(err)
	}
	if err := CheckPlatformIDs([]PlatformID{{ID: "pid-contoso"}}); err == nil {
		t.Error("a non-GUID platform ID was accepted")
	}
}
