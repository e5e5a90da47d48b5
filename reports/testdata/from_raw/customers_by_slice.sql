-- customers_by_slice: the partner's customers per month of the report window, sliced by offer
-- (of the subscription, from the orders), country, customer type, license type (AzureLicenseType)
-- and reseller (ProviderName; "(direct)" without one). Within a slice value, a customer is
-- acquired and lost as in customers_monthly, counting only its subscriptions with that value.
-- One row per slice, value and month with any customer.
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
-- Privacy: customers who opted out of tracking anywhere never count.
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
subscription_partner AS (
    SELECT marketplace_subscription_id, min(partner_id) AS partner_id,
           arg_max(offer_name, (month_start_date, purchase_record_line_item_id)) AS offer_name
    FROM current_orders
    GROUP BY marketplace_subscription_id
),
partner_customers AS (   -- privacy: see sql/transform/150_visible_rows.sql
    SELECT c.* EXCLUDE (offer_name), coalesce(c.offer_name, s.offer_name) AS offer_name
    FROM partner_visible_customers c
    LEFT JOIN subscription_partner s USING (marketplace_subscription_id)
    JOIN params p ON coalesce(c.publisher_id, s.partner_id) = p.partner_id
),
sliced AS (
    SELECT c.customer_id, c.date_acquired, c.date_lost,
           unnest([
               {'slice_no': 1, 'slice': 'Offer', 'value': c.offer_name},
               {'slice_no': 2, 'slice': 'Country', 'value': c.customer_country_region},
               {'slice_no': 3, 'slice': 'Customer type', 'value': c.customer_type},
               {'slice_no': 4, 'slice': 'License type', 'value': c.azure_license_type},
               {'slice_no': 5, 'slice': 'Reseller', 'value': coalesce(nullif(trim(c.provider_name), ''), '(direct)')}
           ], recursive := true)
    FROM partner_customers c
),
per_value AS (
    SELECT slice_no, slice, coalesce(nullif(trim(value), ''), '(none)') AS value, customer_id,
           min(date_acquired) AS acquired,
           CASE WHEN bool_and(date_lost IS NOT NULL) THEN max(date_lost) END AS lost
    FROM sliced
    GROUP BY slice_no, slice, coalesce(nullif(trim(value), ''), '(none)'), customer_id
),
months AS (
    SELECT CAST(unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS DATE) AS month
    FROM params
),
counted AS (
    SELECT v.slice_no, v.slice, v.value, m.month,
           count(*) FILTER (WHERE date_trunc('month', v.acquired) = m.month) AS new_customers,
           count(*) FILTER (WHERE date_trunc('month', v.lost) = m.month) AS lost_customers,
           count(*) FILTER (WHERE v.acquired <= last_day(m.month)
                              AND (v.lost IS NULL OR v.lost > last_day(m.month))) AS total_customers
    FROM per_value v
    CROSS JOIN months m
    GROUP BY v.slice_no, v.slice, v.value, m.month
)
SELECT slice, value, month,
       CAST(new_customers AS BIGINT) AS new_customers,
       CAST(lost_customers AS BIGINT) AS lost_customers,
       CAST(total_customers AS BIGINT) AS total_customers
FROM counted
WHERE new_customers + lost_customers + total_customers > 0
ORDER BY slice_no, value, month
