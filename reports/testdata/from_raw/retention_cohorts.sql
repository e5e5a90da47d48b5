-- retention_cohorts from the visible rows, written another way (per customer and month, then
-- counted) to check sql/reports/retention_cohorts.sql.
-- Parameters: 1 partner id, 2 first month of the window, 3 report month.
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
active AS (
    SELECT DISTINCT customer_id, coalesce(offer_name, offer_id) AS offer_name, month
    FROM (
        SELECT customer_id, offer_name, offer_id, month FROM partner_visible_usage
        WHERE partner_id = (SELECT partner_id FROM params) AND customer_id IS NOT NULL
        UNION ALL
        SELECT customer_id, offer_name, offer_id, month FROM partner_visible_orders
        WHERE partner_id = (SELECT partner_id FROM params) AND customer_id IS NOT NULL AND is_active
    )
    WHERE month <= (SELECT last_month FROM params)
),
marked AS (
    SELECT *, min(month) OVER (PARTITION BY customer_id, offer_name) AS cohort_month FROM active
),
per AS (
    SELECT offer_name, cohort_month, date_diff('month', cohort_month, month) AS months_after, count(*) AS customers
    FROM marked
    WHERE cohort_month >= (SELECT first_month FROM params)
    GROUP BY ALL
)
SELECT p.offer_name, p.cohort_month, p.months_after, z.customers AS cohort_customers, p.customers,
       round(p.customers / z.customers, 4) AS retained_share
FROM per p
JOIN per z ON z.offer_name = p.offer_name AND z.cohort_month = p.cohort_month AND z.months_after = 0
ORDER BY p.offer_name, p.cohort_month, p.months_after
