-- billed_sales_parts: marketplace-billed sales by PGA, partner, month, part and currency.
--
-- Only rows with MarketplaceLicenseType "Billed through Azure" (case and spaces ignored)
-- and not flagged as fraud count. Amounts are summed per currency and month before
-- conversion (exact: the FX rate is one per currency and month), then converted exactly:
-- amount * rate_to_usd, no rounding here. A row whose currency and month has no FX rate
-- keeps rate_to_usd NULL; step 215 fails the run naming them. USD needs no rate.
--
-- Orders (current_orders: the latest OrderVersion of each order line):
--   orders         EstimatedCharges >= 0, in the month of MonthStartDate;
--   order_refunds  EstimatedCharges < 0 (a refund or credit line), in the month of MonthStartDate;
--   cancellations  an order line whose latest status is Canceled is reversed: minus its
--                  EstimatedCharges in the month of OrderCancelDate (MonthStartDate when the
--                  cancel date is missing or earlier), so months before the cancellation
--                  keep the sale and the trailing total drops from the cancellation on;
--   Abandoned orders (never completed) count nothing.
-- Usage (resolved_usage, every metered row, opted out or not: sales are sales):
--   the charge in the payout currency (EstimatedExtendedChargePC, PayoutCurrencyPC: what the
--   marketplace bills on the partner's behalf), or the customer-currency pair (CC) when the
--   PC charge is missing, in the month of UsageDate;
--   usage          charge >= 0;  usage_refunds  charge < 0.
DELETE FROM billed_sales_parts;

INSERT INTO billed_sales_parts BY NAME
WITH billed_orders AS (
    SELECT pga_id, partner_id, order_status,
           date_trunc('month', month_start_date)::DATE AS month,
           date_trunc('month', greatest(coalesce(order_cancel_date, month_start_date), month_start_date))::DATE AS cancel_month,
           upper(trim(currency)) AS currency,
           CAST(estimated_charges AS DECIMAL(38,6)) AS amount
    FROM current_orders
    WHERE lower(trim(marketplace_license_type)) = 'billed through azure'
      AND NOT coalesce(is_fraud, false)
      AND estimated_charges IS NOT NULL
      AND lower(trim(coalesce(order_status, ''))) <> 'abandoned'
),
order_parts AS (
    SELECT pga_id, partner_id, month, CASE WHEN amount >= 0 THEN 'orders' ELSE 'order_refunds' END AS part,
           currency, amount
    FROM billed_orders
    UNION ALL
    SELECT pga_id, partner_id, cancel_month AS month, 'cancellations' AS part, currency, -amount AS amount
    FROM billed_orders
    WHERE lower(trim(order_status)) = 'canceled'
),
billed_usage AS (
    SELECT pga_id, partner_id,
           date_trunc('month', usage_date)::DATE AS month,
           CASE WHEN estimated_extended_charge_pc IS NOT NULL THEN upper(trim(payout_currency_pc))
                ELSE upper(trim(customer_currency_cc)) END AS currency,
           CAST(coalesce(estimated_extended_charge_pc, estimated_extended_charge_cc) AS DECIMAL(38,6)) AS amount
    FROM resolved_usage
    WHERE lower(trim(marketplace_license_type)) = 'billed through azure'
      AND NOT coalesce(is_fraud, false)
      AND coalesce(estimated_extended_charge_pc, estimated_extended_charge_cc) IS NOT NULL
),
all_parts AS (
    SELECT * FROM order_parts
    UNION ALL
    SELECT pga_id, partner_id, month, CASE WHEN amount >= 0 THEN 'usage' ELSE 'usage_refunds' END AS part,
           currency, amount
    FROM billed_usage
),
summed AS (
    SELECT pga_id, partner_id, month, part, nullif(currency, '') AS currency,
           count(*) AS source_rows, sum(amount) AS amount
    FROM all_parts
    GROUP BY ALL
),
rates AS (
    SELECT upper(trim(currency)) AS currency, date_trunc('month', month)::DATE AS month,
           arg_max(rate_to_usd, _file_id) AS rate_to_usd   -- a later file's rate wins
    FROM fx_rates
    GROUP BY ALL
)
SELECT s.pga_id, s.partner_id, s.month, s.part, s.currency, s.source_rows, s.amount,
       CASE WHEN s.currency = 'USD' THEN CAST(1 AS DECIMAL(18,8)) ELSE r.rate_to_usd END AS rate_to_usd,
       s.amount * CASE WHEN s.currency = 'USD' THEN CAST(1 AS DECIMAL(18,8)) ELSE r.rate_to_usd END AS amount_usd
FROM summed s
LEFT JOIN rates r ON r.currency = s.currency AND r.month = s.month;
