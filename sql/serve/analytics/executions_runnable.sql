-- analytics: executions to run now: pending ones, and running ones another (stopped) instance of
-- the service claimed. $1 this instance. Oldest first.
SELECT execution_id
FROM analytics_executions
WHERE status = 'Pending' OR (status = 'Running' AND coalesce(claimed_by, '') <> $1)
ORDER BY scheduled_at, created_at, execution_id
