-- orders_by_slice: each partner's orders per month of the report window, sliced by offer, plan,
-- offer type, license type (MarketplaceLicenseType), customer country and new or existing
-- customer (IsNewCustomer of the month's line). One row per slice, value and month with any
-- activity; the figures are defined once, in sql/transform/510_report_orders_facts.sql.
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
)
SELECT f.partner_id, f.slice, f.value, f.month,
       f.new_orders, f.new_trials, f.renewed_orders, f.canceled_orders, f.active_orders, f.active_quantity
FROM report_orders_facts f, params p
WHERE f.partner_id BETWEEN p.partner_from AND p.partner_to
  AND f.slice_no BETWEEN 1 AND 6
  AND f.month BETWEEN p.first_month AND p.last_month
  AND f.new_orders + f.renewed_orders + f.canceled_orders + f.active_orders > 0
ORDER BY f.partner_id, f.slice_no, f.value, f.month
