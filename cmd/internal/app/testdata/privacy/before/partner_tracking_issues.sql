-- web_partner_tracking_issues: unregistered and malformed tracking IDs found on deployments in
-- Azure subscriptions that use the partner's offers (usage of an offer the partner publishes),
-- opted-out customers left out: what the partner should register or fix.
-- Parameters 1 and 2: the partner id. The few problem subscriptions are found first, so the
-- scan of the usage rows is a semi-join against a small set.
WITH problems AS (
    SELECT * FROM attr_deployments
    WHERE status IN ('unregistered', 'malformed') AND NOT opted_out AND subscription_id IS NOT NULL
),
problem_subs AS (
    SELECT DISTINCT lower(trim(subscription_id)) AS sub_key FROM problems
),
partner_offers AS (
    SELECT offer_id FROM offers WHERE partner_id = ?
),
subs AS (
    SELECT DISTINCT p.sub_key
    FROM usage u
    JOIN problem_subs p ON p.sub_key = lower(trim(coalesce(u.azure_subscription_id, u.marketplace_subscription_id)))
    WHERE u.publisher_id = ? OR (u.publisher_id IS NULL AND u.offer_id IN (SELECT offer_id FROM partner_offers))
)
SELECT d.status, coalesce(d.tracking_id, d.raw_token) AS tracking_id, min(d.raw_token) AS example_token,
       coalesce(min(d.reason), '') AS reason,
       string_agg(DISTINCT d.source, ', ' ORDER BY d.source) AS sources,
       CAST(count(DISTINCT d.deployment_id) AS BIGINT) AS deployments,
       min(d."timestamp") AS first_seen, max(d."timestamp") AS last_seen
FROM problems d
JOIN subs s ON s.sub_key = lower(trim(d.subscription_id))
GROUP BY d.status, coalesce(d.tracking_id, d.raw_token)
ORDER BY d.status, deployments DESC, tracking_id
