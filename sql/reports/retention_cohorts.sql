-- retention_cohorts: customer retention by offer, as Partner Center's Customer retention report
-- (ISVOfferRetention; the analytics API's dataset of that name is the row-level view). A
-- customer's cohort is its first active month with an offer: a month with usage or an Active or
-- Warning order line. One row per offer, cohort month in the report window and month after it
-- (0 = the cohort month) up to the report month: the customers of the cohort still active then,
-- and their share of the cohort.
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
-- Privacy: the partner-safe views partner_usage and partner_orders (sql/transform/555_partner_views.sql); no personal field.
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
activity AS (
    SELECT u.partner_id, u.customer_id, coalesce(u.offer_name, u.offer_id) AS offer_name, u.month
    FROM partner_usage u, params p
    WHERE u.partner_id BETWEEN p.partner_from AND p.partner_to AND u.customer_id IS NOT NULL AND u.month <= p.last_month
    UNION
    SELECT o.partner_id, o.customer_id, coalesce(o.offer_name, o.offer_id), o.month
    FROM partner_orders o, params p
    WHERE o.partner_id BETWEEN p.partner_from AND p.partner_to AND o.customer_id IS NOT NULL AND o.is_active AND o.month <= p.last_month
),
cohorts AS (
    SELECT partner_id, customer_id, offer_name, min(month) AS cohort_month
    FROM activity
    GROUP BY ALL
),
counted AS (
    SELECT c.partner_id, c.offer_name, c.cohort_month,
           CAST(date_diff('month', c.cohort_month, a.month) AS BIGINT) AS months_after,
           count(DISTINCT a.customer_id) AS customers
    FROM cohorts c
    JOIN activity a USING (partner_id, customer_id, offer_name)
    JOIN params p ON c.cohort_month BETWEEN p.first_month AND p.last_month
    GROUP BY ALL
)
SELECT k.partner_id, k.offer_name, k.cohort_month, k.months_after, z.customers AS cohort_customers, k.customers,
       round(k.customers / z.customers, 4) AS retained_share
FROM counted k
JOIN counted z ON z.partner_id = k.partner_id AND z.offer_name = k.offer_name AND z.cohort_month = k.cohort_month AND z.months_after = 0
ORDER BY k.partner_id, k.offer_name, k.cohort_month, k.months_after
