-- reporting_latest_complete_month: the report month of an as-of date (? as YYYY-MM-DD), by the
-- one definition of the rule, the latest_complete_month macro (sql/schema/0110), which the tier
-- window and the data watermarks use too.
SELECT latest_complete_month(CAST(? AS DATE)) AS month
