-- analytics dataset ISVQualityOfService: deployments of the partner's own marketplace offers, one
-- per DeploymentCorrelationId, from the Quality of service report (marketplace_deployments, step
-- 040; serve/analytics). $1 = partner id. Opted-out customers never appear
-- (partner_marketplace_deployments); the customer's name is masked (partner_qos_resources).
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
    -- The documented per-resource columns, from the deployment's rows in its latest delivery
    -- (distinct values joined with ','), CustomerName masked (partner_qos_resources, step 555).
    r.q_customer_tenant_id         AS "CustomerTenantId",
    r.customer_name                AS "CustomerName",
    r.q_resource_provider          AS "ResourceProvider",
    r.q_resource_uri               AS "ResourceUri",
    r.q_resource_group             AS "ResourceGroup",
    r.q_resource_type              AS "ResourceType",
    r.q_resource_name              AS "ResourceName",
    r.q_error_code                 AS "ErrorCode",
    r.q_error_name                 AS "ErrorName",
    r.q_error_message              AS "ErrorMessage",
    r.q_deep_error_code            AS "DeepErrorCode",
    r.q_deep_error_message         AS "DeepErrorMessage",
    CAST(start_time AS DATE)       AS _date
FROM partner_marketplace_deployments d
LEFT JOIN partner_qos_resources r ON r.partner_id = d.partner_id AND r.q_id = d.deployment_correlation_id
WHERE d.partner_id = $1
