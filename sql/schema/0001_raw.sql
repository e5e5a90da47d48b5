-- Raw datasets as delivered, one table per dataset, snake_case columns.
-- Money is DECIMAL; dates are DATE; instants are TIMESTAMP (UTC).
-- _file_id links every row to the ingest ledger (ingest_files.file_id).

CREATE SEQUENCE IF NOT EXISTS ingest_file_id_seq START 1;

-- The ledger: one row per file content ever loaded. Re-ingesting the same bytes is a no-op.
CREATE TABLE ingest_files (
    file_id        BIGINT PRIMARY KEY,
    sha256         VARCHAR NOT NULL UNIQUE,
    path           VARCHAR NOT NULL,
    dataset        VARCHAR NOT NULL,
    format         VARCHAR NOT NULL,
    size_bytes     BIGINT NOT NULL,
    rows_loaded    BIGINT NOT NULL,
    rows_rejected  BIGINT NOT NULL,
    rows_replaced  BIGINT NOT NULL,
    ingested_at    TIMESTAMP NOT NULL
);

-- Rows that failed validation: nothing is lost, every reject keeps its raw text.
CREATE TABLE ingest_rejects (
    file_id      BIGINT NOT NULL,
    path         VARCHAR NOT NULL,
    dataset      VARCHAR NOT NULL,
    line         BIGINT,          -- 1-based line in the file (row number for Parquet)
    column_name  VARCHAR,         -- canonical column, NULL for whole-row problems
    reason       VARCHAR NOT NULL,
    raw          VARCHAR          -- the raw line (JSON of the row for Parquet)
);

-- Files that could not be read at all; the file itself is moved to the quarantine folder.
CREATE TABLE ingest_quarantine (
    path            VARCHAR NOT NULL,  -- where it was found
    moved_to        VARCHAR,           -- where it is now
    sha256          VARCHAR,
    error           VARCHAR NOT NULL,
    quarantined_at  TIMESTAMP NOT NULL
);

CREATE TABLE orders (
    marketplace_subscription_id   VARCHAR,
    month_start_date              DATE,
    offer_type                    VARCHAR,
    offer_name                    VARCHAR,
    sku                           VARCHAR,
    plan_id                       VARCHAR,
    azure_license_type            VARCHAR,
    marketplace_license_type      VARCHAR,
    customer_id                   VARCHAR,
    billing_account_id            VARCHAR,
    customer_name                 VARCHAR,
    customer_company_name         VARCHAR,
    customer_country              VARCHAR,
    is_new_customer               BOOLEAN,
    order_status                  VARCHAR,
    order_action                  VARCHAR,
    order_purchase_date           DATE,
    order_cancel_date             DATE,
    term_start_date               DATE,
    term_end_date                 DATE,
    order_quantity                BIGINT,
    estimated_charges             DECIMAL(18,6),
    currency                      VARCHAR,
    asset_id                      VARCHAR NOT NULL,
    purchase_record_id            VARCHAR,
    purchase_record_line_item_id  VARCHAR NOT NULL,
    is_private_offer              BOOLEAN,
    is_trial                      BOOLEAN,
    trial_end_date                DATE,
    cloud_instance_name           VARCHAR,
    event_timestamp               TIMESTAMP,
    order_version                 BIGINT NOT NULL,
    -- Not in the partner-facing export, but known to the marketplace:
    publisher_id                  VARCHAR,   -- the partner (publisher profile) selling the offer
    offer_id                      VARCHAR,
    is_fraud                      BOOLEAN NOT NULL DEFAULT false,
    _file_id                      BIGINT NOT NULL
);

CREATE TABLE usage (
    marketplace_subscription_id   VARCHAR NOT NULL,
    usage_date                    DATE NOT NULL,
    offer_type                    VARCHAR,
    offer_name                    VARCHAR,
    sku                           VARCHAR,
    plan_id                       VARCHAR,
    customer_id                   VARCHAR,
    customer_country              VARCHAR,
    vm_size                       VARCHAR,
    core_size                     VARCHAR,
    usage_type                    VARCHAR,
    meter_id                      VARCHAR,
    meter_dimension               VARCHAR,
    usage_unit                    VARCHAR,
    normalized_usage              DECIMAL(18,6),
    raw_usage                     DECIMAL(18,6),
    metered_usage                 DECIMAL(18,6),
    estimated_extended_charge_cc  DECIMAL(18,6),
    customer_currency_cc          VARCHAR,
    estimated_extended_charge_pc  DECIMAL(18,6),
    payout_currency_pc            VARCHAR,
    marketplace_license_type      VARCHAR,
    reference_id                  VARCHAR NOT NULL,
    publisher_id                  VARCHAR,
    offer_id                      VARCHAR,
    azure_subscription_id         VARCHAR,   -- the Azure subscription the metered resources run in
    resource_group                VARCHAR,
    is_fraud                      BOOLEAN NOT NULL DEFAULT false,
    _file_id                      BIGINT NOT NULL
);

CREATE TABLE customers (
    customer_id                     VARCHAR NOT NULL,
    billing_account_id              VARCHAR,
    marketplace_subscription_id     VARCHAR NOT NULL,
    date_acquired                   DATE,
    date_lost                       DATE,
    provider_name                   VARCHAR,
    provider_email                  VARCHAR,
    first_name                      VARCHAR,
    last_name                       VARCHAR,
    email                           VARCHAR,
    customer_company_name           VARCHAR,
    customer_city                   VARCHAR,
    customer_postal_code            VARCHAR,
    customer_state                  VARCHAR,
    customer_country_region         VARCHAR,
    customer_communication_culture  VARCHAR,
    azure_license_type              VARCHAR,
    customer_type                   VARCHAR,
    cloud_instance_name             VARCHAR,
    publisher_id                    VARCHAR,
    _file_id                        BIGINT NOT NULL
);

CREATE TABLE deployments (
    deployment_id       VARCHAR NOT NULL,
    "timestamp"         TIMESTAMP NOT NULL,
    subscription_id     VARCHAR,
    customer_tenant_id  VARCHAR,
    resource_group      VARCHAR,
    deployment_name     VARCHAR,
    user_agent          VARCHAR,
    partner_id          VARCHAR,   -- Terraform's partner_id (a bare GUID)
    status              VARCHAR,
    region              VARCHAR,
    _file_id            BIGINT NOT NULL
);

CREATE TABLE clicks (
    "timestamp"      TIMESTAMP NOT NULL,
    session_id       VARCHAR NOT NULL,
    offer_id         VARCHAR NOT NULL,
    site             VARCHAR,
    action           VARCHAR NOT NULL,
    landing_url      VARCHAR,
    referral_domain  VARCHAR,
    country          VARCHAR,
    _file_id         BIGINT NOT NULL
);

-- Reference data.

-- One row per publisher profile (partner); several profiles share one partner global account (PGA).
CREATE TABLE partners (
    partner_id     VARCHAR NOT NULL,
    pga_id         VARCHAR NOT NULL,
    partner_name   VARCHAR,
    company_name   VARCHAR,
    account_email  VARCHAR,
    _file_id       BIGINT NOT NULL
);

CREATE TABLE offers (
    offer_id      VARCHAR NOT NULL,
    partner_id    VARCHAR NOT NULL,
    offer_name    VARCHAR,
    listing_type  VARCHAR NOT NULL,   -- List, Trial, Transact
    storefront    VARCHAR,            -- AZUREMARKETPLACE, APPSOURCE
    live_date     DATE,
    _file_id      BIGINT NOT NULL
);

-- Tracking IDs as registered. An edit is a new row with a later registered_at:
-- it applies to deployments from then on only.
CREATE TABLE tracking_ids (
    tracking_id    VARCHAR NOT NULL,  -- as registered: pid-<GUID>, a bare GUID, or a Partner Center id
    partner_id     VARCHAR NOT NULL,
    offer_id       VARCHAR,
    channel        VARCHAR,
    plan_id        VARCHAR,
    registered_at  TIMESTAMP NOT NULL,
    _file_id       BIGINT NOT NULL
);

-- Marketing contact per PGA, the input to benefit activation readiness.
CREATE TABLE contacts (
    pga_id        VARCHAR NOT NULL,
    name          VARCHAR,
    email         VARCHAR,
    phone         VARCHAR,
    language      VARCHAR,
    assigned_at   TIMESTAMP NOT NULL,
    contacted_at  TIMESTAMP,          -- when the rewards team first reached this contact
    _file_id      BIGINT NOT NULL
);

-- Customers who opted out of usage tracking, by Azure subscription or by tenant.
CREATE TABLE opt_outs (
    kind           VARCHAR NOT NULL,  -- subscription, tenant
    id             VARCHAR NOT NULL,
    opted_out_at   TIMESTAMP,
    _file_id       BIGINT NOT NULL
);

CREATE TABLE fx_rates (
    currency     VARCHAR NOT NULL,    -- ISO 4217
    month        DATE NOT NULL,       -- first day of the month
    rate_to_usd  DECIMAL(18,8) NOT NULL,  -- USD per one unit of currency
    _file_id     BIGINT NOT NULL
);
