-- revenue: every transaction of each partner's Revenue download (Partner Center's Revenue report,
-- ISVRevenue) whose month is in the report window: what the customer was charged, what the
-- partner earned after the store fee, and where the payout stands. One row per transaction
-- (PurchaseRecordId + LineItemId, the dataset's natural key). These rows describe the same sales
-- as the orders and usage from the payout side; nothing here is added to billed sales, the
-- Summary or the tiers (docs/tiers.md), so a month delivered both ways is counted once.
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
-- Privacy: the partner-safe view partner_revenue (sql/transform/555_partner_views.sql): a customer
-- who opted out anywhere never appears; CustomerName reads '***' without a qualifying purchase from
-- this partner. The customer's email is left out of the sheet. Amounts stay exact (as delivered).
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
transactions AS (   -- a Revenue file belongs to the publisher of its landing folder
    SELECT v.*, v.publisher_id AS partner_id FROM partner_revenue v
)
SELECT r.partner_id,
       r.month_start_date AS month,
       r.purchase_record_id,
       r.line_item_id,
       r.asset_id AS order_id,
       r.offer_name,
       r.offer_type,
       r.sku,
       r.billing_model,
       r.sales_channel,
       r.customer_id,
       r.customer_name,
       r.customer_company_name,
       r.customer_country,
       r.quantity,
       r.transaction_amount_usd,
       r.earning_amount_usd,
       r.earning_amount_pc,
       r.earning_currency_code,
       r.payout_status,
       r.estimated_payout_month,
       r.payment_sent_date
FROM transactions r, params p
WHERE r.partner_id BETWEEN p.partner_from AND p.partner_to
  AND r.month_start_date >= p.first_month
  AND r.month_start_date < p.last_month + INTERVAL 1 MONTH
ORDER BY r.partner_id, r.month_start_date, r.purchase_record_id, r.line_item_id
