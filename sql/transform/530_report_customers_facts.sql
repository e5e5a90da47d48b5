-- report_customers_facts: the partner's customers per month and slice, each figure defined here
-- once (customers_monthly, customers_by_slice and summary select from it). slice_no 0 'All',
-- 1–5 the slices of customers_by_slice. Privacy: the rows of partner_visible_customers.
-- A customer row belongs to its PublisherId, else to the partner whose orders have its
-- marketplace subscription. Per customer (and slice value): acquired = the earliest DateAcquired;
-- lost = the latest DateLost when every subscription is lost, else none. Then per month:
--   new_customers    acquired that month
--   lost_customers   lost that month
--   total_customers  customers at the month's end: acquired by then and not lost by then
-- Months run from a value's first event to the later of its last event and the as-of month;
-- only rows with some figure are kept (a missing month reads 0).
CREATE OR REPLACE TABLE report_customers_facts AS
WITH subscription_partner AS (   -- the customer export may lack PublisherId: the orders know it
    SELECT marketplace_subscription_id, min(partner_id) AS partner_id,
           arg_max(offer_name, (month_start_date, purchase_record_line_item_id)) AS offer_name
    FROM current_orders
    GROUP BY marketplace_subscription_id
),
partner_customers AS (
    SELECT coalesce(c.publisher_id, s.partner_id) AS partner_id,
           c.* EXCLUDE (offer_name), coalesce(c.offer_name, s.offer_name) AS offer_name   -- the row's own OfferName first
    FROM partner_visible_customers c
    LEFT JOIN subscription_partner s USING (marketplace_subscription_id)
    WHERE coalesce(c.publisher_id, s.partner_id) IS NOT NULL
),
sliced AS (
    SELECT c.partner_id, c.customer_id, c.date_acquired, c.date_lost,
           unnest([
               {'slice_no': 0, 'slice': 'All', 'value': 'All'},
               {'slice_no': 1, 'slice': 'Offer', 'value': c.offer_name},
               {'slice_no': 2, 'slice': 'Country', 'value': c.customer_country_region},
               {'slice_no': 3, 'slice': 'Customer type', 'value': c.customer_type},
               {'slice_no': 4, 'slice': 'License type', 'value': c.azure_license_type},
               {'slice_no': 5, 'slice': 'Reseller', 'value': coalesce(nullif(trim(c.provider_name), ''), '(direct)')}
           ], recursive := true)
    FROM partner_customers c
),
per_value AS (
    SELECT partner_id, slice_no, slice, coalesce(nullif(trim(value), ''), '(none)') AS value, customer_id,
           CAST(date_trunc('month', min(date_acquired)) AS DATE) AS acquired,
           CAST(date_trunc('month', CASE WHEN bool_and(date_lost IS NOT NULL) THEN max(date_lost) END) AS DATE) AS lost
    FROM sliced
    GROUP BY ALL
),
events AS (   -- gone: the month from which a customer no longer counts in the total
    SELECT partner_id, slice_no, slice, value, month,
           count(*) FILTER (WHERE kind = 'new') AS new_customers,
           count(*) FILTER (WHERE kind = 'lost') AS lost_customers,
           count(*) FILTER (WHERE kind = 'gone') AS gone_customers
    FROM (
        SELECT partner_id, slice_no, slice, value, acquired AS month, 'new' AS kind FROM per_value WHERE acquired IS NOT NULL
        UNION ALL
        SELECT partner_id, slice_no, slice, value, lost, 'lost' FROM per_value WHERE lost IS NOT NULL
        UNION ALL
        SELECT partner_id, slice_no, slice, value, greatest(acquired, lost), 'gone' FROM per_value
        WHERE acquired IS NOT NULL AND lost IS NOT NULL
    )
    GROUP BY ALL
),
spans AS (
    SELECT partner_id, slice_no, slice, value, min(month) AS first_month,
           greatest(max(month), date_trunc('month', getvariable('as_of'))::DATE) AS last_month
    FROM events
    GROUP BY ALL
),
dense AS (
    SELECT s.partner_id, s.slice_no, s.slice, s.value,
           CAST(unnest(generate_series(s.first_month, s.last_month, INTERVAL 1 MONTH)) AS DATE) AS month
    FROM spans s
),
running AS (
    SELECT d.partner_id, d.slice_no, d.slice, d.value, d.month,
           coalesce(e.new_customers, 0) AS new_customers,
           coalesce(e.lost_customers, 0) AS lost_customers,
           sum(coalesce(e.new_customers, 0) - coalesce(e.gone_customers, 0)) OVER (
               PARTITION BY d.partner_id, d.slice_no, d.value ORDER BY d.month) AS total_customers
    FROM dense d
    LEFT JOIN events e USING (partner_id, slice_no, slice, value, month)
)
SELECT partner_id, slice_no, slice, value, month,
       CAST(new_customers AS BIGINT) AS new_customers,
       CAST(lost_customers AS BIGINT) AS lost_customers,
       CAST(total_customers AS BIGINT) AS total_customers
FROM running
WHERE new_customers + lost_customers + total_customers > 0
ORDER BY partner_id, slice_no, value, month;
