-- revenue: the partner's Revenue transactions of the window, computed from the raw revenue table
-- and the privacy rules written out again (not through partner_revenue): a customer hidden
-- anywhere (hidden_customers) never appears; the customer's name is '***' unless the customer is
-- in report_consent for this partner.
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
)
SELECT r.month_start_date AS month, r.purchase_record_id, r.line_item_id, r.asset_id AS order_id,
       r.offer_name, r.offer_type, r.sku, r.billing_model, r.sales_channel, r.customer_id,
       CASE WHEN r.customer_name IS NULL THEN NULL
            WHEN r.customer_id IN (SELECT customer_id FROM report_consent k, params p WHERE k.partner_id = p.partner_id)
            THEN r.customer_name ELSE '***' END AS customer_name,
       r.customer_company_name, r.customer_country, r.quantity,
       r.transaction_amount_usd, r.earning_amount_usd, r.earning_amount_pc, r.earning_currency_code,
       r.payout_status, r.estimated_payout_month, r.payment_sent_date
FROM revenue r, params p
WHERE r.publisher_id = p.partner_id
  AND (r.customer_id IS NULL OR r.customer_id NOT IN (SELECT customer_id FROM hidden_customers WHERE customer_id IS NOT NULL))
  AND r.month_start_date BETWEEN p.first_month AND p.last_month
ORDER BY r.month_start_date, r.purchase_record_id, r.line_item_id
