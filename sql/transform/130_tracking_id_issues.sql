-- The operator's list: unregistered, malformed and truncated tracking IDs seen on deployments (opted-out
-- customers left out), with counts and first/last seen, so partners can be told to register or fix
-- them (platform IDs, Microsoft's own, are never listed). GUID IDs are grouped by canonical form, every other token by its exact text.
DELETE FROM attr_issues;
INSERT INTO attr_issues BY NAME
SELECT
    status,
    coalesce(tracking_id, raw_token) AS tracking_id,
    min(kind) AS kind,
    min(raw_token) AS example_token,
    min(reason) AS reason,
    string_agg(DISTINCT source, ', ' ORDER BY source) AS sources,
    count(DISTINCT deployment_id) AS deployments,
    count(DISTINCT lower(subscription_id)) AS subscriptions,
    min("timestamp") AS first_seen,
    max("timestamp") AS last_seen
FROM attr_deployments
WHERE status IN ('unregistered', 'malformed', 'truncated')
GROUP BY status, coalesce(tracking_id, raw_token)
ORDER BY status, deployments DESC, tracking_id;
