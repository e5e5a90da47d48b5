package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQoSAndInsightsInReports: the Quality of service report loads as
// marketplace deployments shown in the deployments report apart from the
// attributed ones; Marketplace Insights daily counts feed the campaign
// reports where no click rows exist for the offer and day, and the overlap
// is reported, never counted twice.
func TestQoSAndInsightsInReports(t *testing.T) {
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("..", "..", "..", "ingest", "testdata", "real", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	root := filepath.Join(t.TempDir(), "landing")
	files := map[string]string{
		"partners.csv":                "PartnerId,PgaId\nP1,G1\n",
		"offers.csv":                  "OfferId,PartnerId,OfferName,ListingType\ncontoso.analytics,P1,Contoso Analytics,Transact\n",
		"P1/qos.csv":                  read("qos.csv"),
		"P1/marketplace_insights.csv": read("marketplace_insights.csv"),
		"clicks.csv": "Timestamp,SessionId,OfferId,Action,LandingUrl,ReferralDomain\n" +
			"2022-09-12T10:00:00Z,s1,contoso.analytics,PageVisit,https://x/?mktcmpid=spring25,www.bing.com\n" +
			"2022-09-12T10:01:00Z,s1,contoso.analytics,ContactMe,https://x/?mktcmpid=spring25,www.bing.com\n",
	}
	for p, text := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(t.TempDir(), "i.duckdb")
	out := filepath.Join(t.TempDir(), "out")
	mustRun(t, "--db", db, "ingest", "--quarantine", filepath.Join(t.TempDir(), "q"), root)
	mustRun(t, "--db", db, "transform", "--as-of", "2022-10-05")
	mustRun(t, "--db", db, "report", "--partner", "P1", "--period", "2022-09", "--trend", "1m", "--format", "csv", "--out", out)
	csv := func(name string) []string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, "2022-10-05", "P1", name))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSpace(strings.ReplaceAll(string(b), "\r\n", "\n")), "\n")
	}
	has := func(what string, lines []string, want ...string) {
		t.Helper()
		for _, w := range want {
			found := false
			for _, l := range lines {
				found = found || l == w
			}
			if !found {
				t.Errorf("%s lacks %q:\n%s", what, w, strings.Join(lines, "\n"))
			}
		}
	}
	has("deployments_by_slice", csv("deployments_by_slice_2022-09_1m.csv"),
		"Marketplace deployments: status,Succeeded,2022-09,1,1,,,",
		"Marketplace deployments: status,Failed,2022-09,1,1,,,",
		"Marketplace deployments: error code,DeploymentFailed: QuotaExceeded,2022-09,1,1,,,",
		"Marketplace deployments: duration,2: 1-5 min,2022-09,2,2,,,",
		"Marketplace deployments: offer,Contoso Analytics,2022-09,2,2,,,")
	// 2022-09-12 has clicks (1 session, 1 call to action): its Insights counts (120 + 30 visits)
	// are the overlap, not counted; 2022-09-13 has only Insights counts (15 visits, 1 Get it now).
	has("campaigns_monthly", csv("campaigns_monthly_2022-09_1m.csv"), "2022-09,16,2,1,0,0,1,0,2,0,0.1250,0.0000")
	has("campaigns_by_slice", csv("campaigns_by_slice_2022-09_1m.csv"),
		"Campaign,spring25,2022-09,1,1,1,0,0,0,0,1,0,1.0000,0.0000",
		"Campaign,this.campaign.is.too.long (invalid),2022-09,15,1,0,0,0,1,0,1,0,0.0667,0.0000",
		"Offer,Contoso Analytics,2022-09,16,2,1,0,0,1,0,2,0,0.1250,0.0000",
		"Overlap: Insights counts not counted (clicks count),Contoso Analytics,2022-09,150,8,3,1,0,4,0,8,6,0.0533,0.0400")
}
