-- orders_monthly: the partner's orders per month of the report window (one row per month,
-- months without orders included, for the trend chart).
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
--
-- The order export has one line per order (AssetId) and month (MonthStartDate); the latest
-- OrderVersion of each line is in current_orders. A month's figures come from its lines:
--   new_orders       orders purchased that month (OrderPurchaseDate), trials included
--   new_trials       of which free trials
--   renewed_orders   orders whose new term started that month (TermStartDate after the purchase)
--   canceled_orders  orders whose line that month is Canceled
--   active_orders    orders whose line that month is Active or Warning
--   active_quantity  their OrderQuantity, refund/credit lines (negative charges) left out
-- Privacy: fraud lines and customers who opted out of tracking anywhere never count.
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
lines AS (   -- privacy: see sql/transform/150_visible_rows.sql
    SELECT o.*
    FROM partner_visible_orders o
    JOIN params p ON o.partner_id = p.partner_id
    WHERE o.month_start_date >= p.first_month
      AND o.month_start_date < p.last_month + INTERVAL 1 MONTH
),
months AS (
    SELECT CAST(unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS DATE) AS month
    FROM params
),
per_month AS (
    SELECT month,
           count(DISTINCT asset_id) FILTER (WHERE date_trunc('month', order_purchase_date) = month) AS new_orders,
           count(DISTINCT asset_id) FILTER (WHERE date_trunc('month', order_purchase_date) = month
                                              AND coalesce(is_trial, false)) AS new_trials,
           count(DISTINCT asset_id) FILTER (WHERE date_trunc('month', term_start_date) = month
                                              AND term_start_date > order_purchase_date) AS renewed_orders,
           count(DISTINCT asset_id) FILTER (WHERE lower(trim(order_status)) = 'canceled') AS canceled_orders,
           count(DISTINCT asset_id) FILTER (WHERE is_active) AS active_orders,
           sum(order_quantity) FILTER (WHERE is_active AND coalesce(estimated_charges, 0) >= 0) AS active_quantity
    FROM lines
    GROUP BY month
)
SELECT m.month,
       CAST(coalesce(x.new_orders, 0) AS BIGINT) AS new_orders,
       CAST(coalesce(x.new_trials, 0) AS BIGINT) AS new_trials,
       CAST(coalesce(x.renewed_orders, 0) AS BIGINT) AS renewed_orders,
       CAST(coalesce(x.canceled_orders, 0) AS BIGINT) AS canceled_orders,
       CAST(coalesce(x.active_orders, 0) AS BIGINT) AS active_orders,
       CAST(coalesce(x.active_quantity, 0) AS BIGINT) AS active_quantity
FROM months m
LEFT JOIN per_month x USING (month)
ORDER BY m.month
