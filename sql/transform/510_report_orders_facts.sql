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
WITH sliced AS (
    SELECT o.partner_id, o.month, o.asset_id, o.order_purchase_date, o.is_trial, o.term_start_date,
           o.order_status, o.is_active, o.order_quantity, o.estimated_charges,
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
    WHERE o.partner_id IS NOT NULL AND o.month IS NOT NULL
)
SELECT partner_id, slice_no, slice,
       CASE WHEN slice_no = 9 THEN value ELSE coalesce(nullif(trim(value), ''), '(none)') END AS value,
       month,
       CAST(count(DISTINCT asset_id) FILTER (WHERE date_trunc('month', order_purchase_date) = month) AS BIGINT) AS new_orders,
       CAST(count(DISTINCT asset_id) FILTER (WHERE date_trunc('month', order_purchase_date) = month
                                               AND coalesce(is_trial, false)) AS BIGINT) AS new_trials,
       CAST(count(DISTINCT asset_id) FILTER (WHERE date_trunc('month', term_start_date) = month
                                               AND term_start_date > order_purchase_date) AS BIGINT) AS renewed_orders,
       CAST(count(DISTINCT asset_id) FILTER (WHERE lower(trim(order_status)) = 'canceled') AS BIGINT) AS canceled_orders,
       CAST(count(DISTINCT asset_id) FILTER (WHERE is_active) AS BIGINT) AS active_orders,
       CAST(coalesce(sum(order_quantity) FILTER (WHERE is_active AND coalesce(estimated_charges, 0) >= 0), 0) AS BIGINT) AS active_quantity
FROM sliced
GROUP BY ALL
ORDER BY partner_id, slice_no, value, month;
