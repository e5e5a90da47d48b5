-- reporting_run: the transform run that reports read: the latest succeeded run (the derived
-- tables hold that run only). generated_at is when that run id first succeeded: the same inputs
-- give the same run id, so re-running the batch for an as-of keeps it, and the report files
-- keep identical content. No parameters; no row when no run succeeded yet.
WITH latest AS (
    SELECT run_id, as_of
    FROM transform_runs
    WHERE status = 'succeeded'
    ORDER BY finished_at DESC, started_at DESC, run_id DESC
    LIMIT 1
)
SELECT l.run_id, l.as_of,
       (SELECT min(r.finished_at) FROM transform_runs r
         WHERE r.run_id = l.run_id AND r.status = 'succeeded') AS generated_at
FROM latest l
ORDER BY l.run_id
