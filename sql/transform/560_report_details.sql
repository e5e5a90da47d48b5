-- report_orders_detail, report_usage_detail, report_customers_detail: the rows of the detail
-- reports of every partner, privacy and masking applied here once. The report queries only pick
-- the window (and, for customers, count orders up to the report month) and order the window's
-- rows by partner, so that each partner's rows are one contiguous range. The two big ones (order
-- lines and usage rows) are views, not copies: copying and sorting every row of every month cost
-- the transform more time and memory than reading the window's rows costs the report query.
-- Privacy: the rows of partner_visible_* (150_visible_rows.sql); personal fields read "***" unless
-- the customer is in report_consent (500_report_consent.sql); the Azure subscription id is shown
-- for pay-as-you-go customers only.
CREATE OR REPLACE VIEW report_orders_detail AS
SELECT o.partner_id,
       o.month_start_date,
       o.month,
       o.asset_id AS order_id,
       o.purchase_record_line_item_id AS line_item_id,
       o.order_version,
       o.marketplace_subscription_id,
       o.offer_name,
       o.offer_type,
       o.plan_id,
       o.sku,
       o.marketplace_license_type,
       o.azure_license_type,
       o.order_status,
       o.order_action,
       o.order_purchase_date,
       o.order_cancel_date,
       o.term_start_date,
       o.term_end_date,
       o.is_trial,
       o.trial_end_date,
       o.is_private_offer,
       o.order_quantity,
       o.estimated_charges,
       o.currency,
       o.customer_id,
       CASE WHEN k.customer_id IS NULL THEN '***' ELSE o.customer_name END AS customer_name,
       o.customer_company_name,
       o.customer_country,
       o.is_new_customer,
       o.cloud_instance_name,
       o.event_timestamp
FROM partner_visible_orders o
LEFT JOIN report_consent k ON k.partner_id = o.partner_id AND k.customer_id = o.customer_id
WHERE o.partner_id IS NOT NULL;


CREATE OR REPLACE VIEW report_usage_detail AS
WITH payg_subscriptions AS (   -- marketplace subscriptions of pay-as-you-go customers
    SELECT DISTINCT marketplace_subscription_id
    FROM customers
    WHERE regexp_replace(lower(azure_license_type), '[^a-z]', '', 'g') = 'payasyougo'
)
SELECT u.partner_id,
       u.usage_date,
       u.reference_id,
       u.marketplace_subscription_id,
       CASE WHEN g.marketplace_subscription_id IS NOT NULL THEN u.azure_subscription_id END AS azure_subscription_id,
       u.customer_id,
       u.customer_country,
       u.offer_name,
       u.offer_type,
       u.plan_id,
       u.sku,
       u.marketplace_license_type,
       u.vm_size,
       u.core_size,
       u.usage_type,
       u.meter_id,
       u.meter_dimension,
       u.usage_unit,
       u.normalized_usage,
       u.raw_usage,
       u.metered_usage,
       u.estimated_extended_charge_cc,
       u.customer_currency_cc,
       u.estimated_extended_charge_pc,
       u.payout_currency_pc
FROM partner_visible_usage u
LEFT JOIN payg_subscriptions g ON g.marketplace_subscription_id = u.marketplace_subscription_id
WHERE u.partner_id IS NOT NULL;


-- report_customer_orders: each partner's orders (AssetIds) per customer with their first
-- purchase date, fraud left out (hidden customers never reach the customer rows anyway), so
-- that customers_detail counts the orders up to the report month.
CREATE OR REPLACE TABLE report_customer_orders AS
SELECT partner_id, customer_id, asset_id, min(order_purchase_date) AS first_purchase
FROM current_orders
WHERE partner_id IS NOT NULL AND customer_id IS NOT NULL AND NOT coalesce(is_fraud, false)
GROUP BY ALL
ORDER BY partner_id, customer_id, asset_id;

-- report_customers_detail: one row per partner, customer subscription and delivery. A customer
-- row belongs to its PublisherId, else to each partner whose orders have its subscription.
--   transaction_date   the subscription's first purchase date (DateAcquired when no order)
--   subscription_name  the subscription's offer and plan (the export has no name field)
CREATE OR REPLACE TABLE report_customers_detail AS
WITH partner_orders AS (
    SELECT * FROM current_orders WHERE partner_id IS NOT NULL AND NOT coalesce(is_fraud, false)
),
subscriptions AS (
    SELECT partner_id, marketplace_subscription_id,
           min(order_purchase_date) AS first_purchase,
           arg_max(offer_name || coalesce(' (' || plan_id || ')', ''),
                   (month_start_date, purchase_record_line_item_id)) AS subscription_name
    FROM partner_orders
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
SELECT c.partner_id,
       c._file_id,
       c.customer_id,
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
       c.customer_country_region AS country,
       c.customer_state AS state,
       c.customer_city AS city,
       c.customer_postal_code AS postal_code,
       c.customer_communication_culture AS communication_culture,
       c.date_acquired,
       c.date_lost,
       c.email AS sort_email, c.first_name AS sort_first_name, c.last_name AS sort_last_name
FROM owned c
LEFT JOIN report_consent k ON k.partner_id = c.partner_id AND k.customer_id = c.customer_id
LEFT JOIN azure_subscriptions a ON a.partner_id = c.partner_id AND a.marketplace_subscription_id = c.marketplace_subscription_id
ORDER BY c.partner_id, c.customer_id, c.marketplace_subscription_id;
