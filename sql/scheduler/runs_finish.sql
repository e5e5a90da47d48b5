-- Complete a run recorded as 'running' when it started.
-- $1 run_id, $2 ended_at, $3 status, $4 rows, $5 attempts, $6 error.
UPDATE job_runs
SET ended_at = $2, status = $3, row_count = $4, attempts = $5, error_message = $6
WHERE run_id = $1;
