-- report_usage_facts: the partner's usage per month and slice, each figure defined here once
-- (usage_monthly, usage_by_slice, offers and summary select from it). Grain and slice_no as in
-- report_orders_facts: 0 'All', 1–8 the slices of usage_by_slice, 9 'Offer ID' (raw offer id).
-- Privacy: the rows of partner_visible_usage (150_visible_rows.sql).
--   normalized_usage, raw_usage, metered_quantity   sums of NormalizedUsage, RawUsage, MeteredUsage
--   estimated_charges_usd  the rows' charge (payout currency first, 150_visible_rows.sql) in USD at
--                          the month's FX rate (a later file's rate wins, as in billed sales)
--   subscriptions, customers  distinct marketplace subscriptions and customers
-- "New or existing customer": the usage month against the month the customer became the
-- partner's customer: its first purchase from the partner (visible orders) or, for usage without
-- an order (VM and BYOL usage rarely has one), its earliest DateAcquired in the customers export
-- (PublisherId, else the partner whose orders hold the subscription), whichever is earlier.
-- "New customer" in that month, "Existing customer" after it; "Unknown (no purchase or
-- acquisition date)" when the partner has neither for the customer (or the usage comes first).
CREATE OR REPLACE TABLE report_usage_facts AS
WITH rates AS (
    SELECT upper(trim(currency)) AS currency, CAST(date_trunc('month', month) AS DATE) AS month,
           arg_max(rate_to_usd, _file_id) AS rate_to_usd
    FROM fx_rates
    GROUP BY ALL
),
subscription_partner AS (   -- the customer export may lack PublisherId: the orders know it
    SELECT marketplace_subscription_id, min(partner_id) AS partner_id
    FROM current_orders
    GROUP BY marketplace_subscription_id
),
customer_since AS (
    SELECT partner_id, customer_id, CAST(date_trunc('month', min(since)) AS DATE) AS first_month
    FROM (
        SELECT partner_id, customer_id, order_purchase_date AS since
        FROM partner_visible_orders
        UNION ALL
        SELECT coalesce(c.publisher_id, s.partner_id), c.customer_id, c.date_acquired
        FROM partner_visible_customers c
        LEFT JOIN subscription_partner s USING (marketplace_subscription_id)
    )
    WHERE partner_id IS NOT NULL AND customer_id IS NOT NULL AND since IS NOT NULL
    GROUP BY partner_id, customer_id
),
rolled_raw AS MATERIALIZED (   -- the month's days of a subscription's meter in one row, before the joins and
                  -- before the slices multiply the rows by ten: the sums are of DECIMALs, so exact in
                  -- any order (the month's rate times the summed charge is the sum of the charges at
                  -- that rate), and the subscription and customer stay for the distinct counts
    SELECT partner_id, month, marketplace_subscription_id, customer_id, offer_name, plan_id, offer_type,
           marketplace_license_type, customer_country, vm_size, meter_dimension, meter_id, offer_id, charge_currency,
           sum(normalized_usage) AS normalized_usage, sum(raw_usage) AS raw_usage,
           sum(metered_usage) AS metered_usage, sum(charge) AS charge
    FROM partner_visible_usage
    WHERE partner_id IS NOT NULL AND month IS NOT NULL
    GROUP BY ALL
),
-- A row whose subscription and customer are in no other row of the partner's month (single) is
-- one distinct subscription and one distinct customer in each of its slice values: it is counted
-- directly; the distinct counts run over the other rows alone (most of the step's time was the
-- distinct counts over every sliced row).
subscription_rows AS (
    SELECT partner_id, month, marketplace_subscription_id, count(*) AS rows FROM rolled_raw GROUP BY ALL
),
customer_rows AS (
    SELECT partner_id, month, customer_id, count(*) AS rows FROM rolled_raw GROUP BY ALL
),
rolled AS (
    SELECT u.* EXCLUDE (charge_currency, charge),
           u.charge * CASE WHEN u.charge_currency = 'USD' THEN 1 ELSE x.rate_to_usd END AS charge_usd,
           CASE WHEN c.first_month = u.month THEN 'New customer'
                WHEN c.first_month < u.month THEN 'Existing customer'
                ELSE 'Unknown (no purchase or acquisition date)' END AS customer_kind,
           coalesce(n.rows = 1 AND m.rows = 1, false) AS single
    FROM rolled_raw u
    LEFT JOIN subscription_rows n
           ON n.partner_id = u.partner_id AND n.month = u.month
          AND n.marketplace_subscription_id = u.marketplace_subscription_id
    LEFT JOIN customer_rows m
           ON m.partner_id = u.partner_id AND m.month = u.month AND m.customer_id = u.customer_id
    LEFT JOIN rates x ON x.currency = u.charge_currency AND x.month = u.month
    LEFT JOIN customer_since c ON c.partner_id = u.partner_id AND c.customer_id = u.customer_id
),
sliced AS (
    SELECT r.partner_id, r.month, r.normalized_usage, r.raw_usage, r.metered_usage, r.charge_usd,
           r.marketplace_subscription_id, r.customer_id, r.single,
           unnest([
               {'slice_no': 0, 'slice': 'All', 'value': 'All'},
               {'slice_no': 1, 'slice': 'Offer', 'value': r.offer_name},
               {'slice_no': 2, 'slice': 'Plan', 'value': r.plan_id},
               {'slice_no': 3, 'slice': 'Offer type', 'value': r.offer_type},
               {'slice_no': 4, 'slice': 'License type', 'value': r.marketplace_license_type},
               {'slice_no': 5, 'slice': 'Country', 'value': r.customer_country},
               {'slice_no': 6, 'slice': 'New or existing customer', 'value': r.customer_kind},
               {'slice_no': 7, 'slice': 'VM size', 'value': r.vm_size},
               {'slice_no': 8, 'slice': 'Meter', 'value': coalesce(nullif(trim(r.meter_dimension), ''), r.meter_id)},
               {'slice_no': 9, 'slice': 'Offer ID', 'value': r.offer_id}
           ], recursive := true)
    FROM rolled r
)
SELECT partner_id, slice_no, slice,
       CASE WHEN slice_no = 9 THEN value ELSE coalesce(nullif(trim(value), ''), '(none)') END AS value,
       month,
       CAST(coalesce(sum(normalized_usage), 0) AS DECIMAL(18,6)) AS normalized_usage,
       CAST(coalesce(sum(raw_usage), 0) AS DECIMAL(18,6)) AS raw_usage,
       CAST(coalesce(sum(metered_usage), 0) AS DECIMAL(18,6)) AS metered_quantity,
       CAST(coalesce(sum(charge_usd), 0) AS DECIMAL(18,2)) AS estimated_charges_usd,
       CAST(count(marketplace_subscription_id) FILTER (WHERE single)
            + count(DISTINCT marketplace_subscription_id) FILTER (WHERE NOT single) AS BIGINT) AS subscriptions,
       CAST(count(customer_id) FILTER (WHERE single)
            + count(DISTINCT customer_id) FILTER (WHERE NOT single) AS BIGINT) AS customers
FROM sliced
GROUP BY ALL
ORDER BY partner_id, slice_no, value, month;
