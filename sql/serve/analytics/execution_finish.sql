-- analytics: record how an execution ended. $1 execution_id, then the outcome.
UPDATE analytics_executions
SET status = $2, data_from = $3, data_to = $4, path = $5, row_count = $6, size_bytes = $7, sha256 = $8,
    error_message = $9, generated_at = $10, expires_at = $11, callback_status = $12, callback_next_at = $13
WHERE execution_id = $1
