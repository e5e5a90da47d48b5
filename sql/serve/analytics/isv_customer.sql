-- analytics dataset ISVCustomer: the partner's customers as Partner Center names them
-- (serve/analytics). $1 = partner id. Privacy rules come from partner_customers (opted-out
-- customers absent; FirstName, LastName, Email "***" without a qualifying purchase).
-- Subscriptions counts rows, one per customer and marketplace subscription.
SELECT
    customer_id                     AS "CustomerId",
    billing_account_id              AS "BillingAccountId",
    marketplace_subscription_id     AS "MarketplaceSubscriptionId",
    date_acquired                   AS "DateAcquired",
    date_lost                       AS "DateLost",
    provider_name                   AS "ProviderName",
    provider_email                  AS "ProviderEmail",
    first_name                      AS "FirstName",
    last_name                       AS "LastName",
    email                           AS "Email",
    customer_company_name           AS "CustomerCompanyName",
    customer_city                   AS "CustomerCity",
    customer_postal_code            AS "CustomerPostalCode",
    customer_state                  AS "CustomerState",
    customer_country_region         AS "CustomerCountryRegion",
    customer_communication_culture  AS "CustomerCommunicationCulture",
    azure_license_type              AS "AzureLicenseType",
    customer_type                   AS "CustomerType",
    cloud_instance_name             AS "CloudInstanceName",
    -- IsActive: the subscription has not been lost. ID is the customer file's record id (NULL with
    -- the older landing files). PromotionalCustomers and CommerceRootCustomer are not in the
    -- customers landing file: always NULL.
    date_lost IS NULL               AS "IsActive",
    record_id                       AS "ID",
    CAST(NULL AS VARCHAR)           AS "PromotionalCustomers",
    CAST(NULL AS VARCHAR)           AS "CommerceRootCustomer",
    CAST(1 AS BIGINT)               AS "Subscriptions",
    date_acquired                   AS _date
FROM partner_customers
WHERE partner_id = $1
