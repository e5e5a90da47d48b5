-- web_partner_attribution: a partner's attributed deployments and usage by month and tracking
-- ID (opted-out customers never appear: the public views leave them out).
-- Parameters 1 and 2: the partner id.
WITH deps AS (
    SELECT date_trunc('month', "timestamp")::DATE AS month, tracking_id,
           count(DISTINCT deployment_id) AS deployments
    FROM deployment_attribution
    WHERE status = 'attributed' AND partner_id = ?
    GROUP BY ALL
),
use AS (
    SELECT month, tracking_id, sum(usage_rows) AS usage_rows, sum(subscriptions) AS subscriptions,
           sum(normalized_usage) AS normalized_usage
    FROM attributed_usage_monthly
    WHERE partner_id = ?
    GROUP BY ALL
)
SELECT coalesce(d.month, u.month) AS month, coalesce(d.tracking_id, u.tracking_id) AS tracking_id,
       CAST(coalesce(d.deployments, 0) AS BIGINT) AS deployments,
       CAST(coalesce(u.usage_rows, 0) AS BIGINT) AS usage_rows,
       CAST(coalesce(u.subscriptions, 0) AS BIGINT) AS subscriptions,
       CAST(CAST(coalesce(u.normalized_usage, 0) AS DECIMAL(38,2)) AS VARCHAR) AS normalized_usage
FROM deps d
FULL OUTER JOIN use u ON u.month = d.month AND u.tracking_id = d.tracking_id
ORDER BY month DESC, tracking_id
