-- report_orders_detail, report_usage_detail, report_customers_detail: the rows of the detail
-- reports of every partner, privacy and masking applied here once. The report queries only pick
-- the window (and, for customers, count orders up to the report month) and order the window's
-- rows by partner, so that each partner's rows are one contiguous range. The two big ones (order
-- lines and usage rows) are views, not copies: copying and sorting every row of every month cost
-- the transform more time and memory than reading the window's rows costs the report query.
-- Privacy: they read only the partner-safe views (555_partner_views.sql), where every rule of
-- what a partner may see is written once: opted-out customers absent, personal fields "***"
-- without a qualifying purchase, the Azure subscription id for pay-as-you-go customers only.
CREATE OR REPLACE VIEW report_orders_detail AS
SELECT o.partner_id,
       o.month_start_date,
       o.month,
       o.asset_id AS order_id,
       o.purchase_record_line_item_id AS line_item_id,
       o.order_version,
       o.marketplace_subscription_id,
       o.offer_name,
       o.offer_type,
       o.plan_id,
       o.sku,
       o.marketplace_license_type,
       o.azure_license_type,
       o.order_status,
       o.order_action,
       o.order_purchase_date,
       o.order_cancel_date,
       o.term_start_date,
       o.term_end_date,
       o.is_trial,
       o.trial_end_date,
       o.is_private_offer,
       o.order_quantity,
       o.estimated_charges,
       o.currency,
       o.customer_id,
       o.customer_name,
       o.customer_company_name,
       o.customer_country,
       o.is_new_customer,
       o.cloud_instance_name,
       o.event_timestamp
FROM partner_orders o;


CREATE OR REPLACE VIEW report_usage_detail AS
SELECT u.partner_id,
       u.usage_date,
       u.reference_id,
       u.marketplace_subscription_id,
       u.azure_subscription_id,
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
FROM partner_usage u;


-- report_customer_orders: each partner's orders (AssetIds) per customer with their first
-- purchase date, fraud left out (hidden customers never reach the customer rows anyway), so
-- that customers_detail counts the orders up to the report month.
CREATE OR REPLACE TABLE report_customer_orders AS
SELECT partner_id, customer_id, asset_id, min(order_purchase_date) AS first_purchase
FROM current_orders
WHERE partner_id IS NOT NULL AND customer_id IS NOT NULL AND NOT coalesce(is_fraud, false)
GROUP BY ALL
ORDER BY partner_id, customer_id, asset_id;

-- report_customers_detail: one row per partner, customer subscription and delivery
-- (partner_customers, 555_partner_views.sql, with the report's column names).
--   transaction_date   the subscription's first purchase date (DateAcquired when no order)
CREATE OR REPLACE VIEW report_customers_detail AS
SELECT c.partner_id,
       c._file_id,
       c.customer_id,
       c.customer_company_name,
       c.first_name,
       c.last_name,
       c.email,
       c.contact_details,
       c.provider_name AS reseller,
       c.provider_email AS reseller_email,
       coalesce(c.first_purchase, c.date_acquired) AS transaction_date,
       c.marketplace_subscription_id,
       c.subscription_name,
       c.azure_subscription_id,
       c.azure_license_type,
       c.customer_type,
       c.cloud_instance_name,
       c.customer_country_region AS country,
       c.customer_state AS state,
       c.customer_city AS city,
       c.customer_postal_code AS postal_code,
       c.customer_communication_culture AS communication_culture,
       c.date_acquired,
       c.date_lost,
       c.contact_rank
FROM partner_customers c;
