-- rewards/outbox_next: the next message to send: queued and due, or claimed by a sender
-- longer ago than the lease (it died while sending). Oldest first.
-- Parameters: now, claimed before.
SELECT message_id, status, claimed_at
FROM mail_outbox
WHERE (status = 'queued' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_at < ?)
ORDER BY next_attempt_at, message_id
LIMIT 1
