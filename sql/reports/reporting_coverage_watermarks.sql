-- reporting_coverage_watermarks: the data watermarks of the latest transform run (view data_watermarks,
-- sql/schema/0030_data_watermarks.sql), one row per dataset plus 'reports'. No parameters.
SELECT dataset, data_from, data_through, complete_month, "rows", partners, run_id
FROM data_watermarks
ORDER BY dataset
