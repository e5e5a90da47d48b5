-- analytics dataset ISVQualityOfService: deployments of the partner's own marketplace offers, one
-- per DeploymentCorrelationId, from the Quality of service report (marketplace_deployments, step
-- 040; serve/analytics). $1 = partner id. Opted-out customers never appear
-- (marketplace_deployment_summary), so their tenant and name are not columns either.
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
    -- (distinct values joined with ','); CustomerName is a personal field: shown only when the
    -- tenant is a customer in report_consent for this partner (500_report_consent.sql), else '***'.
    r.q_customer_tenant_id         AS "CustomerTenantId",
    CASE WHEN r.q_customer_name IS NULL THEN NULL
         WHEN EXISTS (SELECT 1 FROM report_consent rc
                      WHERE rc.partner_id = $1 AND rc.customer_id = r.q_customer_tenant_id) THEN r.q_customer_name
         ELSE '***' END            AS "CustomerName",
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
FROM marketplace_deployment_summary
LEFT JOIN (
    SELECT deployment_correlation_id AS q_id,
           min(customer_tenant_id) AS q_customer_tenant_id,
           min(customer_name) AS q_customer_name,
           string_agg(DISTINCT nullif(trim(resource_provider), ''), ',' ORDER BY nullif(trim(resource_provider), '')) AS q_resource_provider,
           string_agg(DISTINCT nullif(trim(resource_uri), ''), ',' ORDER BY nullif(trim(resource_uri), '')) AS q_resource_uri,
           string_agg(DISTINCT nullif(trim(resource_group), ''), ',' ORDER BY nullif(trim(resource_group), '')) AS q_resource_group,
           string_agg(DISTINCT nullif(trim(resource_type), ''), ',' ORDER BY nullif(trim(resource_type), '')) AS q_resource_type,
           string_agg(DISTINCT nullif(trim(resource_name), ''), ',' ORDER BY nullif(trim(resource_name), '')) AS q_resource_name,
           string_agg(DISTINCT nullif(trim(error_code), ''), ',' ORDER BY nullif(trim(error_code), '')) AS q_error_code,
           string_agg(DISTINCT nullif(trim(error_name), ''), ',' ORDER BY nullif(trim(error_name), '')) AS q_error_name,
           string_agg(DISTINCT nullif(trim(error_message), ''), ',' ORDER BY nullif(trim(error_message), '')) AS q_error_message,
           string_agg(DISTINCT nullif(trim(deep_error_code), ''), ',' ORDER BY nullif(trim(deep_error_code), '')) AS q_deep_error_code,
           string_agg(DISTINCT nullif(trim(deep_error_message), ''), ',' ORDER BY nullif(trim(deep_error_message), '')) AS q_deep_error_message
    FROM (SELECT * FROM qos QUALIFY _file_id = max(_file_id) OVER (PARTITION BY deployment_correlation_id))
    GROUP BY deployment_correlation_id
) r ON r.q_id = deployment_correlation_id
WHERE partner_id = $1
