-- Shared definitions of the tier window, so that the transform (240_tier_unlocks.sql) and
-- the status as of any date (sql/reports/tiers_status.sql) cannot drift apart.

-- window_last_month(as_of): the last month of the trailing window: the as-of month only
-- when the as-of date is that month's last day, else the month before.
CREATE MACRO window_last_month(as_of) AS
    (CASE WHEN as_of = last_day(as_of) THEN date_trunc('month', as_of)
          ELSE date_trunc('month', as_of) - INTERVAL 1 MONTH END)::DATE;

-- pga_trailing_sales(last_month, window_months): for every PGA and every month from its first
-- billed month to last_month, the billed sales (USD) of the window_months months ending with it.
CREATE MACRO pga_trailing_sales(last_month, window_months) AS TABLE
WITH firsts AS (
    SELECT pga_id, min(month) AS first_month FROM billed_sales_monthly_data GROUP BY pga_id
),
series AS (
    SELECT pga_id, unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH))::DATE AS month
    FROM firsts
    WHERE first_month <= last_month
)
SELECT x.pga_id, x.month, coalesce(sum(b.billed_sales_usd), 0) AS ttm
FROM series x
LEFT JOIN billed_sales_monthly_data b
       ON b.pga_id = x.pga_id AND b.month <= x.month AND b.month > x.month - to_months(window_months)
GROUP BY x.pga_id, x.month;
