-- analytics: delete callback attempts of executions of a report ($2 = report_id, '' for any) or of one
-- execution ($3 = execution_id, '' for any) of partner $1.
DELETE FROM analytics_callback_attempts WHERE execution_id IN
    (SELECT execution_id FROM analytics_executions
     WHERE partner_id = $1 AND ($2 = '' OR report_id = $2) AND ($3 = '' OR execution_id = $3))
