-- usage_detail: every usage row of each partner in the report window, as delivered (one row per
-- ReferenceId), for the detail sheet and the Parquet file. The rows, privacy and the
-- pay-as-you-go rule are defined once, in sql/transform/560_report_details.sql.
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
)
SELECT d.*
FROM report_usage_detail d, params p
WHERE d.partner_id BETWEEN p.partner_from AND p.partner_to
  AND d.usage_date >= p.first_month
  AND d.usage_date < p.last_month + INTERVAL 1 MONTH
ORDER BY d.partner_id, d.usage_date, d.reference_id, d.marketplace_subscription_id, d.meter_id NULLS FIRST,
         d.normalized_usage NULLS FIRST, d.metered_usage NULLS FIRST, d.estimated_extended_charge_pc NULLS FIRST
