-- analytics dataset ISVUsage: the partner's usage rows as Partner Center names them
-- (serve/analytics). $1 = partner id. Privacy rules come from partner_usage.
SELECT
    marketplace_subscription_id   AS "MarketplaceSubscriptionId",
    usage_date                    AS "UsageDate",
    month                         AS "MonthStartDate",
    offer_type                    AS "OfferType",
    offer_name                    AS "OfferName",
    offer_id                      AS "OfferId",
    sku                           AS "SKU",
    plan_id                       AS "PlanId",
    customer_id                   AS "CustomerId",
    customer_country              AS "CustomerCountry",
    vm_size                       AS "VMSize",
    core_size                     AS "CoreSize",
    usage_type                    AS "UsageType",
    meter_id                      AS "MeterId",
    meter_dimension               AS "MeterDimension",
    usage_unit                    AS "UsageUnit",
    customer_currency_cc          AS "CustomerCurrencyCC",
    payout_currency_pc            AS "PayoutCurrencyPC",
    marketplace_license_type      AS "MarketplaceLicenseType",
    normalized_usage              AS "NormalizedUsage",
    raw_usage                     AS "RawUsage",
    metered_usage                 AS "MeteredUsage",
    estimated_extended_charge_cc  AS "EstimatedExtendedChargeCC",
    estimated_extended_charge_pc  AS "EstimatedExtendedChargePC",
    usage_date                    AS _date
FROM partner_usage
WHERE partner_id = $1
