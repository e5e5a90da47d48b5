package gen

import (
	"context"
	"hash/fnv"
	"math/rand/v2"
	"strings"
)

var deploymentCols = []string{
	"DeploymentId", "Timestamp", "SubscriptionId", "CustomerTenantId", "ResourceGroup",
	"DeploymentName", "UserAgent", "PartnerId", "Status", "Region",
}

// How an asset's deployments identify (or fail to identify) the partner.
const (
	tokRegistered   = iota // a registered tracking ID of the offer
	tokUnregistered        // a GUID the partner uses but never registered
	tokMalformed           // a pid- token that is not a well-formed GUID
	tokNone                // no tracking ID at all
)

var (
	cliAgents = []string{
		"AZURECLI/2.61.0 (DEB) azsdk-python-azure-mgmt-resource/23.1.1 Python/3.11.8 (Linux-5.15.0-1064-azure-x86_64-with-glibc2.35)",
		"AZURECLI/2.58.0 (MSI) azsdk-python-azure-mgmt-resource/23.0.1 Python/3.11.7 (Windows-10-10.0.22631-SP0)",
		"AzurePowershell/v12.0.0 PSVersion/v7.4.2 Az.Resources/7.1.0",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0",
	}
	sdkAgents = []string{
		"azsdk-go-armresources/v1.2.0 (go1.22.3; linux)",
		"azsdk-net-ResourceManager/1.11.0 (.NET 8.0.4; Microsoft Windows 10.0.20348)",
		"azsdk-java-azure-resourcemanager-resources/2.38.0 (17.0.10; Linux; 5.15.0)",
		"azsdk-js-arm-resources/5.2.0 core-rest-pipeline/1.15.2 Node/v20.12.2 OS/(x64-Linux-5.15.0)",
	}
	terraformAgents = []string{
		"HashiCorp Terraform/1.8.5 (+https://www.terraform.io) Terraform Plugin SDK/2.10.1 terraform-provider-azurerm/3.110.0",
		"HashiCorp Terraform/1.9.2 (+https://www.terraform.io) Terraform Plugin SDK/2.10.1 terraform-provider-azurerm/4.1.0",
	}
)

const managedAppAgent = "ApplianceResourceProvider/2021-07-01 Microsoft.Solutions"

// malformedToken returns what follows "pid-" in a token that looks like a
// tracking ID but is not a well-formed GUID. The last variant hides a
// well-formed GUID followed by one more digit: a parser must not guess it.
func malformedToken(r *rand.Rand) string {
	g := newGUID(r)
	switch r.IntN(5) {
	case 0:
		return g[:9] + g[10:] // second group of 3
	case 1:
		p := []int{2, 11, 16, 21, 30}[r.IntN(5)]
		return g[:p] + string("ghjkmnpqrstvwxyz"[r.IntN(16)]) + g[p+1:] // not hex
	case 2:
		return g[:19] + g[24:] // a group missing
	case 3:
		return g + string("0123456789abcdef"[r.IntN(16)]) // last group of 13
	default:
		return g[1:] // first group of 7
	}
}

type deploymentLine struct {
	a                   *asset // nil for unrelated deployments
	sub, tenant, rg     string
	day                 int
	name, ua, partnerID string
	region              string
	defect              int // -1, 0 missing DeploymentId, 1 not a timestamp
}

// writeDeployments writes the ARM deployments and API calls behind every
// marketplace subscription (first deployment around the purchase, then
// redeployments), plus unrelated deployments with no or foreign tracking IDs.
func (w *world) writeDeployments(ctx context.Context, t *table, r *rand.Rand) error {
	days := w.cal.days()
	bad := cadence{n: 500}
	var err error
	emit := func(l deploymentLine) {
		if e := w.emitDeployment(t, r, l); e != nil && err == nil {
			err = e
		}
		if bad.tick() {
			l.defect = bad.kind(2)
			if e := w.emitDeployment(t, r, l); e != nil && err == nil {
				err = e
			}
		}
	}
	n := 0
	for _, list := range [][]*asset{w.orders, w.usage, w.trials} {
		for _, a := range list {
			if n%checkEvery == 0 {
				if e := ctx.Err(); e != nil {
					return e
				}
			}
			n++
			mode, tr := w.trackingFor(r, a)
			region := regions[r.IntN(len(regions))]
			day := a.startDay - r.IntN(3)
			last := min(a.endDay, days-1)
			for k := 0; k < 6 && day <= last; k++ {
				l := deploymentLine{a: a, sub: a.sub, tenant: a.cust.id, rg: a.rg, day: day, region: region, defect: -1}
				l.name, l.ua, l.partnerID = w.render(r, mode, tr, a, day)
				emit(l)
				day += 30 + r.IntN(150)
			}
			if r.IntN(noisePerDeployment) == 0 {
				c := w.customers[r.IntN(len(w.customers))]
				l := deploymentLine{
					sub: c.subs[r.IntN(len(c.subs))], tenant: c.id, day: r.IntN(days),
					rg: "rg-" + []string{"network", "shared", "web", "data", "ops"}[r.IntN(5)], region: region, defect: -1,
				}
				l.name = "Microsoft.Template-" + w.cal.day(l.day).Format("20060102150405")
				l.ua = cliAgents[r.IntN(len(cliAgents))]
				if r.IntN(3) == 0 { // another company's tracking ID, never registered here
					l.ua += " pid-" + w.vendorIDs[r.IntN(len(w.vendorIDs))]
				}
				emit(l)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// trackingFor decides once per subscription how its deployments are tagged.
func (w *world) trackingFor(r *rand.Rand, a *asset) (int, *tracking) {
	x := r.IntN(100)
	switch {
	case x < 78:
		var cands []*tracking
		for _, t := range a.offer.tracks {
			if t.plan == "" || t.plan == a.plan.id {
				cands = append(cands, t)
			}
		}
		if len(cands) == 0 {
			return tokNone, nil
		}
		return tokRegistered, cands[r.IntN(len(cands))]
	case x < 86:
		return tokUnregistered, nil
	case x < 90:
		return tokMalformed, nil
	default:
		return tokNone, nil
	}
}

// render builds the deployment name, user agent and Terraform partner_id of
// one deployment in the shape its channel produces.
func (w *world) render(r *rand.Rand, mode int, tr *tracking, a *asset, day int) (name, ua, partnerID string) {
	date := w.cal.day(day).Format("20060102")
	dm := day // for the template shapes, chosen by the day (days before the window are negative)
	if dm < 0 {
		dm = -dm
	}
	ordinary := []string{
		"Microsoft.Template-" + date + "T0930",
		"deploy-" + a.rg,
		a.offer.slug + "-" + date,
	}[r.IntN(3)]
	var token, channel string
	switch mode {
	case tokRegistered:
		token, channel = tr.guid, tr.channel
		if channel == "AzureApp" {
			return tr.id, managedAppAgent, ""
		}
	case tokUnregistered:
		us := a.offer.partner.unregistered
		token, channel = us[r.IntN(len(us))], []string{"ARM", "SDK", "Terraform"}[r.IntN(3)]
	case tokMalformed:
		token, channel = malformedToken(r), []string{"ARM", "SDK"}[r.IntN(2)]
	default:
		if r.IntN(2) == 0 {
			ua = cliAgents[r.IntN(len(cliAgents))]
		} else {
			ua = sdkAgents[r.IntN(len(sdkAgents))]
		}
		// Microsoft's templates and SDKs, chosen by the day rather than the
		// random stream so that every other value stays as it was: the
		// Terraform providers' default partner ID when partner_id is unset.
		if dm%9 == 0 {
			ua = terraformAgents[dm%len(terraformAgents)] + " " + terraformDefaultPID
		}
		return ordinary, ua, ""
	}
	if r.IntN(10) == 0 {
		token = strings.ToUpper(token)
	}
	pid := "pid-" + token
	switch channel {
	case "Terraform":
		partnerID = token
		ua = terraformAgents[r.IntN(len(terraformAgents))]
		if r.IntN(5) < 2 {
			ua += " " + pid
		}
		if r.IntN(2) == 0 {
			name = ordinary
		}
	case "SDK":
		name, ua = ordinary, sdkAgents[r.IntN(len(sdkAgents))]+" "+pid
		if dm%11 == 0 && len(token) == 36 {
			// The Azure SDK for Go keeps 24 characters of its application id.
			name, ua = ordinary, strings.TrimSuffix(ua, pid)+"azsdk-go-"+pid[:goSDKAppIDLen]
		}
	default: // ARM template deployments
		ua = cliAgents[r.IntN(len(cliAgents))]
		switch x := r.IntN(10); {
		case x < 5:
			name = pid
		case x < 8 && dm%5 == 0 && len(token) == 36:
			// Azure Landing Zones: pid-<GUID>-<uniqueString>.
			name = pid + "-" + uniqueString(a.rg+date)
		case x < 8 && dm%7 == 0 && len(token) == 36:
			// The CAF Terraform module: pid-<GUID>_<version>_….
			name = pid + "_v5_caf"
		case x < 8:
			name = pid + "-" + date
		default:
			name, ua = ordinary, ua+" "+pid
		}
	}
	if strings.Contains(ua, "pid-") && r.IntN(20) == 0 {
		// A systems integrator's tracking ID next to the publisher's.
		ua += " pid-" + w.vendorIDs[r.IntN(len(w.vendorIDs))]
	}
	return name, ua, partnerID
}

func (w *world) emitDeployment(t *table, r *rand.Rand, l deploymentLine) error {
	if l.defect == 0 {
		t.str("")
	} else {
		t.guid(r.Uint64(), r.Uint64())
	}
	if l.defect == 1 {
		t.str(w.cal.day(l.day).Format("2006-01-02") + "T25:61:00Z")
	} else {
		t.timestamp(w.at(l.day, r.IntN(86400)))
	}
	t.str(l.sub)
	t.str(l.tenant)
	t.str(l.rg)
	t.str(l.name)
	t.str(l.ua)
	t.str(l.partnerID)
	if r.IntN(100) < 6 {
		t.str("Failed")
	} else {
		t.str("Succeeded")
	}
	t.str(l.region)
	return t.end()
}

// terraformDefaultPID is the partner ID the Terraform azurerm and azapi
// providers send when partner_id is unset.
const terraformDefaultPID = "pid-222c6c49-1b0a-5959-a213-6608f9eb8820"

// goSDKAppIDLen is how much of its application id the Azure SDK for Go keeps.
const goSDKAppIDLen = 24

// uniqueString imitates ARM's uniqueString(): 13 lower-case letters and
// digits derived from s.
func uniqueString(s string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	v := h.Sum64()
	b := make([]byte, 13)
	for i := range b {
		b[i] = alphabet[v%uint64(len(alphabet))]
		v /= uint64(len(alphabet))
		if v == 0 {
			v = h.Sum64() ^ uint64(i+1)*0x9e3779b97f4a7c15
		}
	}
	return string(b)
}
