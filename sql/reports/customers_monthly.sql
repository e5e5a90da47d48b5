-- customers_monthly: each partner's customers per month of the report window: new, lost and
-- total at the month's end. The figures are defined once, in
-- sql/transform/530_report_customers_facts.sql (slice 0).
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
SELECT x.partner_id, x.month,
       coalesce(f.new_customers, 0) AS new_customers,
       coalesce(f.lost_customers, 0) AS lost_customers,
       coalesce(f.total_customers, 0) AS total_customers
-- the partners from 1 to 2 (ids, inclusive) by the months from 3 to 4 (sql/schema/0061)
FROM report_partner_months(CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS DATE), CAST(? AS DATE)) x
LEFT JOIN report_customers_facts f ON f.partner_id = x.partner_id AND f.slice_no = 0 AND f.month = x.month
ORDER BY x.partner_id, x.month
