-- rewards/outbox_retry: a temporary failure: back to the queue, due again later.
UPDATE mail_outbox SET status = 'queued', next_attempt_at = ?, last_error = ? WHERE message_id = ? AND status = 'sending'
