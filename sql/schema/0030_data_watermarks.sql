-- Data watermarks: what the data covers, so that the report month never silently passes it.
-- Each transform run (step 400_data_watermarks) records, per dataset, the first and the latest
-- date the data covers ("data through") and its latest complete month, and which partners have
-- data in which months. `insights report`, the reports job and the batch refuse a report month
-- after the data's last complete month, or a partner with no data at all in the window
-- (reports/coverage.go). Documented in docs/schema.md.

-- data_extent(): the extent of each raw dataset, straight from the raw tables, plus the row
-- 'reports': the data partner reports are built on: orders and usage, the earlier of the two
-- that have rows, so that neither is passed; without any, the latest of the activity datasets
-- (deployments, clicks, the Quality of service report, Marketplace Insights counts) of List and
-- Trial partners. Used by the transform step and, before any run, for the default as-of of
-- `insights transform`.
--   orders       month grain: data through the last day of the latest MonthStartDate; that
--                month is complete
--   usage, deployments, clicks, qos (Quality of service), insights (Marketplace Insights
--                daily counts)   day grain: data through the latest day; its month is complete
--                only when that day is the month's last
--   customers    DateAcquired (informational; a customer list has no period)
CREATE MACRO data_extent() AS TABLE
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
    SELECT dataset, data_from, data_through, "rows",
           CASE WHEN data_through IS NULL THEN NULL
                WHEN data_through = last_day(data_through) THEN CAST(date_trunc('month', data_through) AS DATE)
                ELSE CAST(date_trunc('month', data_through) - INTERVAL 1 MONTH AS DATE) END AS complete_month
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

-- One row per transform run and dataset (plus 'reports'): the history of watermarks.
CREATE TABLE data_watermark_history (
    run_id          VARCHAR   NOT NULL,
    as_of           DATE      NOT NULL,
    dataset         VARCHAR   NOT NULL,  -- orders, usage, deployments, clicks, qos, insights, customers, reports
    data_from       DATE,                -- first date the data covers
    data_through    DATE,                -- latest date the data covers (NULL: no rows)
    complete_month  DATE,                -- first day of the latest complete month
    "rows"          BIGINT    NOT NULL,
    partners        BIGINT    NOT NULL,  -- partners with data in it (partner_data_months)
    recorded_at     TIMESTAMP NOT NULL,  -- UTC
    PRIMARY KEY (run_id, dataset)
);

-- The watermarks of the latest transform run: what analysts, the reports and the workbooks read.
CREATE VIEW data_watermarks AS
SELECT dataset, data_from, data_through, complete_month, "rows", partners, run_id, as_of, recorded_at
FROM data_watermark_history
WHERE run_id = (SELECT run_id FROM data_watermark_history ORDER BY recorded_at DESC, run_id DESC LIMIT 1);

-- Which partners have data for which months, per dataset, as of the latest transform run:
-- visible order lines and usage rows (privacy rules applied), attributed deployments, clicks on
-- the partner's offers, marketplace deployments (Quality of service), Marketplace Insights counts.
CREATE TABLE partner_data_months (
    partner_id  VARCHAR NOT NULL,
    dataset     VARCHAR NOT NULL,
    month       DATE    NOT NULL,
    "rows"      BIGINT  NOT NULL,
    PRIMARY KEY (partner_id, dataset, month)
);
