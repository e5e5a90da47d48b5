-- orders_monthly: each partner's orders per month of the report window (one row per month,
-- months without orders included, for the trend chart). The figures are defined once, in
-- sql/transform/510_report_orders_facts.sql (slice 0, the whole month).
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
SELECT x.partner_id, x.month,
       coalesce(f.new_orders, 0) AS new_orders,
       coalesce(f.new_trials, 0) AS new_trials,
       coalesce(f.renewed_orders, 0) AS renewed_orders,
       coalesce(f.canceled_orders, 0) AS canceled_orders,
       coalesce(f.active_orders, 0) AS active_orders,
       coalesce(f.active_quantity, 0) AS active_quantity
-- the partners from 1 to 2 (ids, inclusive) by the months from 3 to 4 (sql/schema/0061)
FROM report_partner_months(CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS DATE), CAST(? AS DATE)) x
LEFT JOIN report_orders_facts f ON f.partner_id = x.partner_id AND f.slice_no = 0 AND f.month = x.month
ORDER BY x.partner_id, x.month
