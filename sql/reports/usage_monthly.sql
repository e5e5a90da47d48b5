-- usage_monthly: each partner's usage per month of the report window (months without usage
-- included): normalized hours, raw usage, metered quantity, estimated charges in USD,
-- subscriptions and customers. The figures are defined once, in
-- sql/transform/520_report_usage_facts.sql (slice 0, the whole month).
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
SELECT x.partner_id, x.month,
       coalesce(f.normalized_usage, 0) AS normalized_usage,
       coalesce(f.raw_usage, 0) AS raw_usage,
       coalesce(f.metered_quantity, 0) AS metered_quantity,
       coalesce(f.estimated_charges_usd, 0) AS estimated_charges_usd,
       coalesce(f.subscriptions, 0) AS subscriptions,
       coalesce(f.customers, 0) AS customers
-- the partners from 1 to 2 (ids, inclusive) by the months from 3 to 4 (sql/schema/0061)
FROM report_partner_months(CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS DATE), CAST(? AS DATE)) x
LEFT JOIN report_usage_facts f ON f.partner_id = x.partner_id AND f.slice_no = 0 AND f.month = x.month
ORDER BY x.partner_id, x.month
