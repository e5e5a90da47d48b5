-- analytics: an expired execution's file was deleted. $1 execution_id.
UPDATE analytics_executions SET path = NULL WHERE execution_id = $1
