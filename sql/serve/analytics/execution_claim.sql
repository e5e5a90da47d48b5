-- analytics: mark an execution running for this instance. $1 execution_id, $2 instance, $3 now.
UPDATE analytics_executions SET status = 'Running', claimed_by = $2, started_at = $3
WHERE execution_id = $1
