-- analytics: the date the data covers up to (the latest successful transform run's as-of);
-- report windows end there, never past the data. NULL before the first run.
SELECT max(as_of) FROM transform_runs WHERE status = 'succeeded'
