package ingest

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Type is how a column's text is validated and stored.
type Type int

// The column types. Each maps to one SQL type of the raw tables.
const (
	String    Type = iota // VARCHAR
	Date                  // DATE: 2025-06-01 or the export's 6/1/2025
	Timestamp             // TIMESTAMP (UTC): ISO 8601 with optional offset, or 6/1/2025 1:02:03 PM
	Decimal               // DECIMAL(18,6), or the column's own scale
	Int                   // BIGINT
	Bool                  // BOOLEAN: true/false, 1/0, yes/no
)

func (t Type) String() string {
	switch t {
	case String:
		return "string"
	case Date:
		return "date"
	case Timestamp:
		return "timestamp"
	case Decimal:
		return "decimal"
	case Int:
		return "int"
	case Bool:
		return "bool"
	}
	return fmt.Sprintf("Type(%d)", int(t))
}

// Column is one column of a dataset.
type Column struct {
	Name     string   // canonical: the snake_case column of the raw table
	Export   string   // the name in the marketplace analytics export (PascalCase)
	Aliases  []string // other names seen in the wild
	Type     Type
	SQLType  string   // the exact SQL type, for decimals with another scale ("DECIMAL(18,8)")
	Required bool     // a row without a value is rejected (NOT NULL in the table)
	Enum     []string // allowed values, matched case-insensitively and stored as listed
	Currency bool     // an ISO 4217 code, matched case-insensitively and stored upper-case
	NonNeg   bool     // a quantity: negative values are rejected
	Month    bool     // a date normalised to the first of its month
	Default  string   // SQL default for a blank value (is_fraud: false), and for a file without the column
	// Synonyms map other spellings of an enumeration value (lower case) to
	// the listed one: exports write "Cancelled" for Canceled.
	Synonyms map[string]string
	// Canon lists spellings a free-text column is normalised to when a value
	// matches one case-insensitively ("azure applications" is stored as
	// "Azure Applications"); other values are kept as written.
	Canon []string
	// CurrencyCol names the currency column of an amount: when the file
	// spells the amount's header with a USD suffix ("Billed Revenue USD")
	// and has no currency column, the currency is USD.
	CurrencyCol string
}

// Dataset is one kind of landing file and its raw table.
type Dataset struct {
	Name    string // also the table name
	Columns []Column
	// Key is the natural key of the dataset's fullest shape (Keys[0].Cols).
	Key []string
	// Keys are the natural keys of the shapes the dataset arrives in, most
	// specific first: a file takes the first whose When column it carries.
	// A later file's row replaces an earlier row with the same key values.
	// Empty means one shape keyed by Key.
	Keys []KeyShape
	// Publisher is the column naming the publisher (partner) whose data a
	// row is, for datasets Partner Center delivers per publisher; "" for
	// reference data and for deployments (attributed by tracking ID).
	Publisher string
	// Masked is the column that lists, per row, the columns whose value the
	// export masked (************); "" when the dataset has none. Masked
	// values load as NULL: they are not data.
	Masked string
	// Reference marks reference data, loaded before the files of a run
	// that need it (the offers that tell a download's publisher).
	Reference bool
}

// KeyShape is the natural key of one shape of a dataset's files.
type KeyShape struct {
	Name string   // for messages and docs: "full export", "system query"
	When string   // the column a file must carry to have this shape ("" = any file)
	Cols []string // the key (canonical names)
	// Require lists columns required in files of this shape (the key
	// columns that identify a row there).
	Require []string
	// AnyOf lists columns of which a row of this shape needs at least one.
	AnyOf []string
}

// Column returns the named canonical column.
func (d *Dataset) Column(name string) (Column, bool) {
	for _, c := range d.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Required lists the required columns.
func (d *Dataset) Required() []Column {
	var out []Column
	for _, c := range d.Columns {
		if c.Required {
			out = append(out, c)
		}
	}
	return out
}

// names lists every accepted spelling of a column, normalised.
func (c Column) names() []string {
	out := []string{normName(c.Name), normName(c.Export)}
	for _, a := range c.Aliases {
		out = append(out, normName(a))
	}
	return out
}

// normName folds a header name for matching: case-insensitive, and blind to
// the separators that tell snake_case, kebab-case and "Title Case" apart, so
// that AssetId, asset_id, ASSET ID and assetid are all the same column.
func normName(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == '_' || r == '-' || r == ' ' || r == '.':
		case r == '\ufeff':
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Helpers that keep the dataset list below readable.
func str(name, export string) Column  { return Column{Name: name, Export: export, Type: String} }
func date(name, export string) Column { return Column{Name: name, Export: export, Type: Date} }
func ts(name, export string) Column   { return Column{Name: name, Export: export, Type: Timestamp} }
func dec(name, export string) Column  { return Column{Name: name, Export: export, Type: Decimal} }
func integer(name, export string) Column {
	return Column{Name: name, Export: export, Type: Int}
}
func boolean(name, export string) Column { return Column{Name: name, Export: export, Type: Bool} }

func (c Column) req() Column                   { c.Required = true; return c }
func (c Column) alias(names ...string) Column  { c.Aliases = append(c.Aliases, names...); return c }
func (c Column) enum(values ...string) Column  { c.Enum = values; return c }
func (c Column) currency() Column              { c.Currency = true; return c }
func (c Column) nonNeg() Column                { c.NonNeg = true; return c }
func (c Column) sqlType(t string) Column       { c.SQLType = t; return c }
func (c Column) month() Column                 { c.Month = true; return c }
func (c Column) def(sql string) Column         { c.Default = sql; return c }
func (c Column) canon(values ...string) Column { c.Canon = values; return c }
func (c Column) amountIn(currencyCol string) Column {
	c.CurrencyCol = currencyCol
	return c
}
func (c Column) syn(pairs ...string) Column {
	c.Synonyms = map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		c.Synonyms[strings.ToLower(pairs[i])] = pairs[i+1]
	}
	return c
}

var (
	orderStatuses   = []string{"Active", "Canceled", "Expired", "Abandoned", "Warning"}
	licenseTypes    = []string{"Billed through Azure", "Bring Your Own License", "Free", "Microsoft as Reseller"}
	licenseSynonyms = []string{"BYOL", "Bring Your Own License"}
	sites           = []string{"AZUREMARKETPLACE", "APPSOURCE"}
	clickActions    = []string{"PageVisit", "GetItNow", "ContactMe", "TestDrive", "FreeTrial", "ConsentGiven"}
	listingTypes    = []string{"List", "Trial", "Transact"}
	optOutKinds     = []string{"subscription", "tenant"}
	// offerTypes are the offer type spellings of the analytics exports;
	// values are stored in these spellings whatever their case.
	offerTypes = []string{"SaaS", "Azure Applications", "Virtual Machine", "Virtual Machine Licenses",
		"VM core image", "Containers", "Managed Services", "Power BI App", "Dynamics 365", "IoT Edge Modules", "multisolution"}
	datasetsByName   = map[string]*Dataset{}
	datasetsInOrder  []*Dataset
	columnNameLookup = map[string]map[string]string{} // dataset -> normalised spelling -> canonical
)

// Datasets is every dataset, in the order of sql/schema/0001_raw.sql. The
// column lists match the raw tables exactly (minus _file_id); a test checks it.
var Datasets = []Dataset{
	{
		Name: "orders",
		Columns: []Column{
			str("marketplace_subscription_id", "MarketplaceSubscriptionId"),
			date("month_start_date", "MonthStartDate"),
			str("offer_type", "OfferType").canon(offerTypes...),
			str("offer_name", "OfferName"),
			str("sku", "SKU"),
			str("plan_id", "PlanId"),
			str("azure_license_type", "AzureLicenseType"),
			str("marketplace_license_type", "MarketplaceLicenseType").enum(licenseTypes...).syn(licenseSynonyms...),
			str("customer_id", "CustomerId"),
			str("billing_account_id", "BillingAccountId"),
			str("customer_name", "CustomerName"),
			str("customer_company_name", "CustomerCompanyName"),
			str("customer_country", "CustomerCountry"),
			boolean("is_new_customer", "IsNewCustomer"),
			str("order_status", "OrderStatus").enum(orderStatuses...).syn("Cancelled", "Canceled"),
			str("order_action", "OrderAction"),
			date("order_purchase_date", "OrderPurchaseDate"),
			date("order_cancel_date", "OrderCancelDate"),
			date("term_start_date", "TermStartDate"),
			date("term_end_date", "TermEndDate"),
			integer("order_quantity", "OrderQuantity").alias("Quantity").nonNeg(),
			dec("estimated_charges", "EstimatedCharges").alias("BilledRevenue", "BilledRevenueUSD", "EstimatedChargesUSD").amountIn("currency"),
			str("currency", "Currency").currency(),
			str("asset_id", "AssetId").alias("OrderId").req(),
			str("purchase_record_id", "PurchaseRecordId"),
			str("purchase_record_line_item_id", "PurchaseRecordLineItemId"),
			boolean("is_private_offer", "IsPrivateOffer"),
			// IsTrial (the orders report) and IsTrialDeployment (OrdersV2): this line is in trial.
			// HasTrial is another thing, the plan offers a trial (has_trial below).
			boolean("is_trial", "IsTrial").alias("IsTrialDeployment"),
			date("trial_end_date", "TrialEndDate"),
			str("cloud_instance_name", "CloudInstanceName"),
			ts("event_timestamp", "EventTimestamp"),
			// An order without a version (the Orders and OrdersV2 system
			// queries carry none) is version 1.
			integer("order_version", "OrderVersion").def("1"),
			str("publisher_id", "PublisherId"),
			str("offer_id", "OfferId"),
			boolean("is_fraud", "IsFraud").def("false"),
			str("masked_fields", "MaskedFields"),
			// HasTrial: the plan offers a trial; not IsTrial (added by 0090, hence last).
			boolean("has_trial", "HasTrial"),
		},
		Keys: []KeyShape{
			{Name: "line items (full export, OrdersV2)", When: "purchase_record_line_item_id",
				Cols:    []string{"asset_id", "purchase_record_line_item_id", "order_version"},
				Require: []string{"purchase_record_line_item_id"}},
			{Name: "orders (Orders system query)", Cols: []string{"asset_id", "order_version"}},
		},
		Publisher: "publisher_id",
		Masked:    "masked_fields",
	},
	{
		Name: "usage",
		Columns: []Column{
			str("marketplace_subscription_id", "MarketplaceSubscriptionId").req(),
			date("usage_date", "UsageDate").req(),
			str("offer_type", "OfferType").canon(offerTypes...),
			str("offer_name", "OfferName"),
			str("sku", "SKU"),
			str("plan_id", "PlanId"),
			str("customer_id", "CustomerId"),
			str("customer_country", "CustomerCountry"),
			str("vm_size", "VMSize"),
			str("core_size", "CoreSize"),
			str("usage_type", "UsageType"),
			str("meter_id", "MeterId"),
			str("meter_dimension", "MeterDimension"),
			str("usage_unit", "UsageUnit"),
			dec("normalized_usage", "NormalizedUsage").nonNeg(),
			dec("raw_usage", "RawUsage").nonNeg(),
			dec("metered_usage", "MeteredUsage").nonNeg(),
			dec("estimated_extended_charge_cc", "EstimatedExtendedChargeCC"),
			str("customer_currency_cc", "CustomerCurrencyCC").currency(),
			dec("estimated_extended_charge_pc", "EstimatedExtendedChargePC"),
			str("payout_currency_pc", "PayoutCurrencyPC").currency(),
			str("marketplace_license_type", "MarketplaceLicenseType").enum(licenseTypes...).syn(licenseSynonyms...),
			str("reference_id", "ReferenceId"),
			str("publisher_id", "PublisherId"),
			str("offer_id", "OfferId"),
			str("azure_subscription_id", "AzureSubscriptionId"),
			str("resource_group", "ResourceGroup"),
			boolean("is_fraud", "IsFraud").def("false"),
			str("usage_reference", "UsageReference"),
		},
		Keys: []KeyShape{
			{Name: "usage lines (full export)", When: "reference_id",
				Cols:    []string{"marketplace_subscription_id", "usage_date", "meter_id", "reference_id"},
				Require: []string{"reference_id"}},
			// The system queries (VM normalized, VM raw, metered) carry
			// neither ReferenceId nor MeterId: a line is the subscription's
			// day of one offer, plan, size or dimension and customer. The
			// customer and offer keep apart the SaaS lines whose
			// subscription id is all zeros.
			{Name: "usage (system queries)", Cols: []string{"marketplace_subscription_id", "usage_date", "customer_id",
				"offer_id", "offer_name", "sku", "plan_id", "vm_size", "meter_dimension", "usage_unit", "usage_reference"}},
		},
		Publisher: "publisher_id",
	},
	{
		Name: "customers",
		Columns: []Column{
			str("customer_id", "CustomerId").req(),
			str("billing_account_id", "BillingAccountId"),
			str("marketplace_subscription_id", "MarketplaceSubscriptionId").req(),
			date("date_acquired", "DateAcquired"),
			date("date_lost", "DateLost"),
			str("provider_name", "ProviderName"),
			str("provider_email", "ProviderEmail"),
			str("first_name", "FirstName"),
			str("last_name", "LastName"),
			str("email", "Email"),
			str("customer_company_name", "CustomerCompanyName"),
			str("customer_city", "CustomerCity"),
			str("customer_postal_code", "CustomerPostalCode"),
			str("customer_state", "CustomerState"),
			str("customer_country_region", "CustomerCountryRegion"),
			str("customer_communication_culture", "CustomerCommunicationCulture"),
			str("azure_license_type", "AzureLicenseType"),
			str("customer_type", "CustomerType"),
			str("cloud_instance_name", "CloudInstanceName"),
			str("publisher_id", "PublisherId"),
			str("offer_name", "OfferName"),
			str("record_id", "ID").alias("RecordId"),
			str("masked_fields", "MaskedFields"),
		},
		// A customer with two SaaS offers has two rows whose subscription
		// id is all zeros: the offer name, or failing it the system
		// query's row ID, tells them apart.
		Keys: []KeyShape{
			{Name: "customers with offer", When: "offer_name",
				Cols: []string{"customer_id", "marketplace_subscription_id", "offer_name"}},
			{Name: "customers (Customers system query)", When: "record_id",
				Cols: []string{"customer_id", "marketplace_subscription_id", "record_id"}},
			{Name: "customers", Cols: []string{"customer_id", "marketplace_subscription_id"}},
		},
		Publisher: "publisher_id",
		Masked:    "masked_fields",
	},
	{
		Name: "deployments",
		Columns: []Column{
			str("deployment_id", "DeploymentId").alias("CorrelationId").req(),
			ts("timestamp", "Timestamp").req(),
			str("subscription_id", "SubscriptionId"),
			str("customer_tenant_id", "CustomerTenantId"),
			str("resource_group", "ResourceGroup"),
			str("deployment_name", "DeploymentName"),
			str("user_agent", "UserAgent"),
			str("partner_id", "PartnerId"),
			str("status", "Status"),
			str("region", "Region"),
		},
		Key: []string{"deployment_id"},
	},
	{
		Name: "clicks",
		Columns: []Column{
			ts("timestamp", "Timestamp").req(),
			str("session_id", "SessionId").req(),
			str("offer_id", "OfferId").req(),
			str("site", "Site").enum(sites...),
			str("action", "Action").req().enum(clickActions...),
			str("landing_url", "LandingUrl"),
			str("referral_domain", "ReferralDomain"),
			str("country", "Country"),
		},
		Key: []string{"session_id", "timestamp", "action", "offer_id"},
	},
	{
		Name: "partners",
		Columns: []Column{
			str("partner_id", "PartnerId").alias("PublisherId").req(),
			str("pga_id", "PgaId").alias("PartnerGlobalAccountId").req(),
			str("partner_name", "PartnerName"),
			str("company_name", "CompanyName"),
			str("account_email", "AccountEmail"),
		},
		Key:       []string{"partner_id"},
		Reference: true,
	},
	{
		Name: "offers",
		Columns: []Column{
			str("offer_id", "OfferId").req(),
			str("partner_id", "PartnerId").alias("PublisherId").req(),
			str("offer_name", "OfferName"),
			str("listing_type", "ListingType").req().enum(listingTypes...),
			str("storefront", "Storefront").enum(sites...),
			date("live_date", "LiveDate"),
		},
		Key:       []string{"offer_id"},
		Reference: true,
	},
	{
		Name: "tracking_ids",
		Columns: []Column{
			str("tracking_id", "TrackingId").req(),
			str("partner_id", "PartnerId").alias("PublisherId").req(),
			str("offer_id", "OfferId"),
			str("channel", "Channel"),
			str("plan_id", "PlanId"),
			ts("registered_at", "RegisteredAt").req(),
		},
		Key:       []string{"tracking_id", "registered_at"},
		Reference: true,
	},
	{
		Name: "contacts",
		Columns: []Column{
			str("pga_id", "PgaId").alias("PartnerGlobalAccountId").req(),
			str("name", "Name"),
			str("email", "Email"),
			str("phone", "Phone"),
			str("language", "Language"),
			ts("assigned_at", "AssignedAt").req(),
			ts("contacted_at", "ContactedAt"),
		},
		Key:       []string{"pga_id", "assigned_at"},
		Reference: true,
	},
	{
		Name: "opt_outs",
		Columns: []Column{
			str("kind", "Kind").enum(optOutKinds...),
			str("id", "Id"),
			ts("opted_out_at", "OptedOutAt").alias("OptOutDate"),
			// The natural shapes: a list with subscription and/or tenant
			// id columns (either may be blank on a row), or one column
			// whose header says which kind.
			str("subscription_id", "SubscriptionId").alias("AzureSubscriptionId", "Subscription", "Subscriptions", "SubscriptionIds"),
			str("tenant_id", "TenantId").alias("CustomerTenantId", "Tenant", "Tenants", "TenantIds"),
		},
		Keys: []KeyShape{
			{Name: "kind and id", When: "kind", Cols: []string{"kind", "id"}, Require: []string{"kind", "id"}},
			{Name: "subscription and/or tenant ids", Cols: []string{"subscription_id", "tenant_id"},
				AnyOf: []string{"subscription_id", "tenant_id"}},
		},
		Reference: true,
	},
	{
		Name: "fx_rates",
		Columns: []Column{
			str("currency", "Currency").req().currency(),
			date("month", "Month").req().month(),
			dec("rate_to_usd", "RateToUsd").alias("RateToUSD", "Rate").sqlType("DECIMAL(18,8)").req(),
		},
		Key:       []string{"currency", "month"},
		Reference: true,
	},
	// The Quality of service report (QueryID q9df4939-…, ISVQualityOfService):
	// one row per deployed resource of a marketplace deployment of the
	// partner's own offer (sql/schema/0013_qos_insights.sql).
	{
		Name: "qos",
		Columns: []Column{
			str("offer_id", "OfferId").req(),
			str("sku", "Sku"),
			str("deployment_status", "DeploymentStatus"),
			str("deployment_correlation_id", "DeploymentCorrelationId").req(),
			str("subscription_id", "SubscriptionId"),
			str("customer_tenant_id", "CustomerTenantId"),
			str("customer_name", "CustomerName"),
			str("template_type", "TemplateType"),
			ts("start_time", "StartTime").req(),
			ts("end_time", "EndTime"),
			dec("deployment_duration_ms", "DeploymentDurationInMilliSeconds").alias("DeploymentDurationInMilliseconds", "DeploymentDurationMs").sqlType("DECIMAL(18,3)").nonNeg(),
			str("deployment_region", "DeploymentRegion"),
			str("resource_provider", "ResourceProvider"),
			str("resource_uri", "ResourceUri"),
			str("resource_group", "ResourceGroup"),
			str("resource_type", "ResourceType"),
			str("resource_name", "ResourceName"),
			str("error_code", "ErrorCode"),
			str("error_name", "ErrorName"),
			str("error_message", "ErrorMessage"),
			str("deep_error_code", "DeepErrorCode"),
			str("deep_error_message", "DeepErrorMessage"),
			str("publisher_id", "PublisherId"),
			str("masked_fields", "MaskedFields"),
		},
		// One row per resource of a deployment; a deployment that failed
		// before creating any resource has one row without a resource.
		Key:       []string{"deployment_correlation_id", "resource_uri", "resource_type", "resource_name"},
		Publisher: "publisher_id",
		Masked:    "masked_fields",
	},
	// Marketplace Insights daily counts (QueryID 6fd7624b-…,
	// ISVMarketplaceInsights): page visits and calls to action per offer and
	// day, by referral domain, country, site and campaign.
	{
		Name: "marketplace_insights",
		Columns: []Column{
			date("date", "Date").req(),
			str("offer_name", "OfferName").req(),
			str("referral_domain", "ReferralDomain"),
			str("country_name", "CountryName"),
			integer("page_visits", "PageVisits").nonNeg(),
			integer("get_it_now", "GetItNow").nonNeg(),
			integer("contact_me", "ContactMe").nonNeg(),
			integer("test_drive", "TestDrive").nonNeg(),
			integer("free_trial", "FreeTrial").nonNeg(),
			integer("consent_given", "ConsentGiven").alias("consentGivenCount", "ConsentGivenCount").nonNeg(),
			str("site", "Site").enum(sites...),
			str("campaign", "Campaign"),
			str("platform", "Platform").alias("platforms"),
			str("offer_id", "OfferId"),
			str("publisher_id", "PublisherId"),
		},
		Key:       []string{"date", "offer_name", "referral_domain", "country_name", "site", "campaign", "platform"},
		Publisher: "publisher_id",
	},
	// Revenue (the Revenue report, QueryID bf54dde4-…, ISVRevenue): one row
	// per transaction, what it earned and its payout (0091_revenue.sql).
	// Billed sales do not read it (docs/tiers.md).
	{
		Name: "revenue",
		Columns: []Column{
			str("purchase_record_id", "PurchaseRecordId").req(),
			str("line_item_id", "LineItemId").alias("PurchaseRecordLineItemId").req(),
			str("asset_id", "AssetId").alias("OrderId"),
			str("sales_channel", "SalesChannel"),
			str("billing_account_id", "BillingAccountId"),
			str("customer_id", "CustomerId"),
			str("customer_name", "CustomerName"),
			str("customer_email", "CustomerEmail"),
			str("customer_company_name", "CustomerCompanyName"),
			str("customer_city", "CustomerCity"),
			str("customer_state", "CustomerState"),
			str("customer_country", "CustomerCountry"),
			date("month_start_date", "MonthStartDate"),
			str("offer_name", "OfferName"),
			str("offer_type", "OfferType").canon(offerTypes...),
			str("sku", "SKU"),
			str("billing_model", "BillingModel"),
			boolean("trial_deployment", "TrialDeployment"),
			date("term_start_date", "TermStartDate"),
			date("term_end_date", "TermEndDate"),
			dec("quantity", "Quantity"),
			dec("units", "Units"),
			dec("transaction_amount_cc", "TransactionAmountCC"),
			dec("transaction_amount_pc", "TransactionAmountPC"),
			dec("transaction_amount_usd", "TransactionAmountUSD"),
			dec("revenue", "Revenue"),
			dec("estimated_revenue_pc", "EstimatedRevenuePC"),
			dec("estimated_revenue_usd", "EstimatedRevenueUSD"),
			dec("earning_amount_cc", "EarningAmountCC"),
			dec("earning_amount_pc", "EarningAmountPC"),
			dec("earning_amount_usd", "EarningAmountUSD"),
			str("earning_currency_code", "EarningCurrencyCode"),
			dec("earning_exchange_rate_pc", "EarningExchangeRatePC"),
			date("exchange_rate_date", "ExchangeRateDate"),
			dec("exchange_rate_pc", "ExchangeRatePC"),
			dec("exchange_rate_usd", "ExchangeRateUSD"),
			str("incentive_rate", "IncentiveRate"),
			str("payout_status", "PayoutStatus"),
			date("estimated_payout_month", "EstimatedPayoutMonth"),
			date("payment_sent_date", "PaymentSentDate"),
			str("payment_instrument_type", "PaymentInstrumentType"),
			str("publisher_id", "PublisherId"),
			str("masked_fields", "MaskedFields"),
		},
		// One transaction is PurchaseRecordId + LineItemId; a later delivery
		// (the payout status moved on) replaces it.
		Key:       []string{"purchase_record_id", "line_item_id"},
		Publisher: "publisher_id",
		Masked:    "masked_fields",
	},
}

func init() {
	for i := range Datasets {
		d := &Datasets[i]
		datasetsByName[d.Name] = d
		datasetsInOrder = append(datasetsInOrder, d)
		lookup := map[string]string{}
		for _, c := range d.Columns {
			for _, n := range c.names() {
				if prev, ok := lookup[n]; ok && prev != c.Name {
					panic(fmt.Sprintf("ingest: dataset %s: %q names both %s and %s", d.Name, n, prev, c.Name))
				}
				lookup[n] = c.Name
			}
		}
		columnNameLookup[d.Name] = lookup
		if len(d.Keys) == 0 {
			d.Keys = []KeyShape{{Name: d.Name, Cols: d.Key}}
		}
		d.Key = d.Keys[0].Cols
		for _, k := range d.Keys {
			for _, c := range append(append([]string{k.When}, k.Cols...), k.Require...) {
				if _, ok := d.Column(c); !ok && c != "" {
					panic(fmt.Sprintf("ingest: dataset %s: key column %s is not a column", d.Name, c))
				}
			}
		}
		for _, c := range []string{d.Publisher, d.Masked} {
			if _, ok := d.Column(c); !ok && c != "" {
				panic(fmt.Sprintf("ingest: dataset %s: %s is not a column", d.Name, c))
			}
		}
	}
}

// DatasetByName returns the named dataset.
func DatasetByName(name string) (*Dataset, bool) {
	d, ok := datasetsByName[strings.ToLower(strings.TrimSpace(name))]
	return d, ok
}

// DatasetNames lists the dataset names, sorted.
func DatasetNames() []string {
	out := make([]string, 0, len(datasetsByName))
	for n := range datasetsByName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// sqlType is the column's SQL type in the raw table.
func (c Column) sqlTypeName() string {
	if c.SQLType != "" {
		return c.SQLType
	}
	switch c.Type {
	case Date:
		return "DATE"
	case Timestamp:
		return "TIMESTAMP"
	case Decimal:
		return "DECIMAL(18,6)"
	case Int:
		return "BIGINT"
	case Bool:
		return "BOOLEAN"
	}
	return "VARCHAR"
}
