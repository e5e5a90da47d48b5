-- analytics: executions whose callback is due at $1, oldest first.
SELECT execution_id FROM analytics_executions
WHERE callback_status = 'Pending' AND callback_next_at <= $1
ORDER BY callback_next_at, execution_id
