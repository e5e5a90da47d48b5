-- rewards/outbox_list: the outbox, unsent first (failed, then queued and sending), then sent;
-- newest first within each.
SELECT message_id, kind, pga_id, to_addr, to_name, language, subject, status, attempts, queued_at,
       next_attempt_at, sent_at, coalesce(last_error, '') AS last_error
FROM mail_outbox
ORDER BY CASE status WHEN 'failed' THEN 0 WHEN 'queued' THEN 1 WHEN 'sending' THEN 2 ELSE 3 END,
         queued_at DESC, message_id DESC
