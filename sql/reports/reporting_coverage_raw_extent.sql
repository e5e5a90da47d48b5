-- reporting_coverage_raw_extent: the 'reports' watermark straight from the raw tables (macro
-- data_extent, sql/schema/0030_data_watermarks.sql), before any transform run: the default
-- as-of of `insights transform`. No parameters; one row, NULLs when there is no data.
SELECT max(data_through) AS data_through, max(complete_month) AS complete_month
FROM data_extent()
WHERE dataset = 'reports'
