-- orders_detail: every order line of the partner in the report window (one row per order line
-- and month, its latest OrderVersion), for the detail sheet and the Parquet file.
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
-- Privacy (README, "Privacy"): fraud lines and customers who opted out of tracking anywhere never
-- appear; CustomerName is a personal field, shown only for customers who bought from this partner
-- through the marketplace (the rule of customers_detail), else "***".
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
partner_orders AS (   -- privacy: see sql/transform/150_visible_rows.sql
    SELECT o.*
    FROM partner_visible_orders o
    JOIN params p ON o.partner_id = p.partner_id
),
consenting_customers AS (
    SELECT DISTINCT customer_id
    FROM partner_orders
    WHERE NOT coalesce(is_trial, false)
      AND lower(trim(coalesce(order_status, ''))) <> 'abandoned'
      AND regexp_replace(lower(marketplace_license_type), '[^a-z]', '', 'g') IN ('billedthroughazure', 'microsoftasreseller')
)
SELECT o.month,
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
FROM partner_orders o
JOIN params p ON true
LEFT JOIN consenting_customers k ON k.customer_id = o.customer_id
WHERE o.month_start_date >= p.first_month
  AND o.month_start_date < p.last_month + INTERVAL 1 MONTH
ORDER BY o.month_start_date, o.asset_id, o.purchase_record_line_item_id
