-- analytics: delete executions of a report ($2, '' for any) or one execution ($3, '' for any) of partner $1.
DELETE FROM analytics_executions
WHERE partner_id = $1 AND ($2 = '' OR report_id = $2) AND ($3 = '' OR execution_id = $3)
