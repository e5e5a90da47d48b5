-- orders_detail: every order line of each partner in the report window (one row per order line
-- and month, its latest OrderVersion), for the detail sheet and the Parquet file. The rows,
-- privacy and the CustomerName mask are defined once, in sql/transform/560_report_details.sql.
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
)
SELECT d.* EXCLUDE (month_start_date)
FROM report_orders_detail d, params p
WHERE d.partner_id BETWEEN p.partner_from AND p.partner_to
  AND d.month_start_date >= p.first_month
  AND d.month_start_date < p.last_month + INTERVAL 1 MONTH
ORDER BY d.partner_id, d.month_start_date, d.order_id, d.line_item_id
