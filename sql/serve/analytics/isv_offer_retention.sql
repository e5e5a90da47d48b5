-- analytics dataset ISVOfferRetention: customer retention by offer (serve/analytics). $1 = partner id.
-- A customer's cohort is its first active month with an offer and plan: a month with usage
-- (partner_usage) or an Active/Warning order line (partner_orders), so flat-rate
-- SaaS counts as well as metered and VM usage. One row per customer, offer, plan and later month
-- in which the customer was still active; Offset is that month's distance in months from the
-- first (0 = the first month). FirstUsageDate is the first day of use (the first usage date, else
-- the first order month). The time span selects cohorts by FirstUsageDate. Privacy rules come from
-- the partner-safe views (step 555). Columns the landing files do not carry are NULL: OfferCategory,
-- DeploymentMethod, SkuBillingType, CustomerName, CustomerCompanyName, CustomerCountryCode,
-- AzureLicenseType (no personal field is exposed, so nothing needs masking).
WITH activity AS (
    SELECT customer_id, offer_id, offer_name, offer_type, sku, plan_id, customer_country,
           customer_currency_cc AS currency, usage_date AS day, month
    FROM partner_usage
    WHERE partner_id = $1 AND customer_id IS NOT NULL
    UNION ALL
    SELECT customer_id, offer_id, offer_name, offer_type, sku, plan_id, customer_country,
           currency, month AS day, month
    FROM partner_orders
    WHERE partner_id = $1 AND customer_id IS NOT NULL AND is_active
),
keyed AS (
    SELECT *, coalesce(offer_id, offer_name) AS offer_key, coalesce(plan_id, sku) AS plan_key
    FROM activity
),
first AS (
    SELECT offer_key, plan_key, customer_id, min(day) AS first_day, min(month) AS first_month
    FROM keyed
    GROUP BY ALL
),
months AS (
    SELECT offer_key, plan_key, customer_id, month,
           min(offer_id) AS offer_id, min(offer_name) AS offer_name, min(offer_type) AS offer_type,
           min(sku) AS sku, min(plan_id) AS plan_id, min(customer_country) AS customer_country,
           min(currency) AS currency
    FROM keyed
    GROUP BY offer_key, plan_key, customer_id, month
)
SELECT
    CAST(NULL AS VARCHAR)                          AS "OfferCategory",
    m.offer_name                                   AS "OfferName",
    m.offer_id                                     AS "ProductId",
    CAST(NULL AS VARCHAR)                          AS "DeploymentMethod",
    m.plan_id                                      AS "ServicePlanName",
    m.sku                                          AS "Sku",
    CAST(NULL AS VARCHAR)                          AS "SkuBillingType",
    m.customer_id                                  AS "CustomerId",
    CAST(NULL AS VARCHAR)                          AS "CustomerName",
    CAST(NULL AS VARCHAR)                          AS "CustomerCompanyName",
    m.customer_country                             AS "CustomerCountryName",
    CAST(NULL AS VARCHAR)                          AS "CustomerCountryCode",
    m.currency                                     AS "CustomerCurrencyCode",
    f.first_day                                    AS "FirstUsageDate",
    f.first_month                                  AS "FirstUsageMonth",
    m.month                                        AS "ActivityMonth",
    CAST(NULL AS VARCHAR)                          AS "AzureLicenseType",
    m.offer_type                                   AS "OfferType",
    CAST(date_diff('month', f.first_month, m.month) AS BIGINT) AS "Offset",
    CAST(1 AS BIGINT)                              AS "Customers",
    f.first_day                                    AS _date
FROM months m
JOIN first f USING (offer_key, plan_key, customer_id)
