-- The "latest complete month" rule, written once. It was written three times: the tier window
-- (window_last_month, 0007), the data watermarks (data_extent's complete_month, 0030) and the
-- report month in Go (reports.LatestCompleteMonth), which now asks this macro. Migrations do not
-- change once released, so this one replaces the two macros with versions that call it.

-- latest_complete_month(d): the first day of the last month whose last day is on or before d:
-- d's month when d is that month's last day, else the month before (2025-07-05 and 2025-06-30
-- both give 2025-06-01). NULL for NULL.
CREATE OR REPLACE MACRO latest_complete_month(d) AS
    (CASE WHEN d = last_day(d) THEN date_trunc('month', d)
          ELSE date_trunc('month', d) - INTERVAL 1 MONTH END)::DATE;

-- window_last_month(as_of): the last month of the trailing tier window (0007): the rule itself.
CREATE OR REPLACE MACRO window_last_month(as_of) AS latest_complete_month(as_of);

-- data_extent(): as in 0030, its complete_month now from the rule.
CREATE OR REPLACE MACRO data_extent() AS TABLE
WITH extent AS (
    SELECT 'orders' AS dataset, min(month_start_date) AS data_from,
           last_day(max(month_start_date)) AS data_through, count(*) AS "rows"
    FROM orders
    UNION ALL
    SELECT 'usage', min(usage_date), max(usage_date), count(*) FROM usage
    UNION ALL
    SELECT 'deployments', CAST(min("timestamp") AS DATE), CAST(max("timestamp") AS DATE), count(*) FROM deployments
    UNION ALL
    SELECT 'clicks', CAST(min("timestamp") AS DATE), CAST(max("timestamp") AS DATE), count(*) FROM clicks
    UNION ALL
    SELECT 'qos', CAST(min(start_time) AS DATE), CAST(max(start_time) AS DATE), count(*) FROM qos
    UNION ALL
    SELECT 'insights', min("date"), max("date"), count(*) FROM marketplace_insights
    UNION ALL
    SELECT 'customers', min(date_acquired), max(date_acquired), count(*) FROM customers
),
marked AS (
    SELECT dataset, data_from, data_through, "rows", latest_complete_month(data_through) AS complete_month
    FROM extent
),
core AS (
    SELECT min(data_from) AS data_from, min(data_through) AS data_through,
           min(complete_month) AS complete_month, sum("rows") AS "rows"
    FROM marked WHERE dataset IN ('orders', 'usage') AND "rows" > 0
),
activity AS (
    SELECT min(data_from) AS data_from, max(data_through) AS data_through,
           max(complete_month) AS complete_month, sum("rows") AS "rows"
    FROM marked WHERE dataset IN ('deployments', 'clicks', 'qos', 'insights') AND "rows" > 0
)
SELECT dataset, data_from, data_through, complete_month, "rows" FROM marked
UNION ALL
SELECT 'reports',
       CASE WHEN c."rows" IS NOT NULL THEN c.data_from ELSE a.data_from END,
       CASE WHEN c."rows" IS NOT NULL THEN c.data_through ELSE a.data_through END,
       CASE WHEN c."rows" IS NOT NULL THEN c.complete_month ELSE a.complete_month END,
       coalesce(c."rows", a."rows", 0)
FROM core c CROSS JOIN activity a;
