-- report_orders_facts: the partner's orders per month and slice, each figure defined here once
-- (the reports orders_monthly, orders_by_slice, offers and summary select from this table).
-- Grain: partner × month × slice × value. slice_no 0 ('All') is the partner's whole month;
-- 1–6 are the slices of orders_by_slice; 9 ('Offer ID', value the raw offer id, NULL kept) feeds
-- the offers report. Privacy: the rows of partner_visible_orders (150_visible_rows.sql).
-- The order export has one line per order (AssetId) and month (MonthStartDate); the latest
-- OrderVersion of each line is in current_orders. A month's figures come from its lines:
--   new_orders       orders purchased that month (OrderPurchaseDate), trials included
--   new_trials       of which free trials
--   renewed_orders   orders whose new term started that month (TermStartDate after the purchase)
--   canceled_orders  orders whose line that month is Canceled
--   active_orders    orders whose line that month is Active or Warning
--   active_quantity  their OrderQuantity, refund/credit lines (negative charges) left out
CREATE OR REPLACE TABLE report_orders_facts AS
-- An order (AssetId) with one line in its month is one row in every slice value: its sliced rows
-- count directly (single). Only orders with several lines in a month can repeat in a slice value;
-- theirs are counted in two passes: each slice value's orders with whether any of their lines
-- meets each figure's condition, then plain counts of those. The same figures as
-- count(DISTINCT ...) FILTER, without a distinct table per figure (five of them over every sliced
-- line were most of the step's time).
WITH order_lines AS (
    SELECT partner_id, month, asset_id, count(*) AS lines
    FROM partner_visible_orders
    WHERE partner_id IS NOT NULL AND month IS NOT NULL AND asset_id IS NOT NULL
    GROUP BY ALL
),
sliced AS NOT MATERIALIZED (
    SELECT o.partner_id, o.month, o.asset_id, o.order_purchase_date, o.is_trial, o.term_start_date,
           o.order_status, o.is_active, o.order_quantity, o.estimated_charges,
           coalesce(n.lines = 1, false) AS single,
           unnest([
               {'slice_no': 0, 'slice': 'All', 'value': 'All'},
               {'slice_no': 1, 'slice': 'Offer', 'value': o.offer_name},
               {'slice_no': 2, 'slice': 'Plan', 'value': o.plan_id},
               {'slice_no': 3, 'slice': 'Offer type', 'value': o.offer_type},
               {'slice_no': 4, 'slice': 'License type', 'value': o.marketplace_license_type},
               {'slice_no': 5, 'slice': 'Country', 'value': o.customer_country},
               {'slice_no': 6, 'slice': 'New or existing customer',
                'value': CASE WHEN o.is_new_customer THEN 'New customer'
                              WHEN NOT o.is_new_customer THEN 'Existing customer' END},
               {'slice_no': 9, 'slice': 'Offer ID', 'value': o.offer_id}
           ], recursive := true)
    FROM partner_visible_orders o
    LEFT JOIN order_lines n ON n.partner_id = o.partner_id AND n.month = o.month AND n.asset_id = o.asset_id
    WHERE o.partner_id IS NOT NULL AND o.month IS NOT NULL
),
lines AS NOT MATERIALIZED (
    SELECT partner_id, slice_no, slice,
           CASE WHEN slice_no = 9 THEN value ELSE coalesce(nullif(trim(value), ''), '(none)') END AS value,
           month, asset_id, single,
           date_trunc('month', order_purchase_date) = month AS is_new,
           date_trunc('month', order_purchase_date) = month AND coalesce(is_trial, false) AS is_new_trial,
           date_trunc('month', term_start_date) = month AND term_start_date > order_purchase_date AS is_renewed,
           lower(trim(order_status)) = 'canceled' AS is_canceled,
           is_active,
           CASE WHEN is_active AND coalesce(estimated_charges, 0) >= 0 THEN order_quantity END AS active_quantity
    FROM sliced
),
per_order AS (
    SELECT partner_id, slice_no, slice, value, month, asset_id,
           bool_or(is_new) AS is_new, bool_or(is_new_trial) AS is_new_trial, bool_or(is_renewed) AS is_renewed,
           bool_or(is_canceled) AS is_canceled, bool_or(is_active) AS is_active,
           sum(active_quantity) AS active_quantity
    FROM lines
    WHERE NOT single
    GROUP BY partner_id, slice_no, slice, value, month, asset_id
    UNION ALL
    SELECT partner_id, slice_no, slice, value, month, asset_id,
           is_new, is_new_trial, is_renewed, is_canceled, is_active, active_quantity
    FROM lines
    WHERE single
)
SELECT partner_id, slice_no, slice, value, month,
       CAST(count(asset_id) FILTER (WHERE is_new) AS BIGINT) AS new_orders,
       CAST(count(asset_id) FILTER (WHERE is_new_trial) AS BIGINT) AS new_trials,
       CAST(count(asset_id) FILTER (WHERE is_renewed) AS BIGINT) AS renewed_orders,
       CAST(count(asset_id) FILTER (WHERE is_canceled) AS BIGINT) AS canceled_orders,
       CAST(count(asset_id) FILTER (WHERE is_active) AS BIGINT) AS active_orders,
       CAST(coalesce(sum(active_quantity), 0) AS BIGINT) AS active_quantity
FROM per_order
GROUP BY ALL
ORDER BY partner_id, slice_no, value, month;
