-- deployments_monthly: deployments attributed to the partner's tracking IDs and the usage they
-- attribute, per month of the report window (one row per month, for the trend chart).
--   deployments             distinct attributed deployments (any deployment status)
--   succeeded_deployments   of which Succeeded
--   subscriptions           distinct Azure subscriptions deployed to
--   attributed_usage_rows   distinct usage rows attributed to one of the partner's IDs
--   attributed_normalized_usage, attributed_metered_quantity  their NormalizedUsage, MeteredUsage
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
-- Privacy: the attribution views never attribute opted-out customers (status opted_out).
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
months AS (
    SELECT CAST(unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS DATE) AS month
    FROM params
),
deps AS (
    SELECT CAST(date_trunc('month', d."timestamp") AS DATE) AS month,
           count(DISTINCT d.deployment_id) AS deployments,
           count(DISTINCT d.deployment_id) FILTER (WHERE lower(d.deployment_status) = 'succeeded') AS succeeded,
           count(DISTINCT d.subscription_id) AS subscriptions
    FROM deployment_attribution d
    JOIN params p ON d.partner_id = p.partner_id
    WHERE d.status = 'attributed'
      AND d."timestamp" >= p.first_month
      AND d."timestamp" < p.last_month + INTERVAL 1 MONTH
    GROUP BY 1
),
usage_rows AS (   -- a row attributed to several of the partner's IDs counts once
    SELECT DISTINCT u.reference_id, u.month, u.normalized_usage, u.metered_usage
    FROM attributed_usage u
    JOIN params p ON u.partner_id = p.partner_id
    WHERE u.month >= p.first_month AND u.month <= p.last_month
),
usage AS (
    SELECT month, count(*) AS usage_rows, sum(normalized_usage) AS normalized_usage,
           sum(metered_usage) AS metered_quantity
    FROM usage_rows
    GROUP BY month
)
SELECT m.month,
       CAST(coalesce(d.deployments, 0) AS BIGINT) AS deployments,
       CAST(coalesce(d.succeeded, 0) AS BIGINT) AS succeeded_deployments,
       CAST(coalesce(d.subscriptions, 0) AS BIGINT) AS subscriptions,
       CAST(coalesce(u.usage_rows, 0) AS BIGINT) AS attributed_usage_rows,
       CAST(coalesce(u.normalized_usage, 0) AS DECIMAL(18,6)) AS attributed_normalized_usage,
       CAST(coalesce(u.metered_quantity, 0) AS DECIMAL(18,6)) AS attributed_metered_quantity
FROM months m
LEFT JOIN deps d USING (month)
LEFT JOIN usage u USING (month)
ORDER BY m.month
