-- analytics: one callback attempt. $1 execution_id, $2 attempt, $3 webhook_id, $4 url,
-- $5 attempted_at, $6 status_code, $7 error, $8 duration_ms.
INSERT INTO analytics_callback_attempts
    (execution_id, attempt, webhook_id, url, attempted_at, status_code, error_message, duration_ms)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
