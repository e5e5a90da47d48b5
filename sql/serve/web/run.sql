-- web_run: the as-of date and the trailing window (months) of the last transform run, or no
-- row before the first run. No parameters.
SELECT r.as_of, s.window_months
FROM tier_run r CROSS JOIN tier_settings s
ORDER BY r.as_of DESC
LIMIT 1
