-- analytics dataset ISVAttributedDeployments: deployments attributed to the partner's tracking IDs,
-- one row per deployment and tracking ID (serve/analytics; not in Partner Center). $1 = partner id.
-- Opted-out deployments and hidden customers never appear (partner_deployments).
SELECT DISTINCT
    deployment_id                 AS "DeploymentCorrelationId",
    "timestamp"                   AS "StartTime",
    subscription_id               AS "SubscriptionId",
    customer_tenant_id            AS "CustomerTenantId",
    resource_group                AS "ResourceGroup",
    deployment_status             AS "DeploymentStatus",
    region                        AS "DeploymentRegion",
    offer_id                      AS "OfferId",
    plan_id                       AS "PlanId",
    tracking_id                   AS "TrackingId",
    CAST(1 AS BIGINT)             AS "Deployments",
    CAST("timestamp" AS DATE)     AS _date
FROM partner_deployments
WHERE partner_id = $1
  AND status = 'attributed'
  AND NOT opted_out
