-- analytics dataset ISVAttributedUsage: usage attributed to the partner's tracking IDs, per
-- month and ID (serve/analytics; not in Partner Center). $1 = partner id.
SELECT
    month                         AS "MonthStartDate",
    tracking_id                   AS "TrackingId",
    offer_id                      AS "OfferId",
    channel                       AS "Channel",
    plan_id                       AS "PlanId",
    payout_currency_pc            AS "PayoutCurrencyPC",
    usage_rows                    AS "UsageRows",
    shared_usage_rows             AS "SharedUsageRows",
    subscriptions                 AS "Subscriptions",
    normalized_usage              AS "NormalizedUsage",
    raw_usage                     AS "RawUsage",
    metered_usage                 AS "MeteredUsage",
    estimated_extended_charge_pc  AS "EstimatedExtendedChargePC",
    month                         AS _date
FROM attributed_usage_monthly
WHERE partner_id = $1
