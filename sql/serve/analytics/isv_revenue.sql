-- analytics dataset ISVRevenue: the partner's transactions from the Revenue download, one per
-- PurchaseRecordId + LineItemId (serve/analytics). $1 = partner id (the file's publisher).
-- Privacy as the reports: a customer who opted out anywhere (hidden_customers) never appears, and
-- the personal fields CustomerName and CustomerEmail are shown only when the customer is in
-- report_consent for this partner (500_report_consent.sql), else '***'. Nothing here feeds
-- billed sales (docs/tiers.md).
SELECT
    r.asset_id                    AS "AssetId",
    r.sales_channel               AS "SalesChannel",
    r.billing_account_id          AS "BillingAccountId",
    r.customer_id                 AS "CustomerId",
    CASE WHEN r.customer_name IS NULL THEN NULL
         WHEN EXISTS (SELECT 1 FROM report_consent rc WHERE rc.partner_id = $1 AND rc.customer_id = r.customer_id)
         THEN r.customer_name ELSE '***' END AS "CustomerName",
    CASE WHEN r.customer_email IS NULL THEN NULL
         WHEN EXISTS (SELECT 1 FROM report_consent rc WHERE rc.partner_id = $1 AND rc.customer_id = r.customer_id)
         THEN r.customer_email ELSE '***' END AS "CustomerEmail",
    r.customer_company_name       AS "CustomerCompanyName",
    r.customer_city               AS "CustomerCity",
    r.customer_state              AS "CustomerState",
    r.customer_country            AS "CustomerCountry",
    r.month_start_date            AS "MonthStartDate",
    r.offer_name                  AS "OfferName",
    r.offer_type                  AS "OfferType",
    r.sku                         AS "SKU",
    r.billing_model               AS "BillingModel",
    r.trial_deployment            AS "TrialDeployment",
    r.term_start_date             AS "TermStartDate",
    r.term_end_date               AS "TermEndDate",
    r.purchase_record_id          AS "PurchaseRecordId",
    r.line_item_id                AS "LineItemId",
    r.earning_currency_code       AS "EarningCurrencyCode",
    r.earning_exchange_rate_pc    AS "EarningExchangeRatePC",
    r.exchange_rate_date          AS "ExchangeRateDate",
    r.exchange_rate_pc            AS "ExchangeRatePC",
    r.exchange_rate_usd           AS "ExchangeRateUSD",
    r.incentive_rate              AS "IncentiveRate",
    r.payout_status               AS "PayoutStatus",
    r.estimated_payout_month      AS "EstimatedPayoutMonth",
    r.payment_sent_date           AS "PaymentSentDate",
    r.payment_instrument_type     AS "PaymentInstrumentType",
    r.quantity                    AS "Quantity",
    r.units                       AS "Units",
    r.transaction_amount_cc       AS "TransactionAmountCC",
    r.transaction_amount_pc       AS "TransactionAmountPC",
    r.transaction_amount_usd      AS "TransactionAmountUSD",
    r.revenue                     AS "Revenue",
    r.estimated_revenue_pc        AS "EstimatedRevenuePC",
    r.estimated_revenue_usd       AS "EstimatedRevenueUSD",
    r.earning_amount_cc           AS "EarningAmountCC",
    r.earning_amount_pc           AS "EarningAmountPC",
    r.earning_amount_usd          AS "EarningAmountUSD",
    r.month_start_date            AS _date
FROM revenue r
ANTI JOIN hidden_customers h ON h.customer_id = r.customer_id
WHERE r.publisher_id = $1
