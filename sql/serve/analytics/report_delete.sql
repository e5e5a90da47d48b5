-- analytics: delete a report. $1 partner_id, $2 report_id. Its executions go separately.
DELETE FROM analytics_reports WHERE partner_id = $1 AND report_id = $2
