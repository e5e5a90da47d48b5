-- partner_orders, partner_usage, partner_customers: the partner-safe views. Every rule about what
-- a partner may see is written here once, and every partner-facing surface (the report files
-- through report_*_detail and the report facts, the analytics datasets of serve/analytics, the
-- portal pages of serve/web) reads partner rows only through these views or the report facts,
-- never through the tables they are built from (a test holds every partner-facing query to it,
-- cmd/internal/app/privacy_names_test.go). The rules (docs/reports.md, "Privacy"):
-- * rows: those of partner_visible_* (150_visible_rows.sql): a customer who opted out of
--   tracking anywhere never appears; fraud rows and opted-out usage never count;
-- * personal fields of a customer (CustomerName of an order; FirstName, LastName, Email of a
--   customer row) read "***" unless the customer bought from THAT partner through the
--   marketplace (report_consent, 500_report_consent.sql);
-- * the Azure subscription id is shown for pay-as-you-go customers only (NULL otherwise);
-- * kept visible on purpose: the customer's company, country, city, state and postal code (as
--   Partner Center shows them to the publisher) and ProviderName/ProviderEmail, the reseller's
--   (a company that sells the offer, not the customer).
-- Each view has one row per partner: partner_id is never NULL; a surface filters on its partner.

CREATE OR REPLACE VIEW partner_orders AS
SELECT o.* REPLACE (CASE WHEN k.customer_id IS NULL THEN '***' ELSE o.customer_name END AS customer_name)
FROM partner_visible_orders o
LEFT JOIN report_consent k ON k.partner_id = o.partner_id AND k.customer_id = o.customer_id
WHERE o.partner_id IS NOT NULL;

-- payg_subscriptions: the marketplace subscriptions of pay-as-you-go customers, whose Azure
-- subscription id a partner may see.
CREATE OR REPLACE VIEW payg_subscriptions AS
SELECT DISTINCT marketplace_subscription_id
FROM customers
WHERE regexp_replace(lower(azure_license_type), '[^a-z]', '', 'g') = 'payasyougo';

CREATE OR REPLACE VIEW partner_usage AS
SELECT u.* REPLACE (CASE WHEN g.marketplace_subscription_id IS NOT NULL THEN u.azure_subscription_id END AS azure_subscription_id)
FROM partner_visible_usage u
LEFT JOIN payg_subscriptions g ON g.marketplace_subscription_id = u.marketplace_subscription_id
WHERE u.partner_id IS NOT NULL;

-- partner_customers: one row per partner, customer subscription and delivery. A customer row
-- belongs to its PublisherId, else to each partner whose orders have its subscription.
--   first_purchase     the subscription's first purchase with the partner
--   subscription_name  the subscription's offer and plan (the export has no name field)
--   azure_subscription_id  the subscription's Azure subscription (usage), pay-as-you-go only
--   contact_details    'shown' or 'masked'
--   contact_rank       the order of the delivery's (Email, FirstName, LastName) among the
--                      deliveries of the same customer subscription, so that the detail report
--                      breaks ties between deliveries as before without reading the values
-- A table: the report and the analytics dataset read it many times per run.
CREATE OR REPLACE TABLE partner_customers AS
WITH orders_of_partners AS (
    SELECT * FROM current_orders WHERE partner_id IS NOT NULL AND NOT coalesce(is_fraud, false)
),
subscriptions AS (
    SELECT partner_id, marketplace_subscription_id,
           min(order_purchase_date) AS first_purchase,
           arg_max(offer_name || coalesce(' (' || plan_id || ')', ''),
                   (month_start_date, purchase_record_line_item_id)) AS subscription_name
    FROM orders_of_partners
    GROUP BY partner_id, marketplace_subscription_id
),
azure_subscriptions AS (
    SELECT partner_id, marketplace_subscription_id, min(azure_subscription_id) AS azure_subscription_id
    FROM resolved_usage
    WHERE azure_subscription_id IS NOT NULL AND partner_id IS NOT NULL
    GROUP BY partner_id, marketplace_subscription_id
),
owned AS (
    SELECT c.*, s.partner_id, s.first_purchase, s.subscription_name
    FROM partner_visible_customers c
    JOIN subscriptions s ON c.publisher_id IS NULL AND s.marketplace_subscription_id = c.marketplace_subscription_id
    UNION ALL BY NAME
    SELECT c.*, c.publisher_id AS partner_id, s.first_purchase, s.subscription_name
    FROM partner_visible_customers c
    LEFT JOIN subscriptions s ON s.partner_id = c.publisher_id AND s.marketplace_subscription_id = c.marketplace_subscription_id
    WHERE c.publisher_id IS NOT NULL
)
SELECT c.* REPLACE (CASE WHEN k.customer_id IS NULL THEN '***' ELSE c.first_name END AS first_name,
                    CASE WHEN k.customer_id IS NULL THEN '***' ELSE c.last_name END AS last_name,
                    CASE WHEN k.customer_id IS NULL THEN '***' ELSE c.email END AS email),
       CASE WHEN k.customer_id IS NULL THEN 'masked' ELSE 'shown' END AS contact_details,
       CASE WHEN regexp_replace(lower(c.azure_license_type), '[^a-z]', '', 'g') = 'payasyougo'
            THEN a.azure_subscription_id END AS azure_subscription_id,
       dense_rank() OVER (PARTITION BY c.partner_id, c.customer_id, c.marketplace_subscription_id
                          ORDER BY c.email NULLS LAST, c.first_name NULLS LAST, c.last_name NULLS LAST) AS contact_rank
FROM owned c
LEFT JOIN report_consent k ON k.partner_id = c.partner_id AND k.customer_id = c.customer_id
LEFT JOIN azure_subscriptions a ON a.partner_id = c.partner_id AND a.marketplace_subscription_id = c.marketplace_subscription_id
ORDER BY c.partner_id, c.customer_id, c.marketplace_subscription_id;

-- hidden_azure_subscriptions: the Azure subscriptions of hidden customers (their usage rows link
-- them), so that the deployments in them stay out of partner rows too: a customer who opted out
-- on a marketplace subscription is absent everywhere, not only where a customer id is a column.
CREATE OR REPLACE TABLE hidden_azure_subscriptions AS
SELECT DISTINCT lower(trim(u.azure_subscription_id)) AS sub_key
FROM resolved_usage u
JOIN hidden_customers h ON h.customer_id = u.customer_id
WHERE u.azure_subscription_id IS NOT NULL
ORDER BY sub_key;

-- partner_deployments: the deployments attributed to a partner's tracking IDs, opted-out
-- subscriptions and tenants (attr_deployments.opted_out) and hidden customers left out. The
-- deployment's subscription stays a column: it is where the partner's own template or client
-- ran, the evidence of the attribution (docs/reports.md, "Privacy").
CREATE OR REPLACE VIEW partner_deployments AS
SELECT d.*
FROM attr_deployments d
ANTI JOIN hidden_azure_subscriptions h ON h.sub_key = lower(trim(d.subscription_id))
WHERE d.partner_id IS NOT NULL AND d.status = 'attributed' AND NOT d.opted_out;

-- partner_marketplace_deployments: the deployments of the partner's own offers (Quality of
-- service, marketplace_deployment_summary: opted-out subscriptions and tenants already out),
-- hidden customers left out.
CREATE OR REPLACE VIEW partner_marketplace_deployments AS
SELECT q.*
FROM marketplace_deployment_summary q
ANTI JOIN hidden_azure_subscriptions h ON h.sub_key = lower(trim(q.subscription_id))
WHERE q.partner_id IS NOT NULL;

-- partner_qos_resources: the Quality of service report's per-resource columns of each deployment
-- of a partner's offers, from the deployment's rows in its latest delivery (distinct values joined
-- with ','). The customer's name is '***' unless the deployment's tenant is a customer in
-- report_consent for that partner (500_report_consent.sql).
CREATE OR REPLACE VIEW partner_qos_resources AS
WITH r AS (
    SELECT deployment_correlation_id AS q_id,
           min(customer_tenant_id) AS q_customer_tenant_id,
           min(customer_name) AS q_customer_name,
           string_agg(DISTINCT nullif(trim(resource_provider), ''), ',' ORDER BY nullif(trim(resource_provider), '')) AS q_resource_provider,
           string_agg(DISTINCT nullif(trim(resource_uri), ''), ',' ORDER BY nullif(trim(resource_uri), '')) AS q_resource_uri,
           string_agg(DISTINCT nullif(trim(resource_group), ''), ',' ORDER BY nullif(trim(resource_group), '')) AS q_resource_group,
           string_agg(DISTINCT nullif(trim(resource_type), ''), ',' ORDER BY nullif(trim(resource_type), '')) AS q_resource_type,
           string_agg(DISTINCT nullif(trim(resource_name), ''), ',' ORDER BY nullif(trim(resource_name), '')) AS q_resource_name,
           string_agg(DISTINCT nullif(trim(error_code), ''), ',' ORDER BY nullif(trim(error_code), '')) AS q_error_code,
           string_agg(DISTINCT nullif(trim(error_name), ''), ',' ORDER BY nullif(trim(error_name), '')) AS q_error_name,
           string_agg(DISTINCT nullif(trim(error_message), ''), ',' ORDER BY nullif(trim(error_message), '')) AS q_error_message,
           string_agg(DISTINCT nullif(trim(deep_error_code), ''), ',' ORDER BY nullif(trim(deep_error_code), '')) AS q_deep_error_code,
           string_agg(DISTINCT nullif(trim(deep_error_message), ''), ',' ORDER BY nullif(trim(deep_error_message), '')) AS q_deep_error_message
    FROM (SELECT * FROM qos QUALIFY _file_id = max(_file_id) OVER (PARTITION BY deployment_correlation_id))
    GROUP BY deployment_correlation_id
)
SELECT d.partner_id, r.* EXCLUDE (q_customer_name),
       CASE WHEN r.q_customer_name IS NULL OR k.customer_id IS NOT NULL THEN r.q_customer_name
            ELSE '***' END AS customer_name
FROM r
JOIN marketplace_deployment_summary d ON d.deployment_correlation_id = r.q_id
LEFT JOIN report_consent k ON k.partner_id = d.partner_id AND k.customer_id = r.q_customer_tenant_id
WHERE d.partner_id IS NOT NULL;

-- partner_revenue: the Revenue download's transactions of each publisher (its landing folder),
-- hidden customers left out; the customer's name and email are '***' unless the customer is in
-- report_consent for that partner. Nothing here feeds billed sales (docs/tiers.md).
CREATE OR REPLACE VIEW partner_revenue AS
SELECT r.* REPLACE (
           CASE WHEN r.customer_name IS NULL OR k.customer_id IS NOT NULL THEN r.customer_name ELSE '***' END AS customer_name,
           CASE WHEN r.customer_email IS NULL OR k.customer_id IS NOT NULL THEN r.customer_email ELSE '***' END AS customer_email)
FROM revenue r
ANTI JOIN hidden_customers h ON h.customer_id = r.customer_id
LEFT JOIN report_consent k ON k.partner_id = r.publisher_id AND k.customer_id = r.customer_id
WHERE r.publisher_id IS NOT NULL;
