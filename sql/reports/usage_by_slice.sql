-- usage_by_slice: each partner's usage per month of the report window by offer, plan, offer
-- type, license type, country, new or existing customer, VM size and meter. One row per slice,
-- value and month with usage; the figures are defined once, in
-- sql/transform/520_report_usage_facts.sql.
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
)
SELECT f.partner_id, f.slice, f.value, f.month,
       f.normalized_usage, f.raw_usage, f.metered_quantity, f.estimated_charges_usd,
       f.subscriptions, f.customers
FROM report_usage_facts f, params p
WHERE f.partner_id BETWEEN p.partner_from AND p.partner_to
  AND f.slice_no BETWEEN 1 AND 8
  AND f.month BETWEEN p.first_month AND p.last_month
ORDER BY f.partner_id, f.slice_no, f.value, f.month
