-- analytics: one execution by id, whoever it belongs to (for signed links, whose signature is the proof).
SELECT execution_id, report_id, partner_id, scheduled_at, status, format, data_from, data_to,
       coalesce(path, ''), coalesce(row_count, 0), coalesce(size_bytes, 0), coalesce(sha256, ''),
       coalesce(error_message, ''), created_at, started_at, generated_at, expires_at,
       coalesce(callback_status, ''), callback_attempts, callback_next_at
FROM analytics_executions
WHERE execution_id = $1
