package gen

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// generated caches one generation per (scale, seed, copy) for the whole run:
// several tests read the same scale-1 output.
var (
	genRoot  string
	genMu    sync.Mutex
	genCache = map[string]Summary{}
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gen-test-")
	if err != nil {
		panic(err)
	}
	genRoot = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func generated(t *testing.T, scale int, seed int64, copyName string) Summary {
	t.Helper()
	genMu.Lock()
	defer genMu.Unlock()
	key := filepath.Join(genRoot, fmt.Sprintf("%s-scale%d-seed%d", copyName, scale, seed))
	if s, ok := genCache[key]; ok {
		return s
	}
	s, err := Generate(context.Background(), key, Options{Scale: scale, Seed: seed})
	if err != nil {
		t.Fatalf("Generate(scale %d, seed %d): %v", scale, seed, err)
	}
	genCache[key] = s
	return s
}

func readTable(t *testing.T, path string) (header []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if strings.HasSuffix(path, ".jsonl") {
		return readJSONL(t, f)
	}
	r := csv.NewReader(f)
	if strings.HasSuffix(path, ".tsv") {
		r.Comma = '\t'
	}
	all, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return all[0], all[1:]
}

// readJSONL keeps the key order of the first object as the header.
func readJSONL(t *testing.T, f io.Reader) (header []string, rows [][]string) {
	t.Helper()
	dec := json.NewDecoder(f)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return header, rows
		}
		if err != nil {
			t.Fatal(err)
		}
		if tok != json.Delim('{') {
			t.Fatalf("want an object, got %v", tok)
		}
		var keys, vals []string
		for dec.More() {
			k, _ := dec.Token()
			v, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k.(string))
			vals = append(vals, v.(string))
		}
		if _, err := dec.Token(); err != nil {
			t.Fatal(err)
		}
		if header == nil {
			header = keys
		} else if !slices.Equal(header, keys) {
			t.Fatalf("keys %v differ from %v", keys, header)
		}
		rows = append(rows, vals)
	}
}

var (
	readMu    sync.Mutex
	readCache = map[string][]map[string]string{}
)

// dataset reads every file of a dataset as maps from column to value (once
// per run: the rows are only read, never changed).
func dataset(t *testing.T, s Summary, name string) []map[string]string {
	t.Helper()
	readMu.Lock()
	defer readMu.Unlock()
	key := s.Dir + "|" + name
	if rows, ok := readCache[key]; ok {
		return rows
	}
	var out []map[string]string
	for _, f := range s.Files {
		if f.Dataset != name {
			continue
		}
		header, rows := readTable(t, f.Path)
		for _, row := range rows {
			m := make(map[string]string, len(header))
			for i, h := range header {
				m[h] = row[i]
			}
			out = append(out, m)
		}
	}
	readCache[key] = out
	return out
}

func TestDeterminism(t *testing.T) {
	base := generated(t, 1, 1, "a")
	tests := []struct {
		name      string
		other     Summary
		wantEqual bool
	}{
		{"same seed gives the same bytes", generated(t, 1, 1, "b"), true},
		{"another seed gives other bytes", generated(t, 1, 2, "a"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.other.Files) != len(base.Files) {
				t.Fatalf("%d files, want %d", len(tc.other.Files), len(base.Files))
			}
			differing := 0
			for i, f := range base.Files {
				a, err := os.ReadFile(f.Path)
				if err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(tc.other.Files[i].Path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a, b) {
					differing++
					if tc.wantEqual {
						t.Errorf("%s differs between two runs of the same seed", filepath.Base(f.Path))
					}
				}
			}
			// fx rates and partners may coincide by chance; the big files must not.
			if !tc.wantEqual && differing < len(base.Files)-2 {
				t.Errorf("only %d of %d files differ between seeds", differing, len(base.Files))
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	s := generated(t, 1, 1, "a")
	want := map[string]string{
		"orders.csv":               "MarketplaceSubscriptionId,MonthStartDate,OfferType,OfferName,SKU,PlanId,AzureLicenseType,MarketplaceLicenseType,CustomerId,BillingAccountId,CustomerName,CustomerCompanyName,CustomerCountry,IsNewCustomer,OrderStatus,OrderAction,OrderPurchaseDate,OrderCancelDate,TermStartDate,TermEndDate,OrderQuantity,EstimatedCharges,Currency,AssetId,PurchaseRecordId,PurchaseRecordLineItemId,IsPrivateOffer,IsTrial,TrialEndDate,CloudInstanceName,EventTimestamp,OrderVersion,PublisherId,OfferId,IsFraud",
		"usage.csv":                "MarketplaceSubscriptionId,UsageDate,OfferType,OfferName,SKU,PlanId,CustomerId,CustomerCountry,VMSize,CoreSize,UsageType,MeterId,MeterDimension,UsageUnit,NormalizedUsage,RawUsage,MeteredUsage,EstimatedExtendedChargeCC,CustomerCurrencyCC,EstimatedExtendedChargePC,PayoutCurrencyPC,MarketplaceLicenseType,ReferenceId,PublisherId,OfferId,AzureSubscriptionId,ResourceGroup,IsFraud",
		"customers.csv":            "CustomerId,BillingAccountId,MarketplaceSubscriptionId,DateAcquired,DateLost,ProviderName,ProviderEmail,FirstName,LastName,Email,CustomerCompanyName,CustomerCity,CustomerPostalCode,CustomerState,CustomerCountryRegion,CustomerCommunicationCulture,AzureLicenseType,CustomerType,CloudInstanceName,PublisherId",
		"deployments.csv":          "DeploymentId,Timestamp,SubscriptionId,CustomerTenantId,ResourceGroup,DeploymentName,UserAgent,PartnerId,Status,Region",
		"clicks.jsonl":             "Timestamp,SessionId,OfferId,Site,Action,LandingUrl,ReferralDomain,Country",
		"partners.csv":             "PartnerId,PgaId,PartnerName,CompanyName,AccountEmail",
		"offers.csv":               "OfferId,PartnerId,OfferName,ListingType,Storefront,LiveDate",
		"tracking_ids.csv":         "TrackingId,PartnerId,OfferId,Channel,PlanId,RegisteredAt",
		"contacts.csv":             "PgaId,Name,Email,Phone,Language,AssignedAt,ContactedAt",
		"opt_outs.csv":             "Kind,Id,OptedOutAt",
		"fx_rates.tsv":             "Currency,Month,RateToUsd",
		"qos.csv":                  "OfferId,Sku,DeploymentStatus,DeploymentCorrelationId,SubscriptionId,CustomerTenantId,CustomerName,TemplateType,StartTime,EndTime,DeploymentDurationInMilliSeconds,DeploymentRegion,ResourceProvider,ResourceUri,ResourceGroup,ResourceType,ResourceName,ErrorCode,ErrorName,ErrorMessage,DeepErrorCode,DeepErrorMessage",
		"marketplace_insights.csv": "Date,OfferName,ReferralDomain,CountryName,PageVisits,GetItNow,ContactMe,TestDrive,FreeTrial,consentGivenCount,Site,Campaign",
	}
	if len(s.Files) != len(want) {
		t.Errorf("%d files, want %d", len(s.Files), len(want))
	}
	for _, f := range s.Files {
		name := filepath.Base(f.Path)
		t.Run(name, func(t *testing.T) {
			header, rows := readTable(t, f.Path)
			if got := strings.Join(header, ","); got != want[name] {
				t.Errorf("header\n got %s\nwant %s", got, want[name])
			}
			if int64(len(rows)) != f.Rows {
				t.Errorf("summary says %d rows, file has %d", f.Rows, len(rows))
			}
			for i, row := range rows {
				if len(row) != len(header) {
					t.Fatalf("row %d has %d fields, header %d", i+1, len(row), len(header))
				}
			}
		})
	}
}

func TestRowsScaleLinearly(t *testing.T) {
	one, two := generated(t, 1, 1, "a"), generated(t, 2, 1, "a")
	tests := []struct {
		dataset  string
		min, max int64 // bounds on rows at scale 1
	}{
		{"usage", 95_000, 110_000},
		{"orders", 7_000, 11_000},
		{"clicks", 25_000, 35_000},
		{"deployments", 2_000, 10_000},
		{"customers", 800, 3_000},
	}
	for _, tc := range tests {
		t.Run(tc.dataset, func(t *testing.T) {
			a, b := one.Rows[tc.dataset], two.Rows[tc.dataset]
			if a < tc.min || a > tc.max {
				t.Errorf("scale 1: %d rows, want %d to %d", a, tc.min, tc.max)
			}
			if ratio := float64(b) / float64(a); ratio < 1.8 || ratio > 2.2 {
				t.Errorf("scale 2 / scale 1 = %d / %d = %.2f, want about 2", b, a, ratio)
			}
		})
	}
}

func TestMonthsCovered(t *testing.T) {
	s := generated(t, 1, 1, "a")
	wantFirst, wantLast := "2025-07", "2026-10" // 16 months ending with the default end
	tests := []struct {
		dataset, column string
	}{
		{"orders", "MonthStartDate"},
		{"usage", "UsageDate"},
		{"clicks", "Timestamp"},
		{"fx_rates", "Month"},
	}
	for _, tc := range tests {
		t.Run(tc.dataset, func(t *testing.T) {
			months := map[string]bool{}
			for _, row := range dataset(t, s, tc.dataset) {
				if v := row[tc.column]; len(v) >= 7 && validDate(v[:min(len(v), 10)]) {
					months[v[:7]] = true
				}
			}
			keys := sortedKeys(months)
			if len(keys) != 16 || keys[0] != wantFirst || keys[len(keys)-1] != wantLast {
				t.Errorf("months %v, want 16 from %s to %s", keys, wantFirst, wantLast)
			}
		})
	}
}

func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

var (
	guidRE     = regexp.MustCompile(`(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	pidRE      = regexp.MustCompile(`(?i)pid-[0-9a-z-]+`)
	wellFormed = regexp.MustCompile(`(?i)^pid-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-\d{8})?$`)
	campaignR  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,16}$`)
)

// pidTokens are the pid- tokens of a deployment (name, user agent) plus the
// Terraform partner id.
func pidTokens(row map[string]string) []string {
	out := pidRE.FindAllString(row["DeploymentName"]+" "+row["UserAgent"], -1)
	if row["PartnerId"] != "" {
		out = append(out, "pid-"+row["PartnerId"])
	}
	return out
}

func TestSpecialCases(t *testing.T) {
	s := generated(t, 1, 1, "a")
	deployments := dataset(t, s, "deployments")
	clicks := dataset(t, s, "clicks")
	orders := dataset(t, s, "orders")
	usage := dataset(t, s, "usage")
	tracking := dataset(t, s, "tracking_ids")
	registered := map[string]time.Time{}
	for _, r := range tracking {
		id := strings.ToLower(r["TrackingId"])
		if !strings.HasPrefix(id, "pid-") {
			id = "pid-" + id
		}
		at, _ := time.Parse(time.RFC3339, r["RegisteredAt"])
		if old, ok := registered[id]; !ok || at.Before(old) {
			registered[id] = at
		}
	}
	optedOut := map[string]bool{}
	for _, r := range dataset(t, s, "opt_outs") {
		optedOut[r["Kind"]+":"+r["Id"]] = true
	}
	accountEmail := map[string]string{}
	for _, r := range dataset(t, s, "partners") {
		accountEmail[r["PgaId"]] = r["AccountEmail"]
	}
	contacts := dataset(t, s, "contacts")

	countDeployments := func(pred func(row map[string]string, tok string) bool) int {
		n := 0
		for _, row := range deployments {
			for _, tok := range pidTokens(row) {
				if pred(row, tok) {
					n++
				}
			}
		}
		return n
	}
	isGUIDToken := func(tok string) bool { return guidRE.MatchString(strings.TrimPrefix(strings.ToLower(tok), "pid-")) }
	campaignOf := func(row map[string]string) (string, bool) {
		u := row["LandingUrl"]
		i := strings.IndexByte(u, '?')
		if i < 0 {
			return "", false
		}
		for _, kv := range strings.Split(u[i+1:], "&") {
			k, v, _ := strings.Cut(kv, "=")
			if strings.EqualFold(k, "mktcmpid") {
				return v, true
			}
		}
		return "", false
	}
	count := func(rows []map[string]string, pred func(map[string]string) bool) int {
		n := 0
		for _, r := range rows {
			if pred(r) {
				n++
			}
		}
		return n
	}

	tests := []struct {
		name string
		got  func() int
		min  int
	}{
		{"registered pid in deployments", func() int {
			return countDeployments(func(_ map[string]string, tok string) bool { _, ok := registered[strings.ToLower(tok)]; return ok })
		}, 100},
		{"unregistered well-formed pid", func() int {
			return countDeployments(func(_ map[string]string, tok string) bool {
				_, ok := registered[strings.ToLower(tok)]
				return !ok && isGUIDToken(tok)
			})
		}, 20},
		{"malformed pid token", func() int {
			return countDeployments(func(_ map[string]string, tok string) bool {
				return !wellFormed.MatchString(tok) && !strings.HasSuffix(tok, "-partnercenter")
			})
		}, 10},
		{"deployment before its ID was registered", func() int {
			return countDeployments(func(row map[string]string, tok string) bool {
				at, ok := registered[strings.ToLower(tok)]
				ts, _ := time.Parse(time.RFC3339, row["Timestamp"])
				return ok && ts.Before(at)
			})
		}, 5},
		{"upper-case GUID", func() int {
			return countDeployments(func(_ map[string]string, tok string) bool {
				return isGUIDToken(tok) && tok[4:] != strings.ToLower(tok[4:])
			})
		}, 5},
		{"two pid tokens in one user agent", func() int {
			return count(deployments, func(r map[string]string) bool { return len(pidRE.FindAllString(r["UserAgent"], -1)) >= 2 })
		}, 2},
		{"Terraform partner id", func() int { return count(deployments, func(r map[string]string) bool { return r["PartnerId"] != "" }) }, 20},
		{"Partner Center tracking ID", func() int {
			return count(tracking, func(r map[string]string) bool { return strings.HasSuffix(r["TrackingId"], "-partnercenter") })
		}, 1},
		{"invalid mktcmpid", func() int {
			return count(clicks, func(r map[string]string) bool {
				v, ok := campaignOf(r)
				return ok && !campaignR.MatchString(v) && !strings.Contains(v, "%")
			})
		}, 50},
		{"click without campaign", func() int {
			return count(clicks, func(r map[string]string) bool { _, ok := campaignOf(r); return !ok })
		}, 1000},
		{"upper-case parameter name", func() int {
			return count(clicks, func(r map[string]string) bool {
				return strings.Contains(r["LandingUrl"], "MKTCMPID=") || strings.Contains(r["LandingUrl"], "SRC=")
			})
		}, 50},
		{"percent-encoded value", func() int {
			return count(clicks, func(r map[string]string) bool {
				return strings.Contains(r["LandingUrl"], "%2D") || strings.Contains(r["LandingUrl"], "%5F")
			})
		}, 50},
		{"funnel: consent after a call to action", func() int {
			return count(clicks, func(r map[string]string) bool { return r["Action"] == "ConsentGiven" })
		}, 1000},
		{"opted-out subscription that has usage", func() int {
			return count(usage, func(r map[string]string) bool { return optedOut["subscription:"+r["AzureSubscriptionId"]] })
		}, 1},
		{"opted-out tenant that has usage", func() int {
			return count(usage, func(r map[string]string) bool { return optedOut["tenant:"+r["CustomerId"]] })
		}, 1},
		{"canceled order", func() int {
			return count(orders, func(r map[string]string) bool { return r["OrderStatus"] == "Canceled" })
		}, 10},
		{"refund", func() int {
			return count(orders, func(r map[string]string) bool {
				return r["OrderAction"] == "Refund" && strings.HasPrefix(r["EstimatedCharges"], "-")
			})
		}, 3},
		{"amended order (version 2)", func() int { return count(orders, func(r map[string]string) bool { return r["OrderVersion"] == "2" }) }, 50},
		{"fraud orders", func() int { return count(orders, func(r map[string]string) bool { return r["IsFraud"] == "true" }) }, 3},
		{"fraud usage", func() int { return count(usage, func(r map[string]string) bool { return r["IsFraud"] == "true" }) }, 10},
		{"BYOL and free orders", func() int {
			return count(orders, func(r map[string]string) bool {
				return r["MarketplaceLicenseType"] == "Bring Your Own License" || r["MarketplaceLicenseType"] == "Free"
			})
		}, 50},
		{"free trials", func() int { return count(orders, func(r map[string]string) bool { return r["IsTrial"] == "true" }) }, 20},
		{"order with an unknown currency", func() int { return count(orders, func(r map[string]string) bool { return r["Currency"] == "US$" }) }, 1},
		{"order with a negative quantity", func() int {
			return count(orders, func(r map[string]string) bool { return strings.HasPrefix(r["OrderQuantity"], "-") })
		}, 1},
		{"order with a bad status", func() int {
			return count(orders, func(r map[string]string) bool { return r["OrderStatus"] == "Pending" })
		}, 1},
		{"order with a bad date", func() int {
			return count(orders, func(r map[string]string) bool { return !validDate(r["MonthStartDate"]) })
		}, 1},
		{"order without AssetId", func() int { return count(orders, func(r map[string]string) bool { return r["AssetId"] == "" }) }, 1},
		{"usage with a bad date", func() int { return count(usage, func(r map[string]string) bool { return !validDate(r["UsageDate"]) }) }, 10},
		{"usage without ReferenceId", func() int { return count(usage, func(r map[string]string) bool { return r["ReferenceId"] == "" }) }, 10},
		{"usage with a negative quantity", func() int {
			return count(usage, func(r map[string]string) bool { return strings.HasPrefix(r["RawUsage"], "-") })
		}, 10},
		{"usage without resource group", func() int { return count(usage, func(r map[string]string) bool { return r["ResourceGroup"] == "" }) }, 100},
		{"company without contact", func() int {
			has := map[string]bool{}
			for _, c := range contacts {
				has[c["PgaId"]] = true
			}
			return len(accountEmail) - len(has)
		}, 1},
		{"contact with the account's email", func() int {
			return count(contacts, func(r map[string]string) bool { return r["Email"] == accountEmail[r["PgaId"]] })
		}, 1},
		{"contact without phone", func() int { return count(contacts, func(r map[string]string) bool { return r["Phone"] == "" }) }, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.got(); got < tc.min {
				t.Errorf("found %d, want at least %d", got, tc.min)
			}
		})
	}

	t.Run("bad rows are about 0.2%", func(t *testing.T) {
		bad := count(usage, func(r map[string]string) bool {
			return !validDate(r["UsageDate"]) || r["ReferenceId"] == "" || strings.HasPrefix(r["RawUsage"], "-") || r["CustomerCurrencyCC"] == "EURO"
		})
		if share := float64(bad) / float64(len(usage)); share < 0.001 || share > 0.004 {
			t.Errorf("%d bad usage rows of %d (%.3f%%)", bad, len(usage), 100*share)
		}
	})
	t.Run("several currencies, USD the majority", func(t *testing.T) {
		per := map[string]int{}
		for _, r := range orders {
			per[r["Currency"]]++
		}
		if len(per) < 6 || per["USD"]*2 < len(orders) {
			t.Errorf("order currencies %v", per)
		}
	})
}

// TestTierBands recomputes, from the files alone, what a correct pipeline
// counts as marketplace-billed sales per company (latest order versions,
// billed through Azure, not canceled, not fraud, valid rows, usage in payout
// currency, USD at the month's rate) and checks the scale-1 story: a company
// in every band of the default tiers, one that crosses only when its profiles
// are summed, one that dips after unlocking.
func TestTierBands(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) { checkTierBands(t, generated(t, 1, seed, "a")) })
	}
}

func checkTierBands(t *testing.T, s Summary) {
	rates := map[string]*big.Rat{} // currency|YYYY-MM
	for _, r := range dataset(t, s, "fx_rates") {
		rat, ok := new(big.Rat).SetString(r["RateToUsd"])
		if !ok {
			t.Fatalf("rate %q", r["RateToUsd"])
		}
		rates[r["Currency"]+"|"+r["Month"][:7]] = rat
	}
	pgaOf := map[string]string{}
	for _, r := range dataset(t, s, "partners") {
		pgaOf[r["PartnerId"]] = r["PgaId"]
	}
	sales := map[string]map[string]*big.Rat{} // partner → month → USD
	add := func(partner, month, amount, cur string) {
		rate, ok := rates[cur+"|"+month]
		v, ok2 := new(big.Rat).SetString(amount)
		if !ok || !ok2 {
			return // a deliberately bad row: ingest rejects it
		}
		if sales[partner] == nil {
			sales[partner] = map[string]*big.Rat{}
		}
		if sales[partner][month] == nil {
			sales[partner][month] = new(big.Rat)
		}
		sales[partner][month].Add(sales[partner][month], v.Mul(v, rate))
	}
	latest := map[string]map[string]string{}
	for _, r := range dataset(t, s, "orders") {
		if r["AssetId"] == "" || !validDate(r["MonthStartDate"]) || strings.HasPrefix(r["OrderQuantity"], "-") || r["OrderStatus"] == "Pending" {
			continue
		}
		key := r["AssetId"] + "|" + r["PurchaseRecordLineItemId"]
		if old, ok := latest[key]; !ok || old["OrderVersion"] < r["OrderVersion"] {
			latest[key] = r
		}
	}
	for _, key := range sortedKeys(func() map[string]bool {
		m := map[string]bool{}
		for k := range latest {
			m[k] = true
		}
		return m
	}()) {
		r := latest[key]
		if r["MarketplaceLicenseType"] == licBilled && r["OrderStatus"] != "Canceled" && r["IsFraud"] == "false" {
			add(r["PublisherId"], r["MonthStartDate"][:7], r["EstimatedCharges"], r["Currency"])
		}
	}
	for _, r := range dataset(t, s, "usage") {
		if r["ReferenceId"] == "" || !validDate(r["UsageDate"]) || strings.HasPrefix(r["RawUsage"], "-") {
			continue
		}
		if r["MarketplaceLicenseType"] == licBilled && r["IsFraud"] == "false" {
			add(r["PublisherId"], r["UsageDate"][:7], r["EstimatedExtendedChargePC"], r["PayoutCurrencyPC"])
		}
	}

	w := newCalendar(StartFor(DefaultEnd, DefaultMonths), DefaultMonths)
	ttm := func(partner string, end int) float64 { // trailing twelve months to month end
		sum := new(big.Rat)
		for m := max(0, end-11); m <= end; m++ {
			if v := sales[partner][w.months[m].Format("2006-01")]; v != nil {
				sum.Add(sum, v)
			}
		}
		f, _ := sum.Float64()
		return f
	}
	last := DefaultMonths - 1
	thresholds := []float64{25_000, 100_000, 1_000_000, 4_000_000}
	band := func(v float64) int {
		b := 0
		for _, th := range thresholds {
			if v >= th {
				b++
			}
		}
		return b
	}
	profiles := map[string][]string{}
	for _, p := range sortedKeys(func() map[string]bool {
		m := map[string]bool{}
		for p := range pgaOf {
			m[p] = true
		}
		return m
	}()) {
		profiles[pgaOf[p]] = append(profiles[pgaOf[p]], p)
	}
	companyTTM := func(pga string, end int) float64 {
		var v float64
		for _, p := range profiles[pga] {
			v += ttm(p, end)
		}
		return v
	}

	bands := map[int]int{}
	summed, dipped := 0, 0
	for pga, ps := range profiles {
		final := companyTTM(pga, last)
		bands[band(final)]++
		for _, th := range thresholds {
			allBelow := true
			for _, p := range ps {
				allBelow = allBelow && ttm(p, last) < th
			}
			if final >= th && allBelow && len(ps) > 1 {
				summed++
			}
			for m := range last {
				if companyTTM(pga, m) >= th && final < th {
					dipped++
					break
				}
			}
		}
		t.Logf("PGA %s: %d profiles, trailing-12-month billed sales USD %.0f", pga, len(ps), final)
	}
	tests := []struct {
		name string
		got  int
	}{
		{"below 25k", bands[0]},
		{"25k to 100k", bands[1]},
		{"100k to 1M", bands[2]},
		{"1M to 4M", bands[3]},
		{"4M and over", bands[4]},
		{"crosses a threshold only when profiles are summed", summed},
		{"dips below a threshold after unlocking it", dipped},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got < 1 {
				t.Errorf("no company")
			}
		})
	}
}

func TestUsageSplitsIntoMonthlyFiles(t *testing.T) {
	tests := []struct {
		scale     int
		wantFiles []string
	}{
		{1, []string{"usage.csv"}},
		{splitUsageFromScale, []string{"usage_2026-07.csv", "usage_2026-08.csv", "usage_2026-09.csv", "usage_2026-10.csv"}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("scale %d", tc.scale), func(t *testing.T) {
			opt, err := Options{Scale: tc.scale, Months: 4}.normalized()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, j := range buildWorld(opt).jobs() {
				if j.dataset == "usage" {
					got = append(got, j.name)
				}
			}
			if !slices.Equal(got, tc.wantFiles) {
				t.Errorf("usage files %v, want %v", got, tc.wantFiles)
			}
		})
	}
}

func TestOptions(t *testing.T) {
	tests := []struct {
		name      string
		in        Options
		wantErr   bool
		wantStart string
		wantScale int
	}{
		{"defaults", Options{}, false, "2025-07-01", 1},
		{"explicit start is truncated to its month", Options{Start: time.Date(2024, 3, 17, 5, 0, 0, 0, time.UTC), Months: 14}, false, "2024-03-01", 1},
		{"negative scale", Options{Scale: -1}, true, "", 0},
		{"too many months", Options{Months: 121}, true, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.normalized()
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if s := got.Start.Format("2006-01-02"); s != tc.wantStart || got.Scale != tc.wantScale {
				t.Errorf("start %s scale %d, want %s and %d", s, got.Scale, tc.wantStart, tc.wantScale)
			}
		})
	}
}

func TestGenerateStopsWhenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	if _, err := Generate(ctx, dir, Options{Seed: 1}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("left %d files behind", len(entries))
	}
}
