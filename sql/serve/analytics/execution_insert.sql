-- analytics: a new execution. $1 execution_id, $2 report_id, $3 partner_id, $4 scheduled_at,
-- $5 status, $6 format, $7 created_at.
INSERT INTO analytics_executions (execution_id, report_id, partner_id, scheduled_at, status, format, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
