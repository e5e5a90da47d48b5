-- rewards/outbox_message: one message, whole.
SELECT message_id, kind, pga_id, to_addr, to_name, language, subject, text_body, html_body, header_id,
       status, attempts, queued_at
FROM mail_outbox WHERE message_id = ?
ORDER BY message_id
