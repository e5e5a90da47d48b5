-- usage_detail: every usage row of the partner in the report window, as delivered (one row
-- per ReferenceId), for the detail sheet and the Parquet file.
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
-- Privacy: opted-out usage, fraud rows and customers who opted out anywhere never appear.
-- The Azure subscription id is shown for pay-as-you-go customers only (AzureLicenseType of the
-- customer's subscription), as the design says.
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
payg_subscriptions AS (   -- marketplace subscriptions of pay-as-you-go customers
    SELECT DISTINCT marketplace_subscription_id
    FROM customers
    WHERE regexp_replace(lower(azure_license_type), '[^a-z]', '', 'g') = 'payasyougo'
)
SELECT u.usage_date,
       u.reference_id,
       u.marketplace_subscription_id,
       CASE WHEN g.marketplace_subscription_id IS NOT NULL THEN u.azure_subscription_id END AS azure_subscription_id,
       u.customer_id,
       u.customer_country,
       u.offer_name,
       u.offer_type,
       u.plan_id,
       u.sku,
       u.marketplace_license_type,
       u.vm_size,
       u.core_size,
       u.usage_type,
       u.meter_id,
       u.meter_dimension,
       u.usage_unit,
       u.normalized_usage,
       u.raw_usage,
       u.metered_usage,
       u.estimated_extended_charge_cc,
       u.customer_currency_cc,
       u.estimated_extended_charge_pc,
       u.payout_currency_pc
FROM partner_visible_usage u   -- privacy: see sql/transform/150_visible_rows.sql
JOIN params p ON u.partner_id = p.partner_id
LEFT JOIN payg_subscriptions g ON g.marketplace_subscription_id = u.marketplace_subscription_id
WHERE u.usage_date >= p.first_month
  AND u.usage_date < p.last_month + INTERVAL 1 MONTH
ORDER BY u.usage_date, u.reference_id, u.marketplace_subscription_id, u.meter_id NULLS FIRST,
         u.normalized_usage NULLS FIRST, u.metered_usage NULLS FIRST, u.estimated_extended_charge_pc NULLS FIRST
