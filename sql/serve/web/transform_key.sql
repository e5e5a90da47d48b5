-- web_transform_key: what identifies the output of the transform runs so far (every successful
-- run adds a row), so the pages can keep derived views in memory until the next run.
-- No parameters.
SELECT CAST(count(*) AS VARCHAR) || '/' || coalesce(CAST(max(finished_at) AS VARCHAR), '') AS run_key
FROM transform_runs
WHERE status = 'succeeded'
ORDER BY run_key
