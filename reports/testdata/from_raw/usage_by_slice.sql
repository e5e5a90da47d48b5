-- usage_by_slice: the partner's usage per month of the report window, sliced by offer, plan,
-- offer type, license type, customer country, new or existing customer (new: the month of the
-- customer's first order with the partner, or of its first DateAcquired with the partner in the
-- customers export when earlier; unknown when neither), VM size and meter (the custom meter
-- dimension, else the meter id). One row per slice, value and month with usage; the figures
-- are those of usage_monthly, restricted to the slice's value.
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
-- Privacy: opted-out usage, fraud rows and customers who opted out anywhere never count.
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
rates AS (
    SELECT upper(trim(currency)) AS currency, CAST(date_trunc('month', month) AS DATE) AS month,
           arg_max(rate_to_usd, _file_id) AS rate_to_usd
    FROM fx_rates
    GROUP BY ALL
),
partner_subscriptions AS (   -- the subscriptions the partner's orders hold (any partner's first)
    SELECT marketplace_subscription_id
    FROM current_orders
    GROUP BY marketplace_subscription_id
    HAVING min(partner_id) = (SELECT partner_id FROM params)
),
customer_since AS (
    SELECT customer_id, CAST(date_trunc('month', min(since)) AS DATE) AS first_month
    FROM (
        SELECT o.customer_id, o.order_purchase_date AS since
        FROM partner_visible_orders o
        JOIN params p ON o.partner_id = p.partner_id
        UNION ALL
        SELECT c.customer_id, c.date_acquired
        FROM partner_visible_customers c, params p
        WHERE c.publisher_id = p.partner_id
           OR c.publisher_id IS NULL
              AND c.marketplace_subscription_id IN (SELECT marketplace_subscription_id FROM partner_subscriptions)
    )
    WHERE since IS NOT NULL
    GROUP BY customer_id
),
rows AS (   -- privacy: see sql/transform/150_visible_rows.sql
    SELECT u.*
    FROM partner_visible_usage u
    JOIN params p ON u.partner_id = p.partner_id
    WHERE u.usage_date >= p.first_month
      AND u.usage_date < p.last_month + INTERVAL 1 MONTH
),
priced AS (
    SELECT r.*, r.charge * CASE WHEN r.charge_currency = 'USD' THEN 1 ELSE x.rate_to_usd END AS charge_usd,
           CASE WHEN c.first_month = r.month THEN 'New customer'
                WHEN c.first_month < r.month THEN 'Existing customer'
                ELSE 'Unknown (no purchase or acquisition date)' END AS customer_kind
    FROM rows r
    LEFT JOIN rates x ON x.currency = r.charge_currency AND x.month = r.month
    LEFT JOIN customer_since c ON c.customer_id = r.customer_id
),
sliced AS (
    SELECT r.*,
           unnest([
               {'slice_no': 1, 'slice': 'Offer', 'value': r.offer_name},
               {'slice_no': 2, 'slice': 'Plan', 'value': r.plan_id},
               {'slice_no': 3, 'slice': 'Offer type', 'value': r.offer_type},
               {'slice_no': 4, 'slice': 'License type', 'value': r.marketplace_license_type},
               {'slice_no': 5, 'slice': 'Country', 'value': r.customer_country},
               {'slice_no': 6, 'slice': 'New or existing customer', 'value': r.customer_kind},
               {'slice_no': 7, 'slice': 'VM size', 'value': r.vm_size},
               {'slice_no': 8, 'slice': 'Meter', 'value': coalesce(nullif(trim(r.meter_dimension), ''), r.meter_id)}
           ], recursive := true)
    FROM priced r
),
per_slice AS (
    SELECT slice_no, slice, coalesce(nullif(trim(value), ''), '(none)') AS value, month,
           sum(normalized_usage) AS normalized_usage,
           sum(raw_usage) AS raw_usage,
           sum(metered_usage) AS metered_quantity,
           sum(charge_usd) AS charges_usd,
           count(DISTINCT marketplace_subscription_id) AS subscriptions,
           count(DISTINCT customer_id) AS customers
    FROM sliced
    GROUP BY slice_no, slice, coalesce(nullif(trim(value), ''), '(none)'), month
)
SELECT slice, value, month,
       CAST(coalesce(normalized_usage, 0) AS DECIMAL(18,6)) AS normalized_usage,
       CAST(coalesce(raw_usage, 0) AS DECIMAL(18,6)) AS raw_usage,
       CAST(coalesce(metered_quantity, 0) AS DECIMAL(18,6)) AS metered_quantity,
       CAST(coalesce(charges_usd, 0) AS DECIMAL(18,2)) AS estimated_charges_usd,
       CAST(subscriptions AS BIGINT) AS subscriptions,
       CAST(customers AS BIGINT) AS customers
FROM per_slice
ORDER BY slice_no, value, month
