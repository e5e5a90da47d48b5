-- report_consent: the masking rule of the partner reports, defined once. The data has no consent
-- flag, so a customer's personal fields (name, email) are shown to a partner only when the
-- customer bought from that partner through the marketplace: at least one non-trial, non-fraud,
-- non-abandoned order line whose MarketplaceLicenseType is "Billed through Azure" or "Microsoft
-- as Reseller". Everyone else reads "***" in orders_detail and customers_detail.
-- One row per partner and consenting customer.
CREATE OR REPLACE TABLE report_consent AS
SELECT DISTINCT partner_id, customer_id
FROM current_orders
WHERE partner_id IS NOT NULL
  AND customer_id IS NOT NULL
  AND NOT coalesce(is_fraud, false)
  AND NOT coalesce(is_trial, false)
  AND lower(trim(coalesce(order_status, ''))) <> 'abandoned'
  AND regexp_replace(lower(marketplace_license_type), '[^a-z]', '', 'g') IN ('billedthroughazure', 'microsoftasreseller')
ORDER BY partner_id, customer_id;
