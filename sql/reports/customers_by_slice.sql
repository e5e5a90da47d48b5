-- customers_by_slice: each partner's customers per month of the report window by offer,
-- country, customer type, license type and reseller. One row per slice, value and month with
-- any figure; the figures are defined once, in sql/transform/530_report_customers_facts.sql.
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
)
SELECT f.partner_id, f.slice, f.value, f.month, f.new_customers, f.lost_customers, f.total_customers
FROM report_customers_facts f, params p
WHERE f.partner_id BETWEEN p.partner_from AND p.partner_to
  AND f.slice_no BETWEEN 1 AND 5
  AND f.month BETWEEN p.first_month AND p.last_month
ORDER BY f.partner_id, f.slice_no, f.value, f.month
