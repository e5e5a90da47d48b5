-- analytics: store a scheduled report. Parameters in column order.
INSERT INTO analytics_reports (report_id, partner_id, report_name, description, query_id, query, created_by,
    created_at, modified_at, start_time, recurrence_interval, recurrence_count, format, callback_url,
    callback_method, callback_secret, execute_now, query_start_time, query_end_time, status, next_run_at,
    executions_scheduled)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
