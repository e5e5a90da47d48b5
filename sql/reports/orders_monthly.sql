-- orders_monthly: each partner's orders per month of the report window (one row per month,
-- months without orders included, for the trend chart). The figures are defined once, in
-- sql/transform/510_report_orders_facts.sql (slice 0, the whole month).
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
partners_in AS (   -- every registered partner of the range, as reporting_partners lists them
    SELECT DISTINCT r.partner_id
    FROM partners r, params p
    WHERE r.partner_id BETWEEN p.partner_from AND p.partner_to AND trim(r.partner_id) <> ''
),
months AS (
    SELECT CAST(unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS DATE) AS month
    FROM params
)
SELECT x.partner_id, m.month,
       coalesce(f.new_orders, 0) AS new_orders,
       coalesce(f.new_trials, 0) AS new_trials,
       coalesce(f.renewed_orders, 0) AS renewed_orders,
       coalesce(f.canceled_orders, 0) AS canceled_orders,
       coalesce(f.active_orders, 0) AS active_orders,
       coalesce(f.active_quantity, 0) AS active_quantity
FROM partners_in x
CROSS JOIN months m
LEFT JOIN report_orders_facts f ON f.partner_id = x.partner_id AND f.slice_no = 0 AND f.month = m.month
ORDER BY x.partner_id, m.month
