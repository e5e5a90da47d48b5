-- Record one finished (or skipped) job run; returns its run id.
INSERT INTO job_runs (job, trigger_kind, scheduled_at, as_of, started_at, ended_at,
                      status, row_count, attempts, error_message)
VALUES ($1, $2, $3, CAST($4 AS DATE), $5, $6, $7, $8, $9, $10)
RETURNING run_id;
