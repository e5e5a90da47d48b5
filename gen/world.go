package gen

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The world is every entity of the sample marketplace (companies, publisher
// profiles, offers, tracking IDs, customers, subscriptions) with the revenue
// each profile should earn per month. It is small (proportional to the number
// of subscriptions, not of rows); the dataset writers stream rows from it.

// calendar is the data window: whole months, days numbered from its first day.
type calendar struct {
	start    time.Time
	months   []time.Time // first day of each month
	dayStart []int       // day number of each month's first day, plus one past the end
}

func newCalendar(start time.Time, n int) calendar {
	c := calendar{start: start}
	for m := 0; m <= n; m++ {
		first := start.AddDate(0, m, 0)
		if m < n {
			c.months = append(c.months, first)
		}
		c.dayStart = append(c.dayStart, int(first.Sub(start).Hours()/24))
	}
	return c
}

func (c calendar) days() int           { return c.dayStart[len(c.months)] }
func (c calendar) day(d int) time.Time { return c.start.AddDate(0, 0, d) }
func (c calendar) daysIn(m int) int    { return c.dayStart[m+1] - c.dayStart[m] }
func (c calendar) monthEnd(m int) int  { return c.dayStart[m+1] - 1 }
func (c calendar) overlap(m, a, b int) int {
	return max(0, min(b, c.monthEnd(m))-max(a, c.dayStart[m])+1)
}

// monthOf is the month number of day d (negative before the window).
func (c calendar) monthOf(d int) int {
	t := c.day(d)
	return (t.Year()-c.start.Year())*12 + int(t.Month()) - int(c.start.Month())
}

type contactCase int

const (
	contactNone         contactCase = iota // no marketing contact at all
	contactLate                            // valid, reached after the 7-day SLA
	contactAccountEmail                    // email equals the account email: not valid
	contactNoPhone                         // valid except for the missing phone
	contactGood                            // valid and reached within the SLA
	contactPending                         // valid, not reached yet
)

type pga struct {
	id, company, slug, email string
	archetype                int // index into the scripted revenue shapes, -1 for random
	contact                  contactCase
	partners                 []*partner
}

type partner struct {
	idx              int // position in world.partners
	id, name, domain string
	pga              *pga
	payout           int // index into currencies
	orderPct         int64
	budget           []int64 // USD cents of marketplace-billed sales per month
	offers           []*offer
	saas             *offer // the Transact SaaS offer every profile has
	weight           int64  // share of customers it attracts
	unregistered     []string
	campaigns        []string
}

type plan struct {
	id, sku string
	vm      int      // index into vmSizes, -1 for metered plans
	dims    []int    // indexes into dimensions
	meterID []string // one meter GUID per dimension (or one for the VM size)
}

type offer struct {
	id, slug, name string
	partner        *partner
	listing        string // List, Trial, Transact
	offerType      string // SaaS, Virtual Machine, Azure Application, Consulting Service
	storefront     string
	liveDay        int
	plans          []*plan
	tracks         []*tracking
	popularity     int
}

// tracking is one registered tracking ID (its first registration).
type tracking struct {
	id, guid, channel, plan string
	offer                   *offer
	registeredDay           int
	registeredSec           int
}

// trackRow is one line of tracking_ids.csv (a registration or a later edit).
type trackRow struct {
	t      *tracking
	offer  *offer
	plan   string
	day    int
	second int
}

type customer struct {
	id, billing    string
	geo            int
	city           int
	first, last    string
	email, company string
	license, ctype string
	reseller       int // -1 for none
	cloud          string
	subs           []string
	acquiredDay    int
}

type assetKind int

const (
	kindOrder assetKind = iota
	kindUsage
	kindTrial
)

// asset is one marketplace subscription: billed monthly (orders), metered
// daily (usage) or a free trial, bought by a customer and run in one of its
// Azure subscriptions and resource groups.
type asset struct {
	kind          assetKind
	offer         *offer
	plan          *plan
	cust          *customer
	msid, assetID string // marketplace subscription id, order (asset) id
	sub, rg       string // Azure subscription and resource group it runs in
	rgUnknown     bool   // usage rows carry no resource group
	startDay      int
	endDay        int // last active day (usage) or cancel day (orders); >= window end when open
	canceled      bool
	license       string
	billed        bool
	seats         int64
	intensity     int64
	meters        []int // usage: indexes into plan.meterID (and plan.dims)
	termMonths    int
	firstOfCust   bool
	private       bool
}

type optOut struct {
	kind, id string
	day      int // -1 when the date is unknown
}

type world struct {
	opt       Options
	cal       calendar
	fx        [][]int64 // [currency][month] USD per unit, 8 decimals
	pgas      []*pga
	partners  []*partner
	offers    []*offer
	trackRows []trackRow
	customers []*customer
	orders    []*asset
	usage     []*asset
	trials    []*asset
	optOuts   []optOut
	vendorIDs []string // other companies' tracking GUIDs, never registered here
}

const (
	licBilled   = "Billed through Azure"
	licBYOL     = "Bring Your Own License"
	licFree     = "Free"
	licReseller = "Microsoft as Reseller"
)

// Row volumes per unit of scale.
const (
	usageRowsPerScale  = 100_000
	orderRowsPerScale  = 8_000
	clickRowsPerScale  = 30_000
	trialsPerOrder     = 8 // one trial subscription per this many order subscriptions
	noisePerDeployment = 4 // one unrelated deployment per this many subscriptions
)

func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream^0x9e3779b97f4a7c15))
}

func newGUID(r *rand.Rand) string {
	var b [36]byte
	return string(appendGUID(b[:0], r.Uint64(), r.Uint64(), false))
}

// asciiFold spells accented letters of the name lists in ASCII for ids and
// email addresses.
var asciiFold = strings.NewReplacer(
	"á", "a", "à", "a", "ä", "a", "â", "a", "ã", "a", "å", "a", "é", "e", "è", "e", "ê", "e",
	"ë", "e", "í", "i", "ï", "i", "ó", "o", "ö", "o", "ô", "o", "õ", "o", "ø", "o", "ú", "u",
	"ü", "u", "ç", "c", "ñ", "n", "ß", "ss",
)

// slugify keeps the lower-case ASCII letters and digits of s.
func slugify(s string) string {
	var b strings.Builder
	for _, r := range asciiFold.Replace(strings.ToLower(s)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pick returns an index drawn with the given cumulative weights.
func pick(r *rand.Rand, cum []int64) int {
	x := r.Int64N(cum[len(cum)-1])
	return sort.Search(len(cum), func(i int) bool { return cum[i] > x })
}

func cumulative(n int, w func(i int) int64) []int64 {
	cum := make([]int64, n)
	var s int64
	for i := range cum {
		s += w(i)
		cum[i] = s
	}
	return cum
}

var geoCum = cumulative(len(geos), func(i int) int64 { return int64(geos[i].weight) })

func buildWorld(opt Options) *world {
	w := &world{opt: opt, cal: newCalendar(opt.Start, opt.Months)}
	w.buildFX(newRand(opt.Seed, 1))
	r := newRand(opt.Seed, 2)
	w.buildPartners(r)
	w.buildOffers(r)
	w.buildTracking(r)
	w.buildAssets(r)
	w.buildOptOuts(r)
	return w
}

// buildFX walks each currency's rate by up to ±1.5% a month from its base.
func (w *world) buildFX(r *rand.Rand) {
	w.fx = make([][]int64, len(currencies))
	for i, c := range currencies {
		rate := c.baseRate
		for range w.cal.months {
			if c.code != "USD" {
				rate += rate * (r.Int64N(301) - 150) / 10000
			}
			w.fx[i] = append(w.fx[i], rate)
		}
	}
}

// toLocal converts USD cents to minor units of currency ci at month m's rate.
func (w *world) toLocal(usdCents int64, ci, m int) int64 {
	c := currencies[ci]
	return mulDiv(usdCents*pow10[c.exp], 1_000_000, w.fx[ci][m])
}

// Scripted revenue shapes (USD per month, by months before the last month)
// for the first five companies, so that at scale 1 the trailing-twelve-month
// billed sales land in every band of the default tiers (25k / 100k / 1M / 4M).
const (
	shapeSmall   = iota // ~12k a year: below the first tier
	shapeDip            // passes 100k, then falls back to ~70k: unlocked, then dips
	shapeSummed         // three profiles of ~48k each: over 100k only when summed
	shapeGrowing        // ramps to ~2.2M: unlocks 1M inside the window
	shapeTop            // ~6.2M: unlocks the 4M top tier inside the window
	scriptedShapes
)

func shapeDollars(shape, before int) int64 {
	switch shape {
	case shapeSmall:
		return 1_000
	case shapeDip:
		if before >= 8 {
			return 15_000
		}
		return 1_000
	case shapeSummed:
		return 12_000
	case shapeGrowing:
		return max(30_000, 250_000-12_667*int64(before))
	default:
		return 520_000
	}
}

func (w *world) buildPartners(r *rand.Rand) {
	n := 3 + 2*w.opt.Scale
	months := len(w.cal.months)
	for i := range n {
		name := companyNames[i%len(companyNames)]
		if k := i / len(companyNames); k > 0 {
			name += " " + strconv.Itoa(k+1)
		}
		g := &pga{
			id:        strconv.Itoa(4100000 + 137*i),
			company:   name,
			slug:      slugify(name),
			archetype: -1,
		}
		g.email = "admin@" + g.slug + ".example"
		if i < scriptedShapes {
			g.archetype = i
			// Fixed cases at scale 1 so every readiness situation exists.
			g.contact = []contactCase{contactNone, contactLate, contactAccountEmail, contactNoPhone, contactGood}[i]
		} else {
			g.contact = contactCase(r.IntN(int(contactPending) + 1))
		}
		profiles := 1 + r.IntN(3)
		if g.archetype == shapeSummed {
			profiles = 3
		}
		// The company's monthly total, then split over its profiles.
		total := make([]int64, months)
		// Roughly log-uniform from 300 to 750k USD a month, in integers only so
		// that every platform draws the same budgets.
		lo := []int64{300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 750_000}
		k := r.IntN(len(lo) - 1)
		base := lo[k] + r.Int64N(lo[k+1]-lo[k])
		trend := r.Int64N(1201) - 600 // -60% .. +60% across the window
		for m := range total {
			if g.archetype >= 0 {
				total[m] = shapeDollars(g.archetype, months-1-m)
			} else {
				total[m] = max(50, base*(2000*int64(months)+trend*int64(2*m-months+1))/(2000*int64(months)))
			}
		}
		weights := make([]int64, profiles)
		var wsum int64
		for p := range weights {
			weights[p] = 1 + r.Int64N(10)
			if g.archetype == shapeSummed {
				weights[p] = 1
			}
			wsum += weights[p]
		}
		for p := range profiles {
			pt := &partner{idx: len(w.partners), pga: g, orderPct: 30 + r.Int64N(41)}
			pt.name = strings.TrimSpace(name + " " + profileSuffixes[p])
			pt.id = slugify(pt.name)
			pt.domain = pt.id + ".example"
			switch x := r.IntN(100); {
			case x < 80:
				pt.payout = currencyIndex("USD")
			case x < 92:
				pt.payout = currencyIndex("EUR")
			default:
				pt.payout = currencyIndex("GBP")
			}
			// Fixed at scale 1 so that usage pays out in more than one currency.
			if g.archetype == shapeDip && p == 0 {
				pt.payout = currencyIndex("EUR")
			}
			if g.archetype == shapeSummed && p == 2 {
				pt.payout = currencyIndex("GBP")
			}
			var annual int64
			for m := range total {
				noise := 900 + r.Int64N(201) // ±10%
				cents := total[m] * 100 * weights[p] / wsum * noise / 1000
				pt.budget = append(pt.budget, cents)
				annual += cents
			}
			pt.weight = int64(math.Sqrt(float64(annual/100))) + 20
			for range 1 + r.IntN(2) {
				pt.unregistered = append(pt.unregistered, newGUID(r))
			}
			perm := r.Perm(len(validCampaigns))
			for _, k := range perm[:2+r.IntN(3)] {
				pt.campaigns = append(pt.campaigns, validCampaigns[k])
			}
			g.partners = append(g.partners, pt)
			w.partners = append(w.partners, pt)
		}
		w.pgas = append(w.pgas, g)
	}
	for range 5 + w.opt.Scale {
		w.vendorIDs = append(w.vendorIDs, newGUID(r))
	}
}

func (w *world) buildOffers(r *rand.Rand) {
	for _, pt := range w.partners {
		perm := r.Perm(len(products))
		next := 0
		add := func(listing, offerType, storefront string, liveDay int) *offer {
			prod := products[perm[next%len(perm)]]
			next++
			o := &offer{
				partner: pt, listing: listing, offerType: offerType, storefront: storefront,
				liveDay: liveDay, name: pt.name + " " + prod, popularity: 1 + r.IntN(10),
			}
			o.slug = pt.id + "-" + slugify(prod)
			o.id = pt.id + "." + o.slug
			pt.offers = append(pt.offers, o)
			w.offers = append(w.offers, o)
			return o
		}
		randomLive := func() int {
			if r.IntN(10) == 0 { // a few go live inside the window, some very recently
				return r.IntN(w.cal.days())
			}
			return -30 - r.IntN(700)
		}
		store := func(appSourceShare int) string {
			if r.IntN(100) < appSourceShare {
				return "APPSOURCE"
			}
			return "AZUREMARKETPLACE"
		}
		// Every profile has a SaaS Transact offer live well before the window:
		// it carries the subscriptions that earn revenue in every month.
		pt.saas = add("Transact", "SaaS", store(30), -400-r.IntN(400))
		if big := pt.pga.archetype == shapeGrowing || pt.pga.archetype == shapeTop; big || r.IntN(2) == 0 {
			live := randomLive()
			if big { // so that scale 1 has plenty of VM usage
				live = -200 - r.IntN(200)
			}
			add("Transact", "Virtual Machine", "AZUREMARKETPLACE", live)
		}
		if r.IntN(5) < 2 {
			add("Transact", "Azure Application", "AZUREMARKETPLACE", randomLive())
		}
		add("Trial", []string{"SaaS", "Dynamics 365"}[r.IntN(2)], store(60), randomLive())
		add("List", []string{"SaaS", "Consulting Service"}[r.IntN(2)], store(60), randomLive())
		for _, o := range pt.offers {
			w.buildPlans(r, o)
		}
	}
}

func (w *world) buildPlans(r *rand.Rand, o *offer) {
	names := []string{"basic", "standard", "premium", "enterprise"}
	n := 1
	if o.listing == "Transact" {
		n = 2 + r.IntN(2)
	}
	for i := range n {
		p := &plan{id: names[i], vm: -1}
		p.sku = strings.ToUpper(names[i][:1]) + names[i][1:]
		if o.offerType == "Virtual Machine" {
			p.vm = r.IntN(len(vmSizes))
			p.sku = vmSizes[p.vm].name
			p.meterID = []string{newGUID(r)}
		} else {
			for _, d := range r.Perm(len(dimensions))[:2] {
				p.dims = append(p.dims, d)
				p.meterID = append(p.meterID, newGUID(r))
			}
		}
		o.plans = append(o.plans, p)
	}
}

// buildTracking registers tracking IDs: one per Transact or Trial offer and
// channel (some per plan), a Partner Center ID for Azure Applications, a few
// bare Terraform GUIDs, and a few later edits that move an ID to another plan
// or offer.
func (w *world) buildTracking(r *rand.Rand) {
	for _, o := range w.offers {
		if o.listing == "List" {
			continue
		}
		reg := func(channel, id, guid, planID string) {
			t := &tracking{id: id, guid: guid, channel: channel, plan: planID, offer: o}
			// Registration is usually soon after go-live, sometimes late, so that
			// some deployments happen before their ID is registered.
			t.registeredDay = max(o.liveDay, -400) + r.IntN(30)
			if r.IntN(4) == 0 {
				t.registeredDay += 60 + r.IntN(240)
			}
			t.registeredSec = r.IntN(86400)
			o.tracks = append(o.tracks, t)
			w.trackRows = append(w.trackRows, trackRow{t: t, offer: o, plan: planID, day: t.registeredDay, second: t.registeredSec})
			if r.IntN(20) == 0 { // an edit: applies to later deployments only
				other := o
				planAfter := o.plans[r.IntN(len(o.plans))].id
				if r.IntN(2) == 0 {
					other = o.partner.offers[r.IntN(len(o.partner.offers))]
					planAfter = ""
				}
				w.trackRows = append(w.trackRows, trackRow{
					t: t, offer: other, plan: planAfter,
					day: t.registeredDay + 30 + r.IntN(120), second: r.IntN(86400),
				})
			}
		}
		perPlan := o.listing == "Transact" && r.IntN(6) == 0
		if perPlan {
			for _, p := range o.plans {
				g := newGUID(r)
				reg("ARM", "pid-"+g, g, p.id)
			}
		} else {
			g := newGUID(r)
			reg("ARM", "pid-"+g, g, "")
		}
		if r.IntN(2) == 0 {
			g := newGUID(r)
			id := "pid-" + g
			if r.IntN(3) == 0 {
				id = g // registered as Terraform's bare partner_id
			}
			reg("Terraform", id, g, "")
		}
		if r.IntN(5) < 2 {
			g := newGUID(r)
			reg("SDK", "pid-"+g, g, "")
		}
		if o.offerType == "Azure Application" {
			reg("AzureApp", "pid-"+o.slug+"-partnercenter", "", "")
		}
	}
}

// buildAssets creates customers and their marketplace subscriptions until the
// order and usage rows they will produce reach the targets for the scale.
func (w *world) buildAssets(r *rand.Rand) {
	days := w.cal.days()
	partnerCum := cumulative(len(w.partners), func(i int) int64 { return w.partners[i].weight })

	newCustomer := func(day int) *customer {
		gi := pick(r, geoCum)
		c := &customer{
			id: newGUID(r), billing: newGUID(r), geo: gi, city: r.IntN(len(geos[gi].cities)),
			first: firstNames[r.IntN(len(firstNames))], last: lastNames[r.IntN(len(lastNames))],
			company:     customerFirstWords[r.IntN(len(customerFirstWords))] + " " + customerSecondWords[r.IntN(len(customerSecondWords))],
			reseller:    -1,
			cloud:       "Azure Global",
			acquiredDay: day,
		}
		c.email = strings.ToLower(slugify(c.first)+"."+slugify(c.last)) + "@" + slugify(c.company) + ".example"
		switch x := r.IntN(100); {
		case x < 45:
			c.license, c.ctype = "Pay as You Go", "Individual"
		case x < 75:
			c.license, c.ctype = "Enterprise", "Company"
		case x < 90:
			c.license, c.ctype = "Cloud Solution Provider", "Company"
			c.reseller = r.IntN(len(resellers))
		default:
			c.license, c.ctype = "Enterprise through Reseller", "Company"
			c.reseller = r.IntN(len(resellers))
		}
		if geos[gi].country == "US" && r.IntN(50) == 0 {
			c.cloud = "Azure Government"
		}
		for range 1 + r.IntN(3) {
			c.subs = append(c.subs, newGUID(r))
		}
		w.customers = append(w.customers, c)
		return c
	}
	customerFor := func(day int) (*customer, bool) {
		if len(w.customers) > 0 && r.IntN(100) < 35 {
			return w.customers[r.IntN(len(w.customers))], false
		}
		return newCustomer(day), true
	}
	newAsset := func(kind assetKind, o *offer, start int, anchor bool) *asset {
		c, first := customerFor(start)
		a := &asset{
			kind: kind, offer: o, plan: o.plans[r.IntN(len(o.plans))], cust: c,
			msid: newGUID(r), assetID: newGUID(r),
			sub:      c.subs[r.IntN(len(c.subs))],
			rg:       "rg-" + slugify(o.name[len(o.partner.name):]) + "-" + []string{"prod", "dev", "shared", "eu", "analytics"}[r.IntN(5)],
			startDay: start, endDay: days + 365,
			license: licBilled, billed: true,
			seats: 1 + r.Int64N(40), intensity: 1 + r.Int64N(10),
			termMonths: 1, firstOfCust: first, private: r.IntN(10) == 0,
		}
		if r.IntN(4) == 0 {
			a.termMonths = 12
		}
		if !anchor && r.IntN(100) < 35 {
			if end := start + 30 + r.IntN(330); end < days {
				a.endDay, a.canceled = end, true
			}
		}
		return a
	}
	randomStart := func(o *offer) int {
		return max(o.liveDay+r.IntN(30), r.IntN(days+180)-180, -400) // never before go-live
	}
	usageRows := func(a *asset) int64 {
		return int64(max(0, min(a.endDay, days-1)-max(a.startDay, 0)+1) * len(a.meters))
	}
	orderRows := func(a *asset) int64 {
		last := len(w.cal.months) - 1
		if a.canceled {
			last = w.cal.monthOf(a.endDay)
		}
		return int64(max(0, last-max(w.cal.monthOf(a.startDay), 0)+1))
	}
	setMeters := func(a *asset) {
		n := 1 + r.IntN(2)
		if a.offer.offerType == "Virtual Machine" {
			n = 1 // one meter per VM size
		}
		a.meters = r.Perm(len(a.plan.meterID))[:n]
	}
	// usageOffers lists the Transact offers, a VM offer (if any) last.
	usageOffers := func(pt *partner) []*offer {
		var out []*offer
		var vm *offer
		for _, o := range pt.offers {
			switch {
			case o.listing != "Transact":
			case o.offerType == "Virtual Machine":
				vm = o
			default:
				out = append(out, o)
			}
		}
		if vm != nil {
			out = append(out, vm)
		}
		return out
	}
	orderOffers := func(pt *partner) []*offer {
		var out []*offer
		for _, o := range pt.offers {
			if o.listing == "Transact" && o.offerType != "Virtual Machine" {
				out = append(out, o)
			}
		}
		return out
	}

	// Anchors: one order and one usage subscription per profile, active over
	// the whole window, so every month's revenue has somewhere to land.
	var uRows, oRows int64
	for _, pt := range w.partners {
		o := newAsset(kindOrder, pt.saas, -300-r.IntN(60), true)
		w.orders = append(w.orders, o)
		oRows += orderRows(o)
		u := newAsset(kindUsage, pt.saas, -300-r.IntN(60), true)
		setMeters(u)
		w.usage = append(w.usage, u)
		uRows += usageRows(u)
	}
	scale := int64(w.opt.Scale)
	monthsFactor := int64(len(w.cal.months))
	usageTarget := usageRowsPerScale * scale * monthsFactor / 16
	orderTarget := orderRowsPerScale * scale * monthsFactor / 16
	for uRows < usageTarget {
		pt := w.partners[pick(r, partnerCum)]
		offers := usageOffers(pt)
		o := offers[r.IntN(len(offers))]
		if vm := offers[len(offers)-1]; vm.offerType == "Virtual Machine" && r.IntN(100) < 40 {
			o = vm // VM offers meter every hour: give them a fair share of readings
		}
		a := newAsset(kindUsage, o, randomStart(o), false)
		if o.offerType == "Virtual Machine" && r.IntN(100) < 8 {
			a.license, a.billed = licBYOL, false
		}
		a.rgUnknown = r.IntN(10) == 0
		setMeters(a)
		if usageRows(a) == 0 {
			continue
		}
		w.usage = append(w.usage, a)
		uRows += usageRows(a)
	}
	for oRows < orderTarget {
		pt := w.partners[pick(r, partnerCum)]
		offers := orderOffers(pt)
		o := offers[r.IntN(len(offers))]
		a := newAsset(kindOrder, o, randomStart(o), false)
		switch x := r.IntN(100); {
		case x < 5:
			a.license, a.billed = licBYOL, false
		case x < 9:
			a.license, a.billed = licFree, false
		case x < 12:
			a.license, a.billed = licReseller, false
		}
		if orderRows(a) == 0 {
			continue
		}
		w.orders = append(w.orders, a)
		oRows += orderRows(a)
	}
	// Free trials of the Trial offers: one order row each, no charges.
	for range len(w.orders) / trialsPerOrder {
		pt := w.partners[pick(r, partnerCum)]
		var trial *offer
		for _, o := range pt.offers {
			if o.listing == "Trial" {
				trial = o
			}
		}
		start := max(trial.liveDay, 0) + r.IntN(max(1, days-max(trial.liveDay, 0)))
		a := newAsset(kindTrial, trial, start, false)
		a.license, a.billed, a.canceled, a.endDay = licFree, false, false, start+30
		w.trials = append(w.trials, a)
	}
}

// buildOptOuts picks a few Azure subscriptions and tenants that run metered
// usage and opts them out of tracking.
func (w *world) buildOptOuts(r *rand.Rand) {
	days := w.cal.days()
	when := func() int {
		if r.IntN(10) == 0 {
			return -1
		}
		return r.IntN(days)
	}
	nSubs := max(3, len(w.usage)/100)
	for _, i := range r.Perm(len(w.usage))[:min(nSubs, len(w.usage))] {
		w.optOuts = append(w.optOuts, optOut{kind: "subscription", id: w.usage[i].sub, day: when()})
	}
	nTenants := max(2, len(w.usage)/200)
	for _, i := range r.Perm(len(w.usage))[:min(nTenants, len(w.usage))] {
		w.optOuts = append(w.optOuts, optOut{kind: "tenant", id: w.usage[i].cust.id, day: when()})
	}
}
