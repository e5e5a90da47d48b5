-- analytics: move a report's executions from one status to another (pause, resume).
-- $1 partner_id, $2 report_id, $3 from status, $4 to status.
UPDATE analytics_executions SET status = $4
WHERE partner_id = $1 AND report_id = $2 AND status = $3
