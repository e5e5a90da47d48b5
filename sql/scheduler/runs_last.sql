-- The latest time a job ran for its schedule: the activation it ran for, or
-- the start of a manual run. Backfills work for past dates and do not count;
-- nor do runs still going or interrupted by the end of their process, so
-- catch-up runs an interrupted activation again.
-- Catch-up compares this with the schedule to find a missed activation.
SELECT max(coalesce(scheduled_at, started_at))
FROM job_runs
WHERE job = $1
  AND trigger_kind IN ('schedule', 'catch-up', 'manual')
  AND status <> 'running'
  AND NOT interrupted;
