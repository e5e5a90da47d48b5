-- Run history, newest first, for `insights runs`. $1 = job ('' = all), $2 = limit.
-- recomputed: for a run of the transform (job transform, or batch, which runs it), what each transform
-- run inside it recomputed and why (transform_run_modes, written in the transform's own transaction:
-- a failed transform has none). The scheduler does not hand its run id to the transform, so a
-- transform run belongs to the job run during which it started.
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
            ELSE coalesce(regexp_replace(error_message, '\s+', ' ', 'g'), '') END AS error,
       -- and, for a run of the partners' reports (job reports, or batch), how many partners each run of
       -- the reports inside it rendered and how many it kept (report_runs, reports/keep.go).
       concat_ws(' | ',
           (SELECT string_agg(m.mode || ': ' || m.recomputed, ' | ' ORDER BY m.started_at)
            FROM transform_run_modes m
            WHERE j.job IN ('transform', 'batch')
              AND m.started_at >= j.started_at
              AND m.started_at <= coalesce(j.ended_at, now() AT TIME ZONE 'UTC')),
           (SELECT string_agg('reports ' || r.period || ': ' || r.partners || ' partners, ' || r.rendered || ' rendered, '
                              || (r.linked + r.kept_in_place) || ' kept (' || r.linked || ' linked from an earlier as-of date, '
                              || r.kept_in_place || ' in place)'
                              || CASE WHEN r.failed > 0 THEN ', ' || r.failed || ' failed' ELSE '' END, ' | ' ORDER BY r.started_at)
            FROM report_runs r
            WHERE j.job IN ('reports', 'batch')
              AND r.started_at >= j.started_at
              AND r.started_at <= coalesce(j.ended_at, now() AT TIME ZONE 'UTC'))) AS recomputed
FROM job_runs j
WHERE $1 = '' OR job = $1
ORDER BY run_id DESC
LIMIT $2;
