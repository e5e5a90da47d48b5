-- orders_by_slice: the partner's orders per month of the report window, sliced by offer, plan,
-- offer type, license type (MarketplaceLicenseType), customer country and new or existing
-- customer (IsNewCustomer of the month's line). One row per slice, value and month with any
-- activity; the figures are those of orders_monthly, restricted to the slice's value.
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
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
sliced AS (
    SELECT l.*,
           unnest([
               {'slice_no': 1, 'slice': 'Offer', 'value': l.offer_name},
               {'slice_no': 2, 'slice': 'Plan', 'value': l.plan_id},
               {'slice_no': 3, 'slice': 'Offer type', 'value': l.offer_type},
               {'slice_no': 4, 'slice': 'License type', 'value': l.marketplace_license_type},
               {'slice_no': 5, 'slice': 'Country', 'value': l.customer_country},
               {'slice_no': 6, 'slice': 'New or existing customer',
                'value': CASE WHEN l.is_new_customer THEN 'New customer'
                              WHEN NOT l.is_new_customer THEN 'Existing customer' END}
           ], recursive := true)
    FROM lines l
),
per_slice AS (
    SELECT slice_no, slice, coalesce(nullif(trim(value), ''), '(none)') AS value, month,
           count(DISTINCT asset_id) FILTER (WHERE date_trunc('month', order_purchase_date) = month) AS new_orders,
           count(DISTINCT asset_id) FILTER (WHERE date_trunc('month', order_purchase_date) = month
                                              AND coalesce(is_trial, false)) AS new_trials,
           count(DISTINCT asset_id) FILTER (WHERE date_trunc('month', term_start_date) = month
                                              AND term_start_date > order_purchase_date) AS renewed_orders,
           count(DISTINCT asset_id) FILTER (WHERE lower(trim(order_status)) = 'canceled') AS canceled_orders,
           count(DISTINCT asset_id) FILTER (WHERE is_active) AS active_orders,
           sum(order_quantity) FILTER (WHERE is_active AND coalesce(estimated_charges, 0) >= 0) AS active_quantity
    FROM sliced
    GROUP BY slice_no, slice, coalesce(nullif(trim(value), ''), '(none)'), month
)
SELECT slice, value, month,
       CAST(new_orders AS BIGINT) AS new_orders,
       CAST(new_trials AS BIGINT) AS new_trials,
       CAST(renewed_orders AS BIGINT) AS renewed_orders,
       CAST(canceled_orders AS BIGINT) AS canceled_orders,
       CAST(active_orders AS BIGINT) AS active_orders,
       CAST(coalesce(active_quantity, 0) AS BIGINT) AS active_quantity
FROM per_slice
WHERE new_orders + renewed_orders + canceled_orders + active_orders > 0
ORDER BY slice_no, value, month
