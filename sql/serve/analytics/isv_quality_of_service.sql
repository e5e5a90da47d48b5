-- analytics dataset ISVQualityOfService: deployments of the partner's own marketplace offers, one
-- per DeploymentCorrelationId, from the Quality of service report (marketplace_deployments, step
-- 040; serve/analytics). $1 = partner id. Opted-out customers never appear
-- (partner_marketplace_deployments), so their tenant and name are not columns either.
SELECT
    offer_id                       AS "OfferId",
    sku                            AS "Sku",
    deployment_status              AS "DeploymentStatus",
    deployment_correlation_id      AS "DeploymentCorrelationId",
    subscription_id                AS "SubscriptionId",
    template_type                  AS "TemplateType",
    start_time                     AS "StartTime",
    end_time                       AS "EndTime",
    duration_ms                    AS "DeploymentDurationInMilliSeconds",
    region                         AS "DeploymentRegion",
    error_codes                    AS "ErrorCodes",
    CAST(1 AS BIGINT)              AS "Deployments",
    CAST(succeeded AS BIGINT)      AS "SucceededDeployments",
    resources                      AS "Resources",
    CAST(start_time AS DATE)       AS _date
FROM partner_marketplace_deployments
WHERE partner_id = $1
