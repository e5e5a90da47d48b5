-- analytics: a partner's executions, newest first. $1 partner_id, $2 report_id or '' (all),
-- $3 created since (history kept 90 days).
SELECT execution_id, report_id, partner_id, scheduled_at, status, format, data_from, data_to,
       coalesce(path, ''), coalesce(row_count, 0), coalesce(size_bytes, 0), coalesce(sha256, ''),
       coalesce(error_message, ''), created_at, started_at, generated_at, expires_at,
       coalesce(callback_status, ''), callback_attempts, callback_next_at
FROM analytics_executions
WHERE partner_id = $1
  AND ($2 = '' OR report_id = $2)
  AND created_at >= $3
ORDER BY scheduled_at DESC, created_at DESC, execution_id DESC
