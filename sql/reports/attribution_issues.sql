-- attribution_issues: `insights attribution issues`, the tracking IDs seen on deployments that
-- attribute nothing (unregistered or malformed), most frequent first. Parameters 1 and 2: the
-- same status, '' for both; parameter 3: at most this many rows (NULL: all).
SELECT status, tracking_id, kind, example_token, reason, sources, deployments, subscriptions,
       first_seen, last_seen
FROM tracking_id_issues
WHERE ? = '' OR status = ?
ORDER BY status, deployments DESC, tracking_id
LIMIT ?
