-- analytics: a partner's reports, oldest first. $1 partner_id, $2 report_id or '', $3 the start
-- of the report name or '' (case-insensitive prefix: clients find the reports they named
-- "<prefix> <date>" by the prefix), $4 query_id or ''.
SELECT report_id, partner_id, report_name, coalesce(description, ''), query_id, query, coalesce(created_by, ''),
       created_at, modified_at, start_time, recurrence_interval, recurrence_count, format,
       coalesce(callback_url, ''), coalesce(callback_method, ''), coalesce(callback_secret, ''), execute_now,
       query_start_time, query_end_time, status, next_run_at, executions_scheduled
FROM analytics_reports
WHERE partner_id = $1
  AND ($2 = '' OR report_id = $2)
  AND ($3 = '' OR starts_with(lower(report_name), lower($3)))
  AND ($4 = '' OR query_id = $4)
ORDER BY created_at, report_id
