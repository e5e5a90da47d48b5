package gen

// Fixed vocabularies the generator draws from. Slices, never maps, so that
// every draw is in a stable order.

// currency is an ISO 4217 code with its minor-unit exponent and a base rate in
// USD per unit with 8 decimals (the fx_rates fixed-point scale).
type currency struct {
	code     string
	exp      int
	baseRate int64
}

var currencies = []currency{
	{"USD", 2, 100000000},
	{"EUR", 2, 108500000},
	{"GBP", 2, 127200000},
	{"JPY", 0, 670000},
	{"CAD", 2, 73400000},
	{"AUD", 2, 65900000},
	{"INR", 2, 1198000},
	{"CHF", 2, 112800000},
	{"SEK", 2, 9460000},
	{"BRL", 2, 18350000},
}

func currencyIndex(code string) int {
	for i, c := range currencies {
		if c.code == code {
			return i
		}
	}
	panic("gen: unknown currency " + code)
}

type city struct{ name, state, postal string }

// geo is a customer country: its currency, culture, listing locale and weight.
type geo struct {
	country, currency, culture, locale string
	weight                             int
	cities                             []city
}

var geos = []geo{
	{"US", "USD", "en-US", "en-us", 50, []city{{"Seattle", "WA", "98101"}, {"Austin", "TX", "78701"}, {"New York", "NY", "10001"}, {"Chicago", "IL", "60601"}, {"Atlanta", "GA", "30303"}}},
	{"GB", "GBP", "en-GB", "en-gb", 8, []city{{"London", "", "EC1A 1BB"}, {"Manchester", "", "M1 1AE"}, {"Edinburgh", "", "EH1 1YZ"}}},
	{"DE", "EUR", "de-DE", "de-de", 8, []city{{"München", "BY", "80331"}, {"Berlin", "BE", "10115"}, {"Köln", "NW", "50667"}}},
	{"FR", "EUR", "fr-FR", "fr-fr", 5, []city{{"Paris", "", "75001"}, {"Lyon", "", "69001"}}},
	{"NL", "EUR", "nl-NL", "nl-nl", 3, []city{{"Amsterdam", "", "1012 JS"}, {"Utrecht", "", "3511 AA"}}},
	{"JP", "JPY", "ja-JP", "ja-jp", 5, []city{{"Tokyo", "", "100-0001"}, {"Osaka", "", "530-0001"}}},
	{"CA", "CAD", "en-CA", "en-ca", 5, []city{{"Toronto", "ON", "M5H 2N2"}, {"Vancouver", "BC", "V6B 1A1"}}},
	{"AU", "AUD", "en-AU", "en-au", 4, []city{{"Sydney", "NSW", "2000"}, {"Melbourne", "VIC", "3000"}}},
	{"IN", "INR", "en-IN", "en-in", 4, []city{{"Bengaluru", "KA", "560001"}, {"Mumbai", "MH", "400001"}}},
	{"CH", "CHF", "de-CH", "de-ch", 2, []city{{"Zürich", "ZH", "8001"}, {"Genève", "GE", "1201"}}},
	{"SE", "SEK", "sv-SE", "sv-se", 2, []city{{"Stockholm", "", "111 20"}}},
	{"BR", "BRL", "pt-BR", "pt-br", 2, []city{{"São Paulo", "SP", "01000-000"}}},
	{"SG", "USD", "en-SG", "en-sg", 2, []city{{"Singapore", "", "018956"}}},
	{"MX", "USD", "es-MX", "es-mx", 1, []city{{"Ciudad de México", "CDMX", "06000"}}},
}

var companyNames = []string{
	"Contoso", "Fabrikam", "Northwind", "Adventure Works", "Tailspin", "Wingtip", "Litware",
	"Proseware", "Fourth Coffee", "Woodgrove", "Alpine Ski House", "Coho Winery", "Lamna",
	"Relecloud", "Trey Research", "Wide World Importers", "Humongous Insurance",
	"Lucerne Publishing", "Blue Yonder", "VanArsdel", "Southridge Video", "Consolidated Messenger",
	"Bellows", "Munson", "Nod Publishers", "Olympia", "Tasmanian Traders", "First Up Consultants",
	"Graphic Design Institute", "Datum", "Margie's Travel", "City Power & Light",
}

// profileSuffixes name the extra publisher profiles of one PGA.
var profileSuffixes = []string{"", "Labs", "Security", "Data", "Cloud"}

var products = []string{
	"Backup Vault", "Threat Radar", "Data Lakehouse", "CRM Connector", "Cost Optimizer",
	"API Gateway", "Log Insights", "Identity Guard", "Video Encoder", "Form Builder",
	"Render Farm", "Sales Forecast", "Ticket Desk", "Secure FTP", "Postgres Tuner", "Edge Cache",
	"Field Service", "Contract AI", "Invoice Scanner", "HR Portal",
}

var customerFirstWords = []string{
	"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
	"Cyberdyne", "Tyrell", "Gringotts", "Oceanic", "Monarch", "Pied Piper", "Aperture", "Nakatomi",
	"Virtucon", "Dunder", "Wonka", "Sterling", "Bluth", "Massive Dynamic", "Prestige",
}

var customerSecondWords = []string{
	"Logistics", "Retail", "Bank", "Health", "Energy", "Foods", "Media", "Motors", "Pharma",
	"Insurance", "Airlines", "Telecom", "Studios", "Holdings", "Manufacturing", "Analytics",
}

var firstNames = []string{
	"Ava", "Ben", "Chloé", "Daniel", "Emma", "Farid", "Grace", "Hiro", "Isabel", "Jonas",
	"Kavya", "Liam", "Mia", "Noah", "Olivia", "Priya", "Quentin", "Rosa", "Sven", "Tomás",
	"Uma", "Victor", "Wen", "Yusuf", "Zoë",
}

var lastNames = []string{
	"Anderson", "Becker", "Chen", "Dubois", "Eriksson", "Fernández", "García", "Hoffmann",
	"Ito", "Johnson", "Khan", "Larsen", "Müller", "Nakamura", "O'Brien", "Patel", "Rossi",
	"Silva", "Tanaka", "Williams",
}

var resellers = []struct{ name, email string }{
	{"Crayon", "csp@crayon.example"},
	{"SoftwareOne", "marketplace@softwareone.example"},
	{"Insight Direct", "azure@insight.example"},
	{"Bechtle", "cloud@bechtle.example"},
}

var regions = []string{
	"eastus", "eastus2", "westus2", "centralus", "westeurope", "northeurope", "uksouth",
	"germanywestcentral", "japaneast", "australiaeast", "canadacentral", "centralindia",
	"southeastasia", "brazilsouth",
}

var languages = []string{"en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "es-ES", "pt-BR"}

// vmSizes are the plan sizes of virtual machine offers (size, cores).
var vmSizes = []struct {
	name  string
	cores int
}{
	{"Standard_D2s_v5", 2}, {"Standard_D4s_v5", 4}, {"Standard_E8s_v5", 8},
	{"Standard_F16s_v2", 16}, {"Standard_NC6s_v3", 6},
}

// dimensions are custom meters of SaaS and Azure Application offers.
var dimensions = []struct{ id, unit string }{
	{"api_calls", "1K Calls"}, {"gb_processed", "1 GB"}, {"active_users", "1 User"},
	{"nodes", "1 Node Hour"}, {"scans", "1 Scan"}, {"messages", "1K Messages"},
}

// Campaign ids as partners write them: valid ones are 1–16 characters of
// letters, digits, '_' and '-'; the invalid ones break exactly one rule each.
var validCampaigns = []string{
	"fy26-launch", "spring_promo", "webinar-0611", "nl-oct", "ignite25", "LinkedIn_Q3",
	"retarget-7", "build2026", "emea_partner", "cmp-42",
}

var invalidCampaigns = []string{
	"summer-campaign-2025-emea", // 25 characters
	"black friday",              // a space
	"été-2025",                  // non-ASCII
	"promo!2025",                // a forbidden character
	"q4-enterprise-upsell",      // 20 characters
}

var trafficSources = []string{"linkedin", "newsletter", "google", "partner-site", "bing", "twitter", "event"}

var referralDomains = []string{
	"www.linkedin.com", "www.google.com", "www.bing.com", "t.co", "news.example.com",
	"learn.microsoft.com", "",
}
