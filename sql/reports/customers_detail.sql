-- customers_detail: one row per customer and marketplace subscription of each partner that was
-- a customer at some time in the report window, with the customer attributes of the design.
-- The rows, privacy and masking are defined once, in sql/transform/560_report_details.sql;
-- order_count is the customer's orders (AssetIds) with the partner purchased by the report
-- month's end.
-- Parameters: 1 first partner id, 2 last partner id (inclusive: one query serves many partners),
-- 3 first month of the window, 4 report month (DATEs, first of month). Rows come ordered by
-- partner so that each partner's rows are one contiguous range.
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
rows AS (
    SELECT d.*
    FROM report_customers_detail d, params p
    WHERE d.partner_id BETWEEN p.partner_from AND p.partner_to
      AND (d.date_acquired IS NULL OR d.date_acquired <= last_day(p.last_month))
      AND (d.date_lost IS NULL OR d.date_lost >= p.first_month)
    QUALIFY row_number() OVER (   -- a later delivery of the same customer subscription wins
        PARTITION BY d.partner_id, d.customer_id, d.marketplace_subscription_id
        ORDER BY d._file_id DESC, d.date_acquired DESC NULLS LAST, d.date_lost DESC NULLS LAST,
                 d.contact_rank,   -- (Email, FirstName, LastName) ranked without reading them
                 d.customer_company_name NULLS LAST, d.reseller NULLS LAST) = 1
),
order_counts AS (
    SELECT o.partner_id, o.customer_id, count(*) AS order_count
    FROM report_customer_orders o, params p
    WHERE o.partner_id BETWEEN p.partner_from AND p.partner_to
      AND o.first_purchase <= last_day(p.last_month)
    GROUP BY ALL
)
SELECT c.partner_id, c.customer_id, c.customer_company_name, c.first_name, c.last_name, c.email,
       c.contact_details, c.reseller, c.reseller_email, c.transaction_date,
       c.marketplace_subscription_id, c.subscription_name, c.azure_subscription_id,
       c.azure_license_type, c.customer_type, c.cloud_instance_name,
       CAST(coalesce(n.order_count, 0) AS BIGINT) AS order_count,
       c.country, c.state, c.city, c.postal_code, c.communication_culture,
       c.date_acquired, c.date_lost
FROM rows c
LEFT JOIN order_counts n ON n.partner_id = c.partner_id AND n.customer_id = c.customer_id
ORDER BY c.partner_id, c.customer_id, c.marketplace_subscription_id
