-- web_partner_tracking_issues: unregistered and malformed tracking IDs found on deployments in
-- Azure subscriptions that use the partner's offers (usage of an offer the partner publishes),
-- opted-out customers left out: what the partner should register or fix. An unregistered
-- pid-<GUID> written with a suffix is listed under its GUID (suffixed: the forms found).
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
),
grouped AS (   -- pid-<GUID>-<suffix> and pid-<GUID>_<suffix> under their GUID, as the attribution
               -- matches them (transform/attribution: Microsoft templates append a suffix)
    SELECT d.*,
           CASE WHEN d.status = 'unregistered' AND regexp_matches(d.tracking_id,
                     '(?i)^pid-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}[-_].')
                THEN 'pid-' || lower(substr(d.tracking_id, 5, 36))
                ELSE coalesce(d.tracking_id, d.raw_token) END AS group_id
    FROM problems d
    JOIN subs s ON s.sub_key = lower(trim(d.subscription_id))
)
SELECT status, group_id AS tracking_id, min(raw_token) AS example_token,
       coalesce(min(reason), '') AS reason,
       string_agg(DISTINCT source, ', ' ORDER BY source) AS sources,
       CAST(count(DISTINCT deployment_id) AS BIGINT) AS deployments,
       min("timestamp") AS first_seen, max("timestamp") AS last_seen,
       coalesce(string_agg(DISTINCT CASE WHEN tracking_id <> group_id THEN tracking_id END, ', '
                           ORDER BY CASE WHEN tracking_id <> group_id THEN tracking_id END), '') AS suffixed
FROM grouped
GROUP BY status, group_id
ORDER BY status, deployments DESC, tracking_id
