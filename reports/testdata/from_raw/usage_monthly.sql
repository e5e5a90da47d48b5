-- usage_monthly: the partner's usage per month of the report window (one row per month,
-- months without usage included, for the trend chart).
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
--
--   normalized_usage       NormalizedUsage (VM hours × cores), summed exactly
--   raw_usage              RawUsage
--   metered_quantity       MeteredUsage (custom meters of SaaS and Azure Application offers)
--   estimated_charges_usd  the estimated charge in the customer's currency (the payout currency
--                          when missing) at the month's FX rate, as billed sales count it
--   subscriptions, customers  distinct marketplace subscriptions and customers with usage
-- Privacy: opted-out usage, fraud rows and customers who opted out anywhere never count.
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
rates AS (   -- a later file's rate wins, as in billed sales
    SELECT upper(trim(currency)) AS currency, CAST(date_trunc('month', month) AS DATE) AS month,
           arg_max(rate_to_usd, _file_id) AS rate_to_usd
    FROM fx_rates
    GROUP BY ALL
),
rows AS (   -- privacy: see sql/transform/150_visible_rows.sql
    SELECT u.*
    FROM partner_visible_usage u
    JOIN params p ON u.partner_id = p.partner_id
    WHERE u.usage_date >= p.first_month
      AND u.usage_date < p.last_month + INTERVAL 1 MONTH
),
priced AS (
    SELECT r.*, r.charge * CASE WHEN r.charge_currency = 'USD' THEN 1 ELSE x.rate_to_usd END AS charge_usd
    FROM rows r
    LEFT JOIN rates x ON x.currency = r.charge_currency AND x.month = r.month
),
months AS (
    SELECT CAST(unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS DATE) AS month
    FROM params
),
per_month AS (
    SELECT month,
           sum(normalized_usage) AS normalized_usage,
           sum(raw_usage) AS raw_usage,
           sum(metered_usage) AS metered_quantity,
           sum(charge_usd) AS charges_usd,
           count(DISTINCT marketplace_subscription_id) AS subscriptions,
           count(DISTINCT customer_id) AS customers
    FROM priced
    GROUP BY month
)
SELECT m.month,
       CAST(coalesce(x.normalized_usage, 0) AS DECIMAL(18,6)) AS normalized_usage,
       CAST(coalesce(x.raw_usage, 0) AS DECIMAL(18,6)) AS raw_usage,
       CAST(coalesce(x.metered_quantity, 0) AS DECIMAL(18,6)) AS metered_quantity,
       CAST(coalesce(x.charges_usd, 0) AS DECIMAL(18,2)) AS estimated_charges_usd,
       CAST(coalesce(x.subscriptions, 0) AS BIGINT) AS subscriptions,
       CAST(coalesce(x.customers, 0) AS BIGINT) AS customers
FROM months m
LEFT JOIN per_month x USING (month)
ORDER BY m.month
