-- analytics dataset ISVOrder: the partner's current order lines as Partner Center names them
-- (serve/analytics). $1 = partner id. Privacy rules come from partner_orders
-- (opted-out customers absent; CustomerName "***" without a qualifying purchase).
SELECT
    marketplace_subscription_id   AS "MarketplaceSubscriptionId",
    month_start_date              AS "MonthStartDate",
    offer_type                    AS "OfferType",
    offer_name                    AS "OfferName",
    offer_id                      AS "OfferId",
    sku                           AS "SKU",
    plan_id                       AS "PlanId",
    azure_license_type            AS "AzureLicenseType",
    marketplace_license_type      AS "MarketplaceLicenseType",
    customer_id                   AS "CustomerId",
    billing_account_id            AS "BillingAccountId",
    customer_name                 AS "CustomerName",
    customer_company_name         AS "CustomerCompanyName",
    customer_country              AS "CustomerCountry",
    is_new_customer               AS "IsNewCustomer",
    order_status                  AS "OrderStatus",
    order_action                  AS "OrderAction",
    order_purchase_date           AS "OrderPurchaseDate",
    order_cancel_date             AS "OrderCancelDate",
    term_start_date               AS "TermStartDate",
    term_end_date                 AS "TermEndDate",
    currency                      AS "Currency",
    asset_id                      AS "AssetId",
    asset_id                      AS "OrderId",
    purchase_record_id            AS "PurchaseRecordId",
    purchase_record_line_item_id  AS "PurchaseRecordLineItemId",
    is_private_offer              AS "IsPrivateOffer",
    is_trial                      AS "IsTrial",
    trial_end_date                AS "TrialEndDate",
    cloud_instance_name           AS "CloudInstanceName",
    order_quantity                AS "OrderQuantity",
    estimated_charges             AS "EstimatedCharges",
    -- Documented names the order landing file does not use: Quantity and BilledRevenue are the
    -- documentation's names for OrderQuantity and EstimatedCharges; IsTrialDeployment is IsTrial
    -- (this order line is in trial); HasTrial is the plan offering a trial (NULL when the file did
    -- not say). IsPreviewSKU is not in the orders landing file: always NULL.
    order_quantity                AS "Quantity",
    estimated_charges             AS "BilledRevenue",
    is_trial                      AS "IsTrialDeployment",
    has_trial                     AS "HasTrial",
    CAST(NULL AS BOOLEAN)         AS "IsPreviewSKU",
    month                         AS _date
FROM partner_orders
WHERE partner_id = $1
