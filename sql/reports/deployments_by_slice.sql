-- deployments_by_slice: each partner's attributed deployments and usage per month of the report
-- window by offer, channel, tracking ID, plan, region and deployment status, then, apart from
-- them, the marketplace deployments of the partner's own offers (Quality of service report) by
-- status, error code, duration and offer. The figures are defined once, in
-- sql/transform/540_report_deployments_facts.sql.
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
)
SELECT f.partner_id, f.slice, f.value, f.month,
       f.deployments, f.subscriptions, f.attributed_usage_rows,
       f.attributed_normalized_usage, f.attributed_metered_quantity
FROM report_deployments_facts f, params p
WHERE f.partner_id BETWEEN p.partner_from AND p.partner_to
  AND f.slice_no NOT IN (0, 9)
  AND f.month BETWEEN p.first_month AND p.last_month
ORDER BY f.partner_id, f.slice_no, f.value, f.month
