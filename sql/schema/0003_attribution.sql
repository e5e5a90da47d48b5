-- Attribution (pid tracking IDs on deployments and usage) and campaigns (mktcmpid, src on clicks).
-- attr_* tables are rebuilt by every transform run (steps 1NN_* and 3NN_*); they are internal and
-- unmasked. Analysts and reports use the views at the end, which never show opted-out customers.

-- Step 105 (Go): every tracking-ID token found in the distinct deployment names, user agents and
-- Terraform partner_ids.
CREATE TABLE attr_tokens (
    source       VARCHAR NOT NULL,   -- deployment_name, user_agent, terraform_partner_id
    input        VARCHAR NOT NULL,   -- the string searched
    token_index  BIGINT NOT NULL,    -- 1-based position among the input's tokens
    raw_token    VARCHAR NOT NULL,   -- as found
    kind         VARCHAR NOT NULL,   -- guid, partner_center, malformed
    tracking_id  VARCHAR,            -- canonical: pid-<lower-case guid>, or the Partner Center ID; NULL when malformed
    match_key    VARCHAR NOT NULL,   -- what a registration must equal
    reason       VARCHAR
);

-- Step 105 (Go): every distinct registered string, parsed.
CREATE TABLE attr_registry_keys (
    registered   VARCHAR NOT NULL,   -- tracking_ids.tracking_id as registered
    kind         VARCHAR NOT NULL,   -- guid, partner_center
    match_key    VARCHAR NOT NULL,
    note         VARCHAR
);

-- Step 110: the registry as versions. A registration applies from the start of its UTC day until
-- the next registration of the same ID (an edit); the latest registration of a day wins.
CREATE TABLE attr_registry (
    tracking_id    VARCHAR NOT NULL,   -- canonical
    registered_as  VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,
    version        BIGINT NOT NULL,    -- 1 = first registration
    partner_id     VARCHAR NOT NULL,
    pga_id         VARCHAR,
    offer_id       VARCHAR,
    channel        VARCHAR,
    plan_id        VARCHAR,
    registered_at  TIMESTAMP NOT NULL,
    valid_from     DATE NOT NULL,
    valid_until    DATE                -- exclusive; NULL = current
);

-- Step 110: one row per deployment and distinct tracking ID found (one row with status none when
-- there is none). Unmasked: the view deployment_attribution masks opted-out customers.
CREATE TABLE attr_deployments (
    deployment_id       VARCHAR NOT NULL,
    "timestamp"         TIMESTAMP NOT NULL,
    subscription_id     VARCHAR,
    customer_tenant_id  VARCHAR,
    resource_group      VARCHAR,
    region              VARCHAR,
    deployment_status   VARCHAR,
    token_seq           BIGINT NOT NULL,   -- 1.. per deployment, in order found (name, user agent, partner_id)
    tokens_found        BIGINT NOT NULL,   -- distinct tracking IDs on the deployment
    source              VARCHAR,
    raw_token           VARCHAR,
    kind                VARCHAR,
    tracking_id         VARCHAR,
    status              VARCHAR NOT NULL,  -- attributed, unregistered, malformed, before_registration, opted_out, none
    reason              VARCHAR,
    multiple            BOOLEAN NOT NULL,  -- one of several registered IDs on this deployment
    opted_out           BOOLEAN NOT NULL,
    partner_id          VARCHAR,
    pga_id              VARCHAR,
    offer_id            VARCHAR,
    channel             VARCHAR,
    plan_id             VARCHAR,
    registered_at       TIMESTAMP,
    tags_usage          BOOLEAN NOT NULL   -- attributed and not failed/canceled: may tag usage
);

-- Step 120: one row per usage row and tracking ID it is attributed to.
CREATE TABLE attr_usage (
    reference_id                  VARCHAR NOT NULL,
    usage_date                    DATE NOT NULL,
    month                         DATE NOT NULL,
    marketplace_subscription_id   VARCHAR NOT NULL,
    azure_subscription_id         VARCHAR,
    resource_group                VARCHAR,
    usage_offer_id                VARCHAR,   -- the offer the usage is of
    usage_partner_id              VARCHAR,   -- that offer's publisher
    meter_id                      VARCHAR,
    normalized_usage              DECIMAL(18,6),
    raw_usage                     DECIMAL(18,6),
    metered_usage                 DECIMAL(18,6),
    estimated_extended_charge_pc  DECIMAL(18,6),
    payout_currency_pc            VARCHAR,
    match_level                   VARCHAR NOT NULL,  -- resource_group, subscription
    deployment_id                 VARCHAR NOT NULL,
    deployment_timestamp          TIMESTAMP NOT NULL,
    tracking_id                   VARCHAR NOT NULL,
    multiple                      BOOLEAN NOT NULL,  -- the usage row is attributed to several IDs
    partner_id                    VARCHAR NOT NULL,  -- the tracking ID's partner
    pga_id                        VARCHAR,
    offer_id                      VARCHAR,           -- the tracking ID's registered offer
    channel                       VARCHAR,
    plan_id                       VARCHAR
);

CREATE TABLE attr_usage_monthly (
    month                         DATE NOT NULL,
    partner_id                    VARCHAR NOT NULL,
    pga_id                        VARCHAR,
    tracking_id                   VARCHAR NOT NULL,
    offer_id                      VARCHAR,
    channel                       VARCHAR,
    plan_id                       VARCHAR,
    payout_currency_pc            VARCHAR,
    usage_rows                    BIGINT NOT NULL,
    shared_usage_rows             BIGINT NOT NULL,   -- rows also attributed to another ID
    subscriptions                 BIGINT NOT NULL,
    normalized_usage              DECIMAL(38,6),
    raw_usage                     DECIMAL(38,6),
    metered_usage                 DECIMAL(38,6),
    estimated_extended_charge_pc  DECIMAL(38,6)
);

-- Step 130: the operator's list of unregistered and malformed IDs seen.
CREATE TABLE attr_issues (
    status          VARCHAR NOT NULL,   -- unregistered, malformed
    tracking_id     VARCHAR NOT NULL,   -- canonical, or the raw token when malformed
    kind            VARCHAR NOT NULL,
    example_token   VARCHAR NOT NULL,   -- one spelling seen
    reason          VARCHAR,
    sources         VARCHAR NOT NULL,   -- where it was found
    deployments     BIGINT NOT NULL,
    subscriptions   BIGINT NOT NULL,
    first_seen      TIMESTAMP NOT NULL,
    last_seen       TIMESTAMP NOT NULL
);

-- Step 305 (Go): every distinct landing URL, parsed.
CREATE TABLE attr_campaign_urls (
    landing_url      VARCHAR NOT NULL,
    mktcmpid         VARCHAR NOT NULL,
    campaign_status  VARCHAR NOT NULL,
    campaign_reason  VARCHAR,
    src              VARCHAR,
    src_normalized   VARCHAR
);

-- Step 310: clicks with their campaign, source, action class and partner.
CREATE TABLE attr_clicks (
    "timestamp"      TIMESTAMP NOT NULL,
    click_date       DATE NOT NULL,
    session_id       VARCHAR NOT NULL,
    offer_id         VARCHAR NOT NULL,
    partner_id       VARCHAR,
    pga_id           VARCHAR,
    site             VARCHAR,
    action           VARCHAR NOT NULL,
    action_kind      VARCHAR NOT NULL,   -- page_visit, cta, consent
    cta_type         VARCHAR,            -- contact_me, free_trial, test_drive, get_it_now, buy_now or the action itself
    landing_url      VARCHAR,
    referral_domain  VARCHAR,
    country          VARCHAR,
    mktcmpid         VARCHAR NOT NULL,
    campaign_status  VARCHAR NOT NULL,
    campaign_reason  VARCHAR,
    src              VARCHAR,
    src_normalized   VARCHAR
);

-- Step 320: the funnel per day and per month.
CREATE TABLE attr_campaign_performance (
    period           VARCHAR NOT NULL,   -- day, month
    period_start     DATE NOT NULL,
    partner_id       VARCHAR,
    pga_id           VARCHAR,
    offer_id         VARCHAR NOT NULL,
    mktcmpid         VARCHAR NOT NULL,
    campaign_status  VARCHAR NOT NULL,
    source           VARCHAR,            -- src_normalized
    referral_domain  VARCHAR,            -- lower case
    page_visits      BIGINT NOT NULL,    -- distinct sessions
    clicks           BIGINT NOT NULL,
    ctas             BIGINT NOT NULL,
    cta_contact_me   BIGINT NOT NULL,
    cta_free_trial   BIGINT NOT NULL,
    cta_test_drive   BIGINT NOT NULL,
    cta_get_it_now   BIGINT NOT NULL,
    cta_buy_now      BIGINT NOT NULL,
    cta_other        BIGINT NOT NULL,
    cta_sessions     BIGINT NOT NULL,
    consents         BIGINT NOT NULL,    -- distinct sessions that gave consent
    cta_rate         DECIMAL(9,4),       -- cta_sessions / page_visits
    consent_rate     DECIMAL(9,4)        -- consents / page_visits
);

-- Public views.

-- One row per deployment and tracking ID found. Opted-out deployments appear once, with every
-- customer and tracking identifier masked (NULL) and no partner.
CREATE VIEW deployment_attribution AS
SELECT
    CASE WHEN opted_out THEN NULL ELSE deployment_id END      AS deployment_id,
    "timestamp",
    CASE WHEN opted_out THEN NULL ELSE subscription_id END    AS subscription_id,
    CASE WHEN opted_out THEN NULL ELSE resource_group END     AS resource_group,
    region,
    deployment_status,
    CASE WHEN opted_out THEN NULL ELSE source END             AS source,
    CASE WHEN opted_out THEN NULL ELSE raw_token END          AS raw_token,
    CASE WHEN opted_out THEN NULL ELSE tracking_id END        AS tracking_id,
    status,
    reason,
    multiple,
    partner_id,
    pga_id,
    offer_id,
    channel,
    plan_id
FROM attr_deployments
WHERE NOT opted_out OR token_seq = 1;

-- Attributed usage rows (opted-out customers never appear).
CREATE VIEW attributed_usage AS
SELECT reference_id, usage_date, month, marketplace_subscription_id, azure_subscription_id,
       resource_group, usage_offer_id, meter_id, normalized_usage, raw_usage, metered_usage,
       estimated_extended_charge_pc, payout_currency_pc, match_level, deployment_id,
       deployment_timestamp, tracking_id, multiple, partner_id, pga_id, offer_id, channel, plan_id
FROM attr_usage;

CREATE VIEW attributed_usage_monthly AS
SELECT month, partner_id, pga_id, tracking_id, offer_id, channel, plan_id, payout_currency_pc,
       usage_rows, shared_usage_rows, subscriptions, normalized_usage, raw_usage, metered_usage,
       estimated_extended_charge_pc
FROM attr_usage_monthly;

CREATE VIEW tracking_id_issues AS
SELECT status, tracking_id, kind, example_token, reason, sources, deployments, subscriptions,
       first_seen, last_seen
FROM attr_issues;

CREATE VIEW campaign_clicks AS
SELECT "timestamp", click_date, session_id, offer_id, partner_id, pga_id, site, action, action_kind,
       cta_type, landing_url, referral_domain, country, mktcmpid, campaign_status, campaign_reason,
       src, src_normalized
FROM attr_clicks;

CREATE VIEW campaign_performance AS
SELECT period, period_start, partner_id, pga_id, offer_id, mktcmpid, campaign_status, source,
       referral_domain, page_visits, clicks, ctas, cta_contact_me, cta_free_trial, cta_test_drive,
       cta_get_it_now, cta_buy_now, cta_other, cta_sessions, consents, cta_rate, consent_rate
FROM attr_campaign_performance;
