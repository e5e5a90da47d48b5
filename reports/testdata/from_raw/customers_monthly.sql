-- customers_monthly: the partner's customers per month of the report window (one row per
-- month, for the trend chart), from the customer export. A customer (CustomerId) is acquired on
-- the earliest DateAcquired of its subscriptions with the partner and lost on the latest
-- DateLost once every one of them is lost.
--   new_customers    acquired that month
--   lost_customers   lost that month
--   total_customers  acquired by the month's end and not lost by then
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
-- Privacy: customers who opted out of tracking anywhere never count.
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
subscription_partner AS (   -- the customer export may lack PublisherId: the orders know it
    SELECT marketplace_subscription_id, min(partner_id) AS partner_id
    FROM current_orders
    GROUP BY marketplace_subscription_id
),
partner_customers AS (   -- privacy: see sql/transform/150_visible_rows.sql
    SELECT c.customer_id, c.date_acquired, c.date_lost
    FROM partner_visible_customers c
    LEFT JOIN subscription_partner s USING (marketplace_subscription_id)
    JOIN params p ON coalesce(c.publisher_id, s.partner_id) = p.partner_id
),
per_customer AS (
    SELECT customer_id, min(date_acquired) AS acquired,
           CASE WHEN bool_and(date_lost IS NOT NULL) THEN max(date_lost) END AS lost
    FROM partner_customers
    GROUP BY customer_id
),
months AS (
    SELECT CAST(unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS DATE) AS month
    FROM params
)
SELECT m.month,
       CAST(count(c.customer_id) FILTER (WHERE date_trunc('month', c.acquired) = m.month) AS BIGINT) AS new_customers,
       CAST(count(c.customer_id) FILTER (WHERE date_trunc('month', c.lost) = m.month) AS BIGINT) AS lost_customers,
       CAST(count(c.customer_id) FILTER (WHERE c.acquired <= last_day(m.month)
                                           AND (c.lost IS NULL OR c.lost > last_day(m.month))) AS BIGINT) AS total_customers
FROM months m
LEFT JOIN per_customer c ON true
GROUP BY m.month
ORDER BY m.month
