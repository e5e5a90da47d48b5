-- rewards/outbox_claim: take a message for sending, only if nobody took it since it was read.
-- Parameters: now, message_id, status as read, claimed_at as read.
UPDATE mail_outbox SET status = 'sending', claimed_at = ?1, attempts = attempts + 1
WHERE message_id = ?2 AND status = ?3 AND claimed_at IS NOT DISTINCT FROM ?4
