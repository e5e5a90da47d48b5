-- customers_detail: one row per customer and marketplace subscription of the partner that was
-- a customer at some time in the report window, with the customer attributes of the design.
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
--
-- Privacy (README, "Privacy"):
-- * customers who opted out of tracking anywhere never appear;
-- * the data has no consent flag, so personal fields (first name, last name, email) are shown
--   only for customers who bought from this partner through the marketplace: at least one
--   non-trial, non-fraud, non-abandoned order whose MarketplaceLicenseType is "Billed through
--   Azure" or "Microsoft as Reseller". Otherwise they read "***" (contact_details = masked);
-- * the Azure subscription id is shown for pay-as-you-go customers only.
--   transaction_date   the subscription's first purchase date (DateAcquired when no order)
--   subscription_name  the subscription's offer and plan (the export has no name field)
--   order_count        the customer's orders (AssetIds) with the partner
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
partner_orders AS (   -- fraud left out; unlike partner_visible_orders, hidden customers' lines kept
    SELECT o.*
    FROM current_orders o
    JOIN params p ON o.partner_id = p.partner_id
    WHERE NOT coalesce(o.is_fraud, false)
),
consenting_customers AS (
    SELECT DISTINCT customer_id
    FROM partner_orders
    WHERE NOT coalesce(is_trial, false)
      AND lower(trim(coalesce(order_status, ''))) <> 'abandoned'
      AND regexp_replace(lower(marketplace_license_type), '[^a-z]', '', 'g') IN ('billedthroughazure', 'microsoftasreseller')
),
subscriptions AS (   -- the partner's subscriptions (a customer row may lack PublisherId)
    SELECT marketplace_subscription_id, min(partner_id) AS partner_id,
           min(order_purchase_date) AS first_purchase,
           arg_max(offer_name || coalesce(' (' || plan_id || ')', ''),
                   (month_start_date, purchase_record_line_item_id)) AS subscription_name
    FROM partner_orders
    GROUP BY marketplace_subscription_id
),
order_counts AS (
    SELECT customer_id, count(DISTINCT asset_id) AS order_count
    FROM partner_orders p, params x
    WHERE p.order_purchase_date <= last_day(x.last_month)
    GROUP BY customer_id
),
azure_subscriptions AS (
    SELECT u.marketplace_subscription_id, min(u.azure_subscription_id) AS azure_subscription_id
    FROM resolved_usage u
    JOIN params p ON u.partner_id = p.partner_id
    WHERE u.azure_subscription_id IS NOT NULL
    GROUP BY u.marketplace_subscription_id
),
partner_customers AS (   -- privacy: see sql/transform/150_visible_rows.sql
    SELECT c.*, s.first_purchase, s.subscription_name
    FROM partner_visible_customers c
    LEFT JOIN subscriptions s USING (marketplace_subscription_id)
    JOIN params p ON coalesce(c.publisher_id, s.partner_id) = p.partner_id
    WHERE (c.date_acquired IS NULL OR c.date_acquired <= last_day(p.last_month))
      AND (c.date_lost IS NULL OR c.date_lost >= p.first_month)
    QUALIFY row_number() OVER (   -- a later delivery of the same customer subscription wins
        PARTITION BY c.customer_id, c.marketplace_subscription_id
        ORDER BY c._file_id DESC, c.date_acquired DESC NULLS LAST, c.date_lost DESC NULLS LAST,
                 c.email NULLS LAST, c.first_name NULLS LAST, c.last_name NULLS LAST,
                 c.customer_company_name NULLS LAST, c.provider_name NULLS LAST) = 1
)
SELECT c.customer_id,
       c.customer_company_name,
       CASE WHEN k.customer_id IS NULL THEN '***' ELSE c.first_name END AS first_name,
       CASE WHEN k.customer_id IS NULL THEN '***' ELSE c.last_name END AS last_name,
       CASE WHEN k.customer_id IS NULL THEN '***' ELSE c.email END AS email,
       CASE WHEN k.customer_id IS NULL THEN 'masked' ELSE 'shown' END AS contact_details,
       c.provider_name AS reseller,
       c.provider_email AS reseller_email,
       coalesce(c.first_purchase, c.date_acquired) AS transaction_date,
       c.marketplace_subscription_id,
       c.subscription_name,
       CASE WHEN regexp_replace(lower(c.azure_license_type), '[^a-z]', '', 'g') = 'payasyougo'
            THEN a.azure_subscription_id END AS azure_subscription_id,
       c.azure_license_type,
       c.customer_type,
       c.cloud_instance_name,
       CAST(coalesce(n.order_count, 0) AS BIGINT) AS order_count,
       c.customer_country_region AS country,
       c.customer_state AS state,
       c.customer_city AS city,
       c.customer_postal_code AS postal_code,
       c.customer_communication_culture AS communication_culture,
       c.date_acquired,
       c.date_lost
FROM partner_customers c
LEFT JOIN consenting_customers k ON k.customer_id = c.customer_id
LEFT JOIN order_counts n ON n.customer_id = c.customer_id
LEFT JOIN azure_subscriptions a ON a.marketplace_subscription_id = c.marketplace_subscription_id
ORDER BY c.customer_id, c.marketplace_subscription_id
