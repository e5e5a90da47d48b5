-- Run history, newest first, for `insights runs`. $1 = job ('' = all), $2 = limit.
SELECT run_id,
       job,
       trigger_kind                                   AS "trigger",
       strftime(scheduled_at, '%Y-%m-%d %H:%M:%S')     AS scheduled_utc,
       as_of,
       strftime(started_at, '%Y-%m-%d %H:%M:%S')       AS started_utc,
       round(epoch(ended_at) - epoch(started_at), 1)   AS seconds,
       status,
       row_count                                      AS "rows",
       attempts,
       -- one line, cut short for the table; the full text stays in job_runs
       CASE WHEN length(error_message) > 160
            THEN left(regexp_replace(error_message, '\s+', ' ', 'g'), 160) || '…'
            ELSE coalesce(regexp_replace(error_message, '\s+', ' ', 'g'), '') END AS error
FROM job_runs
WHERE $1 = '' OR job = $1
ORDER BY run_id DESC
LIMIT $2;
