package gen

import (
	"context"
	"math/rand/v2"
	"strconv"
	"time"
)

// The Quality of service report and the Marketplace Insights daily counts,
// written as Partner Center writes them: every value quoted by the export's
// own rules, date-times in its spellings, masked customer names, no
// PublisherId (the publisher comes from the offer).

var qosCols = []string{
	"OfferId", "Sku", "DeploymentStatus", "DeploymentCorrelationId", "SubscriptionId", "CustomerTenantId",
	"CustomerName", "TemplateType", "StartTime", "EndTime", "DeploymentDurationInMilliSeconds", "DeploymentRegion",
	"ResourceProvider", "ResourceUri", "ResourceGroup", "ResourceType", "ResourceName", "ErrorCode", "ErrorName",
	"ErrorMessage", "DeepErrorCode", "DeepErrorMessage",
}

var insightsCols = []string{
	"Date", "OfferName", "ReferralDomain", "CountryName", "PageVisits", "GetItNow", "ContactMe", "TestDrive",
	"FreeTrial", "consentGivenCount", "Site", "Campaign",
}

var qosResources = []struct{ provider, typ, prefix string }{
	{"Microsoft.Compute", "Microsoft.Compute/virtualMachines", "vm"},
	{"Microsoft.Storage", "Microsoft.Storage/storageAccounts", "st"},
	{"Microsoft.Network", "Microsoft.Network/publicIPAddresses", "pip"},
}

var qosErrors = []struct{ code, name, deep, deepMsg string }{
	{"DeploymentFailed", "Deployment failed", "QuotaExceeded", "Operation could not be completed as it results in exceeding approved quota."},
	{"DeploymentFailed", "Deployment failed", "SkuNotAvailable", "The requested size is currently not available in the location."},
	{"InvalidTemplate", "Invalid template", "", ""},
}

var qosRegions = []string{"eastus", "westeurope", "germanywestcentral", "uksouth", "japaneast"}

// exportTime writes a date-time as the analytics exports do: 2022-09-12 15:27:18.0000000.
func exportTime(t time.Time) string { return t.Format("2006-01-02 15:04:05") + ".0000000" }

// writeQoS writes a few marketplace deployments of every Azure application
// offer per month, one row per resource; about one in eight fails.
func (w *world) writeQoS(ctx context.Context, t *table, r *rand.Rand) error {
	for m := range w.cal.months {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, o := range w.offers {
			if o.offerType != "Azure Application" {
				continue
			}
			for range w.opt.Scale * (1 + r.IntN(4)) {
				start := w.at(w.cal.dayStart[m]+r.IntN(w.cal.daysIn(m)), r.IntN(86400))
				dur := int64(30_000 + r.IntN(1_200_000))
				corr, sub, tenant := newGUID(r), newGUID(r), newGUID(r)
				failed := r.IntN(8) == 0
				status, e := "Succeeded", qosErrors[0]
				if failed {
					status, e = "Failed", qosErrors[r.IntN(len(qosErrors))]
				}
				name := "************"
				if r.IntN(3) == 0 {
					name = "Customer " + strconv.Itoa(r.IntN(1000))
				}
				rg := "rg-" + o.slug
				region := qosRegions[r.IntN(len(qosRegions))]
				sku := ""
				if len(o.plans) > 0 {
					sku = o.plans[r.IntN(len(o.plans))].sku
				}
				for k := range 1 + r.IntN(len(qosResources)) {
					res := qosResources[k]
					rn := res.prefix + strconv.Itoa(k+1)
					t.str(o.id)
					t.str(sku)
					t.str(status)
					t.str(corr)
					t.str(sub)
					t.str(tenant)
					t.str(name)
					t.str("Solution template")
					t.str(exportTime(start))
					t.str(exportTime(start.Add(time.Duration(dur) * time.Millisecond)))
					t.int(dur)
					t.str(region)
					t.str(res.provider)
					t.str("/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + res.typ + "/" + rn)
					t.str(rg)
					t.str(res.typ)
					t.str(rn)
					if failed && k == 0 {
						t.str(e.code)
						t.str(e.name)
						t.str("At least one resource deployment operation failed.")
						t.str(e.deep)
						t.str(e.deepMsg)
					} else {
						for range 5 {
							t.str("")
						}
					}
					if err := t.end(); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

var insightsReferrers = []string{"www.bing.com", "www.google.com", "www.linkedin.com", ""}

// writeInsights writes Marketplace Insights daily counts for the last two
// months of every offer (a day now and then without any): where the clicks
// also have the offer and day, the clicks count and these are the overlap.
func (w *world) writeInsights(ctx context.Context, t *table, r *rand.Rand) error {
	first := max(0, len(w.cal.months)-2)
	for d := w.cal.dayStart[first]; d < w.cal.days(); d++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		day := w.cal.day(d)
		for _, o := range w.offers {
			if r.IntN(4) == 0 {
				continue
			}
			g := geos[pick(r, geoCum)]
			visits := int64(1 + r.IntN(40*o.popularity+1))
			ctas := visits * int64(r.IntN(30)) / 100
			var getItNow, contactMe, testDrive, freeTrial int64
			switch o.listing {
			case "List":
				contactMe = ctas
			case "Trial":
				freeTrial, testDrive = ctas/2, ctas-ctas/2
			default:
				getItNow = ctas
			}
			campaign := ""
			if r.IntN(3) == 0 {
				campaign = "insights" + strconv.Itoa(1+r.IntN(3))
			}
			t.str(day.Format("1/2/2006") + " 12:00:00 AM")
			t.str(o.name)
			t.str(insightsReferrers[r.IntN(len(insightsReferrers))])
			t.str(g.country)
			t.int(visits)
			t.int(getItNow)
			t.int(contactMe)
			t.int(testDrive)
			t.int(freeTrial)
			t.int(ctas * 6 / 10)
			t.str(o.storefront)
			t.str(campaign)
			if err := t.end(); err != nil {
				return err
			}
		}
	}
	return nil
}
