-- analytics: executions past the history (created before $1) or whose file expired (at $2) and is
-- still on disk. Returns id, path and whether the row itself goes.
SELECT execution_id, partner_id, coalesce(path, ''), created_at < $1 AS drop_row
FROM analytics_executions
WHERE created_at < $1 OR (expires_at <= $2 AND path IS NOT NULL)
ORDER BY execution_id
