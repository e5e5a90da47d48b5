-- partner_tracking_issues: per partner, the unregistered and malformed tracking IDs found on
-- deployments in Azure subscriptions that use the partner's offers (usage whose publisher is the
-- partner, or, without a publisher, of an offer the partner publishes), opted-out deployments
-- left out: what the partner should register or fix (the portal's attribution page).
-- A view, so that the portal reads the tracking issues without naming the usage rows, whose
-- Azure subscription ids a partner may not see (docs/reports.md, "Privacy"): the subscriptions
-- only join the deployments to the partner here and are not columns. The few problem
-- subscriptions are found first, so the scan of the usage rows is a semi-join against a small set.
CREATE VIEW partner_tracking_issues AS
WITH problems AS (
    SELECT * FROM attr_deployments
    WHERE status IN ('unregistered', 'malformed') AND NOT opted_out AND subscription_id IS NOT NULL
),
problem_subs AS (
    SELECT DISTINCT lower(trim(subscription_id)) AS sub_key FROM problems
),
subs AS (
    SELECT DISTINCT coalesce(u.publisher_id, o.partner_id) AS partner_id, p.sub_key
    FROM usage u
    JOIN problem_subs p ON p.sub_key = lower(trim(coalesce(u.azure_subscription_id, u.marketplace_subscription_id)))
    LEFT JOIN offers o ON u.publisher_id IS NULL AND o.offer_id = u.offer_id
)
SELECT s.partner_id, d.status, coalesce(d.tracking_id, d.raw_token) AS tracking_id, min(d.raw_token) AS example_token,
       coalesce(min(d.reason), '') AS reason,
       string_agg(DISTINCT d.source, ', ' ORDER BY d.source) AS sources,
       CAST(count(DISTINCT d.deployment_id) AS BIGINT) AS deployments,
       min(d."timestamp") AS first_seen, max(d."timestamp") AS last_seen
FROM problems d
JOIN subs s ON s.sub_key = lower(trim(d.subscription_id))
WHERE s.partner_id IS NOT NULL
GROUP BY s.partner_id, d.status, coalesce(d.tracking_id, d.raw_token);
