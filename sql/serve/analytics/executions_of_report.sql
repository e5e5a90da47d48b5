-- analytics: the files of a report's executions, to delete them with the report. $1 partner_id, $2 report_id.
SELECT execution_id, coalesce(path, '') FROM analytics_executions
WHERE partner_id = $1 AND report_id = $2
ORDER BY execution_id
