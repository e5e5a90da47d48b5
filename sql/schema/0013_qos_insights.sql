-- Two more Partner Center downloads (docs/datasets.md): the Quality of service report and the
-- Marketplace Insights daily counts.

-- Quality of service (ISVQualityOfService): one row per deployed resource of a marketplace
-- deployment of the partner's own offer.
CREATE TABLE qos (
    offer_id                    VARCHAR NOT NULL,
    sku                         VARCHAR,
    deployment_status           VARCHAR,
    deployment_correlation_id   VARCHAR NOT NULL,
    subscription_id             VARCHAR,
    customer_tenant_id          VARCHAR,
    customer_name               VARCHAR,
    template_type               VARCHAR,
    start_time                  TIMESTAMP NOT NULL,
    end_time                    TIMESTAMP,
    deployment_duration_ms      DECIMAL(18,3),
    deployment_region           VARCHAR,
    resource_provider           VARCHAR,
    resource_uri                VARCHAR,
    resource_group              VARCHAR,
    resource_type               VARCHAR,
    resource_name               VARCHAR,
    error_code                  VARCHAR,
    error_name                  VARCHAR,
    error_message               VARCHAR,
    deep_error_code             VARCHAR,
    deep_error_message          VARCHAR,
    publisher_id                VARCHAR,   -- from the landing path or --partner; else the offer's
    masked_fields               VARCHAR,
    _file_id                    BIGINT NOT NULL
);

-- Marketplace Insights (ISVMarketplaceInsights): daily counts per offer.
CREATE TABLE marketplace_insights (
    "date"           DATE NOT NULL,
    offer_name       VARCHAR NOT NULL,
    referral_domain  VARCHAR,
    country_name     VARCHAR,
    page_visits      BIGINT,
    get_it_now       BIGINT,
    contact_me       BIGINT,
    test_drive       BIGINT,
    free_trial       BIGINT,
    consent_given    BIGINT,
    site             VARCHAR,
    campaign         VARCHAR,
    platform         VARCHAR,
    offer_id         VARCHAR,
    publisher_id     VARCHAR,
    _file_id         BIGINT NOT NULL
);

-- Step 040: one row per marketplace deployment (correlation id) of the Quality of service report,
-- with its partner (the offer's publisher) and its resources counted. These are deployments of
-- the partner's own offer, apart from the deployments attributed by tracking ID (attr_deployments).
CREATE TABLE marketplace_deployments (
    deployment_correlation_id  VARCHAR NOT NULL,
    offer_id                   VARCHAR NOT NULL,
    partner_id                 VARCHAR,
    pga_id                     VARCHAR,
    sku                        VARCHAR,
    deployment_status          VARCHAR,
    succeeded                  BOOLEAN NOT NULL,   -- DeploymentStatus Succeeded (any case)
    subscription_id            VARCHAR,
    customer_tenant_id         VARCHAR,
    template_type              VARCHAR,
    start_time                 TIMESTAMP NOT NULL,
    end_time                   TIMESTAMP,
    duration_ms                DECIMAL(18,3),
    region                     VARCHAR,
    resources                  BIGINT NOT NULL,    -- resource rows with a resource
    error_codes                VARCHAR,            -- distinct "ErrorCode: DeepErrorCode" values, sorted, comma-separated
    opted_out                  BOOLEAN NOT NULL    -- subscription or tenant opted out: never shown
);

-- Step 330: Marketplace Insights rows resolved to their offer and partner, and whether they count.
-- Where click rows exist for the same offer and day, the clicks count and the day's Insights rows
-- do not (counted = false): never both.
CREATE TABLE attr_insights_daily (
    "date"           DATE NOT NULL,
    partner_id       VARCHAR,
    pga_id           VARCHAR,
    offer_id         VARCHAR,
    offer_name       VARCHAR NOT NULL,
    referral_domain  VARCHAR,            -- lower case
    country          VARCHAR,
    site             VARCHAR,
    mktcmpid         VARCHAR NOT NULL,   -- Campaign, validated as mktcmpid; _NoCampaign without one
    campaign_status  VARCHAR NOT NULL,   -- valid, invalid, none
    page_visits      BIGINT NOT NULL,
    ctas             BIGINT NOT NULL,
    cta_contact_me   BIGINT NOT NULL,
    cta_free_trial   BIGINT NOT NULL,
    cta_test_drive   BIGINT NOT NULL,
    cta_get_it_now   BIGINT NOT NULL,
    consents         BIGINT NOT NULL,
    counted          BOOLEAN NOT NULL
);

-- Step 330: the offer-days delivered both as click rows and as Insights counts.
CREATE TABLE attr_campaign_overlap (
    "date"                 DATE NOT NULL,
    partner_id             VARCHAR,
    offer_id               VARCHAR,
    counted_from           VARCHAR NOT NULL,   -- clicks
    click_page_visits      BIGINT NOT NULL,    -- distinct sessions
    click_ctas             BIGINT NOT NULL,
    insights_page_visits   BIGINT NOT NULL,    -- not counted
    insights_ctas          BIGINT NOT NULL     -- not counted
);

-- Campaign performance rows now come from clicks or from Insights counts.
ALTER TABLE attr_campaign_performance ADD COLUMN basis VARCHAR;   -- clicks, insights

DROP VIEW campaign_performance;
CREATE VIEW campaign_performance AS
SELECT period, period_start, partner_id, pga_id, offer_id, mktcmpid, campaign_status, source,
       referral_domain, page_visits, clicks, ctas, cta_contact_me, cta_free_trial, cta_test_drive,
       cta_get_it_now, cta_buy_now, cta_other, cta_sessions, consents, cta_rate, consent_rate, basis
FROM attr_campaign_performance;

CREATE VIEW marketplace_insights_counts AS
SELECT "date", partner_id, pga_id, offer_id, offer_name, referral_domain, country, site, mktcmpid,
       campaign_status, page_visits, ctas, cta_contact_me, cta_free_trial, cta_test_drive,
       cta_get_it_now, consents, counted
FROM attr_insights_daily;

CREATE VIEW campaign_overlap AS
SELECT "date", partner_id, offer_id, counted_from, click_page_visits, click_ctas,
       insights_page_visits, insights_ctas
FROM attr_campaign_overlap;

-- Marketplace deployments that may be shown (opted-out customers never are), and their resources.
CREATE VIEW marketplace_deployment_summary AS
SELECT deployment_correlation_id, offer_id, partner_id, pga_id, sku, deployment_status, succeeded,
       subscription_id, template_type, start_time, end_time, duration_ms, region, resources, error_codes
FROM marketplace_deployments
WHERE NOT opted_out;
