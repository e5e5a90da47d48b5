-- rewards/outbox_failed: a permanent refusal: never retried.
UPDATE mail_outbox SET status = 'failed', last_error = ? WHERE message_id = ? AND status = 'sending'
