-- analytics: save a report's changeable fields. $1 partner_id, $2 report_id, then the fields.
UPDATE analytics_reports
SET report_name = $3, description = $4, modified_at = $5, start_time = $6, recurrence_interval = $7,
    recurrence_count = $8, format = $9, callback_url = $10, callback_method = $11, status = $12,
    next_run_at = $13, executions_scheduled = $14
WHERE partner_id = $1 AND report_id = $2
