-- rewards/outbox_sent: the server accepted the message.
UPDATE mail_outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE message_id = ? AND status = 'sending'
