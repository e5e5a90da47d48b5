package attribution

import (
	"strings"
	"testing"
)

func TestParseLandingURL(t *testing.T) {
	const base = "https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.widget"
	cases := []struct {
		name           string
		url            string
		mktcmpid, stat string
		reason         string // substring of the reason ("" = no reason)
		src, srcNorm   string
	}{
		{"plain", base + "?tab=Overview&mktcmpid=spring-2025&src=LinkedIn", "spring-2025", "valid", "", "LinkedIn", "linkedin"},
		{"any order", base + "?src=Newsletter&tab=Overview&mktcmpid=spring_25", "spring_25", "valid", "", "Newsletter", "newsletter"},
		{"no campaign", base + "?tab=Overview", NoCampaign, "none", "", "", ""},
		{"no query at all", base, NoCampaign, "none", "", "", ""},
		{"empty string", "", NoCampaign, "none", "", "", ""},
		{"encoded mktcmpid", base + "?mktcmpid=spring%2D2025%5F1", "spring-2025_1", "valid", "", "", ""},
		{"encoded name", base + "?mkt%63mpid=abc", "abc", "valid", "", "", ""},
		{"16 characters", base + "?mktcmpid=abcdefghij123456", "abcdefghij123456", "valid", "", "", ""},
		{"17 characters kept whole", base + "?mktcmpid=abcdefghij1234567", "abcdefghij1234567", "invalid", "17 characters, max 16", "", ""},
		{"non-ASCII encoded", base + "?mktcmpid=caf%C3%A9", "café", "invalid", `character 'é' not allowed`, "", ""},
		{"non-ASCII raw", base + "?mktcmpid=café", "café", "invalid", `character 'é' not allowed`, "", ""},
		{"space via plus", base + "?mktcmpid=spring+sale", "spring sale", "invalid", `character ' ' not allowed`, "", ""},
		{"long and bad characters", base + "?mktcmpid=this.is.a.very.long.one", "this.is.a.very.long.one", "invalid", "23 characters, max 16; character '.'", "", ""},
		{"bad percent-encoding", base + "?mktcmpid=abc%zz", "abc%zz", "invalid", "bad percent-encoding", "", ""},
		{"empty value", base + "?mktcmpid=&src=bing", NoCampaign, "none", "empty mktcmpid", "bing", "bing"},
		{"name without value", base + "?mktcmpid", NoCampaign, "none", "empty mktcmpid", "", ""},
		{"empty src", base + "?mktcmpid=a&src=", "a", "valid", "", "", ""},
		{"parameter in the fragment", base + "#mktcmpid=frag1&src=Email", "frag1", "valid", "from the URL fragment", "Email", "email"},
		{"parameter in a fragment query", base + "#/overview?mktcmpid=frag2", "frag2", "valid", "from the URL fragment", "", ""},
		{"query wins over fragment", base + "?mktcmpid=q1#mktcmpid=f1", "q1", "valid", "", "", ""},
		{"repeated parameter, first kept", base + "?mktcmpid=first&mktcmpid=second", "first", "valid", "repeated with 2 different values, first kept", "", ""},
		{"repeated same value", base + "?mktcmpid=same&MKTCMPID=same", "same", "valid", "", "", ""},
		{"repeated, first empty", base + "?mktcmpid=&mktcmpid=later", "later", "valid", "", "", ""},
		{"upper-case names", base + "?MKTCMPID=Camp1&SRC=Partner_Site", "Camp1", "valid", "", "Partner_Site", "partner_site"},
		{"mixed-case names", base + "?MktCmpId=Camp2&Src=X", "Camp2", "valid", "", "X", "x"},
		{"html-escaped separator", base + "?tab=Overview&amp;mktcmpid=esc1", "esc1", "valid", "", "", ""},
		{"src decoded and kept as given", base + "?src=Partner%20Site%21", NoCampaign, "none", "", "Partner Site!", "partner site!"},
		{"similar names ignored", base + "?xmktcmpid=a&mktcmpidx=b&source=c", NoCampaign, "none", "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ParseLandingURL(c.url)
			if got.Mktcmpid != c.mktcmpid || got.Status != c.stat || got.Src != c.src || got.SrcNormalized != c.srcNorm {
				t.Fatalf("ParseLandingURL(%q) = %+v, want mktcmpid %q status %s src %q/%q", c.url, got, c.mktcmpid, c.stat, c.src, c.srcNorm)
			}
			if c.reason == "" && got.Reason != "" || !strings.Contains(got.Reason, c.reason) {
				t.Fatalf("reason %q, want %q", got.Reason, c.reason)
			}
		})
	}
}

func TestCampaignProblem(t *testing.T) {
	for id, want := range map[string]string{
		"a":                 "",
		"A-Z_09":            "",
		"abcdefghij123456":  "",
		"abcdefghij1234567": "17 characters, max 16",
		"":                  "empty",
		"a/b":               "character '/' not allowed",
	} {
		if got := CampaignProblem(id); !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("CampaignProblem(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestCampaignFallbacks: utm_campaign supplies the campaign and utm_source,
// then ref, the source when mktcmpid and src are absent (or empty); the
// reason names the parameter; mktcmpid and src always win.
func TestCampaignFallbacks(t *testing.T) {
	const base = "https://appsource.microsoft.com/en-us/product/web-apps/contoso.widget"
	cases := []struct {
		name, url                string
		campaign, status, cParam string
		src, sParam              string
		reason                   string
	}{
		{"utm_campaign and utm_source", base + "?utm_campaign=spring25&utm_source=LinkedIn", "spring25", "valid", "utm_campaign", "LinkedIn", "utm_source",
			"campaign from utm_campaign (no mktcmpid); source from utm_source (no src)"},
		{"ref as source", base + "?utm_campaign=spring25&ref=partner-blog", "spring25", "valid", "utm_campaign", "partner-blog", "ref",
			"campaign from utm_campaign (no mktcmpid); source from ref (no src)"},
		{"utm_source beats ref", base + "?ref=blog&utm_source=mail", NoCampaign, "none", "", "mail", "utm_source", "source from utm_source (no src)"},
		{"mktcmpid and src win", base + "?utm_campaign=other&mktcmpid=spring25&ref=blog&src=LinkedIn&utm_source=mail", "spring25", "valid", "mktcmpid", "LinkedIn", "src", ""},
		{"an empty mktcmpid gives way", base + "?mktcmpid=&utm_campaign=spring25", "spring25", "valid", "utm_campaign", "", "", "empty mktcmpid; campaign from utm_campaign (no mktcmpid)"},
		{"an invalid utm_campaign is kept and flagged", base + "?utm_campaign=spring_sale_2025_emea", "spring_sale_2025_emea", "invalid", "utm_campaign", "", "",
			"campaign from utm_campaign (no mktcmpid); 21 characters, max 16"},
		{"case-insensitive names", base + "?UTM_Campaign=x1&UTM_SOURCE=Bing", "x1", "valid", "utm_campaign", "Bing", "utm_source", "campaign from utm_campaign"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := ParseLandingURL(tc.url)
			if c.Mktcmpid != tc.campaign || c.Status != tc.status || c.CampaignParam != tc.cParam || c.Src != tc.src || c.SrcParam != tc.sParam ||
				(tc.reason == "" && c.Reason != "") || !strings.Contains(c.Reason, tc.reason) {
				t.Errorf("%+v\nwant campaign %q %s from %q, src %q from %q, reason %q", c, tc.campaign, tc.status, tc.cParam, tc.src, tc.sParam, tc.reason)
			}
		})
	}
}
