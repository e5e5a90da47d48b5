-- web_partner_tracking_issues: unregistered and malformed tracking IDs found on deployments in
-- Azure subscriptions that use the partner's offers (usage of an offer the partner publishes),
-- opted-out customers left out: what the partner should register or fix.
-- Parameter 1: the partner id.
WITH subs AS (
    SELECT DISTINCT lower(trim(coalesce(u.azure_subscription_id, u.marketplace_subscription_id))) AS sub_key
    FROM usage u
    LEFT JOIN offers o ON o.offer_id = u.offer_id
    WHERE coalesce(u.publisher_id, o.partner_id) = ?
)
SELECT d.status, coalesce(d.tracking_id, d.raw_token) AS tracking_id, min(d.raw_token) AS example_token,
       coalesce(min(d.reason), '') AS reason,
       string_agg(DISTINCT d.source, ', ' ORDER BY d.source) AS sources,
       CAST(count(DISTINCT d.deployment_id) AS BIGINT) AS deployments,
       min(d."timestamp") AS first_seen, max(d."timestamp") AS last_seen
FROM attr_deployments d
JOIN subs s ON s.sub_key = lower(trim(d.subscription_id))
WHERE d.status IN ('unregistered', 'malformed') AND NOT d.opted_out
GROUP BY d.status, coalesce(d.tracking_id, d.raw_token)
ORDER BY d.status, deployments DESC, tracking_id
