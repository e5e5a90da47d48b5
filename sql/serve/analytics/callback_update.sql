-- analytics: where an execution's callback stands after an attempt. $1 execution_id, $2 attempts,
-- $3 callback_status, $4 callback_next_at.
UPDATE analytics_executions SET callback_attempts = $2, callback_status = $3, callback_next_at = $4
WHERE execution_id = $1
