-- web_partner_tracking_issues: unregistered and malformed tracking IDs found on deployments in
-- Azure subscriptions that use the partner's offers, opted-out customers left out: what the
-- partner should register or fix (the view partner_tracking_issues, sql/schema/0063, which keeps
-- the subscriptions out of the partner's reach). An unregistered pid-<GUID> written with a suffix
-- (pid-<GUID>-<suffix>, pid-<GUID>_<suffix>: Microsoft's templates append one) is listed under its
-- GUID, as the attribution matches it (transform/attribution); suffixed names the forms found.
-- Parameter 1: the partner id.
WITH issues AS (
    SELECT i.*,
           CASE WHEN i.status = 'unregistered' AND regexp_matches(i.tracking_id,
                     '(?i)^pid-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}[-_].')
                THEN 'pid-' || lower(substr(i.tracking_id, 5, 36))
                ELSE i.tracking_id END AS group_id
    FROM partner_tracking_issues i
    WHERE i.partner_id = ?
)
SELECT i.status, i.group_id AS tracking_id, min(i.example_token) AS example_token,
       coalesce(min(nullif(i.reason, '')), '') AS reason,
       array_to_string(list_sort(list_distinct(flatten(list(string_split(i.sources, ', '))))), ', ') AS sources,
       CAST(sum(i.deployments) AS BIGINT) AS deployments,
       min(i.first_seen) AS first_seen, max(i.last_seen) AS last_seen,
       coalesce(string_agg(DISTINCT CASE WHEN i.tracking_id <> i.group_id THEN i.tracking_id END, ', '
                           ORDER BY CASE WHEN i.tracking_id <> i.group_id THEN i.tracking_id END), '') AS suffixed
FROM issues i
GROUP BY i.status, i.group_id
ORDER BY status, deployments DESC, tracking_id
