-- web_partner_tracking_issues: unregistered and malformed tracking IDs found on deployments in
-- Azure subscriptions that use the partner's offers, opted-out customers left out: what the
-- partner should register or fix (the view partner_tracking_issues, sql/schema/0063, which keeps
-- the subscriptions out of the partner's reach). Parameter 1: the partner id.
SELECT status, tracking_id, example_token, reason, sources, deployments, first_seen, last_seen
FROM partner_tracking_issues
WHERE partner_id = ?
ORDER BY status, deployments DESC, tracking_id
