-- deployments_monthly: each partner's attributed deployments and attributed usage per month of
-- the report window (months without any included). The figures are defined once, in
-- sql/transform/540_report_deployments_facts.sql (slice 0).
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
SELECT x.partner_id, x.month,
       coalesce(f.deployments, 0) AS deployments,
       coalesce(f.succeeded_deployments, 0) AS succeeded_deployments,
       coalesce(f.subscriptions, 0) AS subscriptions,
       coalesce(f.attributed_usage_rows, 0) AS attributed_usage_rows,
       coalesce(f.attributed_normalized_usage, 0) AS attributed_normalized_usage,
       coalesce(f.attributed_metered_quantity, 0) AS attributed_metered_quantity
-- the partners from 1 to 2 (ids, inclusive) by the months from 3 to 4 (sql/schema/0061)
FROM report_partner_months(CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS DATE), CAST(? AS DATE)) x
LEFT JOIN report_deployments_facts f ON f.partner_id = x.partner_id AND f.slice_no = 0 AND f.month = x.month
ORDER BY x.partner_id, x.month
