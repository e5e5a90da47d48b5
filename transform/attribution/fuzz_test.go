package attribution

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzExtractTokens: never panics; every token is a substring of the input at
// its offset; a token's canonical form (GUID) or raw text (others) re-parses to
// itself, alone.
func FuzzExtractTokens(f *testing.F) {
	for _, s := range []string{
		"pid-" + g1,
		"AzureCLI/2.0 pid-" + g1 + " PID-{" + strings.ToUpper(g2) + "}",
		"pid-", "pid-{", "pid-}", "pid-{}", "pid-contoso-myoffer-partnercenter",
		"pid-" + g1[:35], "pid-" + g1 + "-partnercenter", "rapid-" + g1, "xpid-pid-pid-",
		g1, "{" + g1 + "}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tk := range ExtractTokens(s) {
			if tk.Offset < 0 || tk.Offset+len(tk.Raw) > len(s) || s[tk.Offset:tk.Offset+len(tk.Raw)] != tk.Raw {
				t.Fatalf("token %+v is not at its offset in %q", tk, s)
			}
			checkReparse(t, tk, ExtractTokens)
		}
		for _, tk := range ParsePartnerID(s) {
			if tk.Kind == KindGUID {
				again := ParsePartnerID(tk.TrackingID)
				if len(again) != 1 || again[0].TrackingID != tk.TrackingID {
					t.Fatalf("partner_id %q: canonical %q re-parses to %+v", s, tk.TrackingID, again)
				}
			}
		}
		r := ParseRegistered(s)
		if r.Kind == KindGUID {
			if again := ParseRegistered(r.MatchKey); again.MatchKey != r.MatchKey {
				t.Fatalf("registered %q: canonical %q re-parses to %+v", s, r.MatchKey, again)
			}
		}
	})
}

func checkReparse(t *testing.T, tk Token, parse func(string) []Token) {
	t.Helper()
	switch tk.Kind {
	case KindGUID:
		if !strings.HasPrefix(tk.TrackingID, "pid-") || tk.TrackingID != strings.ToLower(tk.TrackingID) || len(tk.TrackingID) != 40 {
			t.Fatalf("canonical form %q", tk.TrackingID)
		}
		again := parse(tk.TrackingID)
		if len(again) != 1 || again[0].Kind != KindGUID || again[0].TrackingID != tk.TrackingID || again[0].Raw != tk.TrackingID {
			t.Fatalf("canonical %q re-parses to %+v", tk.TrackingID, again)
		}
		if reg := ParseRegistered(tk.TrackingID); reg.MatchKey != tk.MatchKey {
			t.Fatalf("registered %q gets key %q, token key %q", tk.TrackingID, reg.MatchKey, tk.MatchKey)
		}
	default:
		again := parse(tk.Raw)
		if len(again) != 1 || again[0].Kind != tk.Kind || again[0].MatchKey != tk.MatchKey || again[0].Reason != tk.Reason {
			t.Fatalf("token %+v re-parses to %+v", tk, again)
		}
		if tk.Kind == KindMalformed && tk.Reason == "" {
			t.Fatalf("malformed without a reason: %+v", tk)
		}
	}
}

// FuzzParseLandingURL: never panics; results are valid UTF-8 for valid input;
// the status agrees with the id; FormatCampaign re-parses to the same result.
func FuzzParseLandingURL(f *testing.F) {
	for _, s := range []string{
		"https://x/?mktcmpid=abc&src=Bing", "?MKTCMPID=caf%C3%A9", "#mktcmpid=frag", "#/a?src=x&mktcmpid=y",
		"?mktcmpid=&mktcmpid=b", "?mktcmpid=%zz", "?mktcmpid=abcdefghij1234567", "?amp;mktcmpid=a&amp;src=b",
		"?src=%FF%FE", "", "?", "#", "?=&&=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := ParseLandingURL(s)
		if !utf8.ValidString(c.Mktcmpid) || !utf8.ValidString(c.Src) || !utf8.ValidString(c.Reason) {
			t.Fatalf("invalid UTF-8 in %+v", c)
		}
		switch c.Status {
		case CampaignNone:
			if c.Mktcmpid != NoCampaign {
				t.Fatalf("status none with id %q", c.Mktcmpid)
			}
		case CampaignValid:
			if CampaignProblem(c.Mktcmpid) != "" {
				t.Fatalf("valid id %q has problem %s", c.Mktcmpid, CampaignProblem(c.Mktcmpid))
			}
		case CampaignInvalid:
			if c.Mktcmpid == "" || c.Reason == "" {
				t.Fatalf("invalid without id or reason: %+v", c)
			}
		default:
			t.Fatalf("status %q", c.Status)
		}
		if c.SrcNormalized != strings.ToLower(c.Src) {
			t.Fatalf("src %q normalised to %q", c.Src, c.SrcNormalized)
		}
		again := ParseLandingURL(FormatCampaign(c))
		if again.Mktcmpid != c.Mktcmpid || again.Status != c.Status || again.Src != c.Src {
			t.Fatalf("%q -> %+v -> %q -> %+v", s, c, FormatCampaign(c), again)
		}
	})
}
