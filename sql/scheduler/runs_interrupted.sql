-- At start: a run still 'running' whose process is gone becomes failed. The
-- database admits one writing process, so a 'running' row is alive only if
-- this very process started it (its process key: host, pid and start time).
-- $1 = this process's key.
UPDATE job_runs
SET status = 'failed', interrupted = true, error_message = 'interrupted: process ended'
WHERE status = 'running'
  AND process_key IS DISTINCT FROM $1
RETURNING run_id, job;
