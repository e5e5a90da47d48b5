-- analytics: the callback attempts of an execution, in order. $1 execution_id.
SELECT attempt, webhook_id, url, attempted_at, status_code, coalesce(error_message, ''), duration_ms
FROM analytics_callback_attempts
WHERE execution_id = $1
ORDER BY attempt
