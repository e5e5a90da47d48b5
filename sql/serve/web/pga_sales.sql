-- web_pga_sales: one company's billed sales by month and its trailing-window total at each
-- month end, up to the last month of the window of the last transform run (the chart of the
-- review desk and the partner portal). Parameter 1: the PGA id.
WITH cfg AS (
    SELECT window_last_month(r.as_of) AS last_month, s.window_months
    FROM (SELECT max(as_of) AS as_of FROM tier_run) r CROSS JOIN tier_settings s
    WHERE r.as_of IS NOT NULL
),
ttm AS (   -- macros: sql/schema/0007_tier_macros.sql
    SELECT * FROM pga_trailing_sales((SELECT last_month FROM cfg), (SELECT window_months FROM cfg))
)
SELECT x.month,
       CAST(coalesce(b.billed_sales_usd, 0) AS VARCHAR) AS billed_sales_usd,
       CAST(CAST(x.ttm AS DECIMAL(18,2)) AS VARCHAR) AS trailing_usd
FROM ttm x
LEFT JOIN billed_sales_monthly b ON b.pga_id = x.pga_id AND b.month = x.month
WHERE x.pga_id = ?
ORDER BY x.month
