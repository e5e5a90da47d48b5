-- web_partner_tracking_ids: a partner's tracking IDs as registered now (the current version of
-- each), with the offer, channel and plan they stand for. Parameter 1: the partner id.
SELECT tracking_id, registered_as, kind, coalesce(offer_id, '') AS offer_id, coalesce(channel, '') AS channel,
       coalesce(plan_id, '') AS plan_id, registered_at, CAST(version AS BIGINT) AS version
FROM attr_registry
WHERE partner_id = ? AND valid_until IS NULL
ORDER BY tracking_id, offer_id, channel, plan_id, registered_at
