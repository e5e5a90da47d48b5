-- Every transform run, newest first, for `insights runs --transform`: scheduled, manual
-- (`insights transform`) and failed ones, each with how it was done (full or incremental) and what
-- it recomputed and why (transform_run_modes; a failed run rolled its row back). $1 = limit.
SELECT r.run_id,
       r.as_of,
       strftime(r.started_at, '%Y-%m-%d %H:%M:%S')                 AS started_utc,
       round(epoch(r.finished_at) - epoch(r.started_at), 1)        AS seconds,
       r.status,
       coalesce(m.mode, '')                                         AS mode,
       coalesce(m.recomputed, regexp_replace(coalesce(r.error, ''), '\s+', ' ', 'g')) AS recomputed
FROM transform_runs r
LEFT JOIN transform_run_modes m ON m.run_id = r.run_id AND m.started_at = r.started_at
ORDER BY r.started_at DESC, r.run_id DESC
LIMIT $1;
