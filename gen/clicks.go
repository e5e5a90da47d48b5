package gen

import (
	"context"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"
)

var clickCols = []string{
	"Timestamp", "SessionId", "OfferId", "Site", "Action", "LandingUrl", "ReferralDomain", "Country",
}

// Funnel rates: a share of visits goes on to a call to action, and a share of
// those gives consent. Rows per session ≈ 1 + 0.30 × (1 + 0.65).
const (
	ctaPercent          = 30
	consentPercent      = 65
	rowsPerSessionMilli = 1495
)

type clickLine struct {
	ts                         time.Time
	session, action            string
	o                          *offer
	landing, referral, country string
	defect                     int // -1, 0 missing SessionId, 1 not a timestamp, 2 unknown Action
}

// writeClicks writes listing sessions: a page visit, then perhaps a call to
// action that fits the offer's listing type, then perhaps consent.
func (w *world) writeClicks(ctx context.Context, t *table, r *rand.Rand) error {
	offerCum := cumulative(len(w.offers), func(i int) int64 { return int64(w.offers[i].popularity) })
	perMonth := clickRowsPerScale * w.opt.Scale * 1000 / rowsPerSessionMilli / DefaultMonths
	bad := cadence{n: 500}
	var err error
	emit := func(l clickLine) {
		if e := emitClick(t, l); e != nil && err == nil {
			err = e
		}
		if bad.tick() {
			l.defect = bad.kind(3)
			if e := emitClick(t, l); e != nil && err == nil {
				err = e
			}
		}
	}
	for m := range w.cal.months {
		n := perMonth * (85 + r.IntN(31)) / 100
		for s := range n {
			if s%checkEvery == 0 {
				if e := ctx.Err(); e != nil {
					return e
				}
			}
			o := w.offers[pick(r, offerCum)]
			g := geos[pick(r, geoCum)]
			l := clickLine{
				ts:      w.at(w.cal.dayStart[m]+r.IntN(w.cal.daysIn(m)), r.IntN(86400)),
				session: newGUID(r), action: "PageVisit", o: o, country: g.country, defect: -1,
			}
			l.landing, l.referral = w.landing(r, o, g)
			emit(l)
			if r.IntN(100) < ctaPercent {
				l.ts = l.ts.Add(time.Duration(5+r.IntN(300)) * time.Second)
				l.action = callToAction(r, o)
				emit(l)
				if r.IntN(100) < consentPercent {
					l.ts = l.ts.Add(time.Duration(2+r.IntN(60)) * time.Second)
					l.action = "ConsentGiven"
					emit(l)
				}
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func callToAction(r *rand.Rand, o *offer) string {
	x := r.IntN(100)
	switch o.listing {
	case "List":
		return "ContactMe"
	case "Trial":
		switch {
		case x < 50:
			return "FreeTrial"
		case x < 75:
			return "TestDrive"
		default:
			return "GetItNow"
		}
	default:
		switch {
		case x < 80:
			return "GetItNow"
		case x < 90:
			return "FreeTrial"
		default:
			return "ContactMe"
		}
	}
}

// landing builds a listing URL the way links are found in the wild: src and
// mktcmpid in any order, sometimes upper-case names, sometimes fully
// percent-encoded values, sometimes no campaign, a few invalid campaign ids.
func (w *world) landing(r *rand.Rand, o *offer, g geo) (landing, referral string) {
	var b strings.Builder
	if o.storefront == "APPSOURCE" {
		b.WriteString("https://appsource.microsoft.com/" + g.locale + "/product/web-apps/" + o.id)
	} else {
		b.WriteString("https://azuremarketplace.microsoft.com/" + g.locale + "/marketplace/apps/" + o.id)
	}
	type param struct{ key, value string }
	var params []param
	switch x := r.IntN(100); {
	case x < 3:
		params = append(params, param{"mktcmpid", invalidCampaigns[r.IntN(len(invalidCampaigns))]})
	case x < 65:
		cs := o.partner.campaigns
		params = append(params, param{"mktcmpid", cs[r.IntN(len(cs))]})
	}
	src := ""
	if r.IntN(100) < 75 {
		src = trafficSources[r.IntN(len(trafficSources))]
		params = append(params, param{"src", src})
	}
	if r.IntN(5) == 0 {
		params = append(params, param{"tab", "Overview"})
	}
	r.Shuffle(len(params), func(i, j int) { params[i], params[j] = params[j], params[i] })
	encodeAll := r.IntN(10) == 0
	rawUTF8 := r.IntN(2) == 0
	for i, p := range params {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		switch x := r.IntN(20); {
		case x == 0:
			p.key = strings.ToUpper(p.key)
		case x == 1 && p.key == "mktcmpid":
			p.key = "MktCmpId"
		}
		b.WriteString(p.key)
		b.WriteByte('=')
		switch {
		case encodeAll:
			b.WriteString(percentEncodeAll(p.value))
		case rawUTF8 && !isASCII(p.value):
			b.WriteString(p.value) // browsers and mail clients leave UTF-8 as is
		default:
			b.WriteString(url.QueryEscape(p.value))
		}
	}
	switch src {
	case "linkedin":
		referral = "www.linkedin.com"
	case "google":
		referral = "www.google.com"
	case "bing":
		referral = "www.bing.com"
	case "twitter":
		referral = "t.co"
	case "partner-site":
		referral = "www." + o.partner.domain
	default:
		referral = referralDomains[r.IntN(len(referralDomains))]
	}
	return b.String(), referral
}

// percentEncodeAll encodes every byte that is not a letter or digit, as some
// link shorteners and mail tools do (so "-" arrives as "%2D").
func percentEncodeAll(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func emitClick(t *table, l clickLine) error {
	if l.defect == 1 {
		t.str(l.ts.Format("2006-01-02") + " 24:75")
	} else {
		t.timestamp(l.ts)
	}
	if l.defect == 0 {
		t.str("")
	} else {
		t.str(l.session)
	}
	t.str(l.o.id)
	t.str(l.o.storefront)
	if l.defect == 2 {
		t.str("Purchase")
	} else {
		t.str(l.action)
	}
	t.str(l.landing)
	t.str(l.referral)
	t.str(l.country)
	return t.end()
}
