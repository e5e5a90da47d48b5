-- Record one job run: a run that starts ('running', no end yet) or a skipped
-- firing (complete at once). Returns its run id.
-- $1 job, $2 trigger, $3 scheduled_at, $4 as_of, $5 started_at, $6 ended_at (NULL while running),
-- $7 status, $8 rows, $9 attempts, $10 error, $11 pid, $12 host, $13 process key.
INSERT INTO job_runs (job, trigger_kind, scheduled_at, as_of, started_at, ended_at,
                      status, row_count, attempts, error_message, pid, host, process_key)
VALUES ($1, $2, $3, CAST($4 AS DATE), $5, $6, $7, $8, $9, $10, $11, $12, $13)
RETURNING run_id;
