-- rewards/outbox_insert: queue one message (in the transaction of the action that causes it).
INSERT INTO mail_outbox (kind, ref_id, pga_id, to_addr, to_name, language, subject, text_body, html_body,
                         header_id, queued_at, status, next_attempt_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)
RETURNING message_id
