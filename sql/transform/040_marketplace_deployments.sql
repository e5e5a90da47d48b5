-- marketplace_deployments: the Quality of service report as deployments, one per correlation id
-- (DeploymentCorrelationId), from its rows (one per resource; the latest delivery of a
-- deployment wins). The partner is the row's publisher (PublisherId, the landing path or
-- --partner), else the offer's. A deployment whose subscription or tenant opted out is kept but
-- marked, and never shown (view marketplace_deployment_summary).
-- These are deployments of the partner's own marketplace offer: they are reported apart from the
-- deployments attributed by tracking ID (110_attribute_deployments.sql).
DELETE FROM marketplace_deployments;
-- No ORDER BY: the table grows with the deployments; read it with an ORDER BY.
INSERT INTO marketplace_deployments BY NAME
WITH latest AS (   -- the rows of each deployment's latest delivery
    SELECT *
    FROM qos
    QUALIFY _file_id = max(_file_id) OVER (PARTITION BY deployment_correlation_id)
),
deployments AS (
    SELECT deployment_correlation_id,
           min(offer_id) AS offer_id,
           min(publisher_id) AS publisher_id,
           min(sku) AS sku,
           -- a deployment's status is the same on all its rows; a failed row wins if they differ
           CASE WHEN bool_or(lower(deployment_status) = 'failed') THEN min(deployment_status) FILTER (lower(deployment_status) = 'failed')
                ELSE min(deployment_status) END AS deployment_status,
           min(subscription_id) AS subscription_id,
           min(customer_tenant_id) AS customer_tenant_id,
           min(template_type) AS template_type,
           min(start_time) AS start_time,
           max(end_time) AS end_time,
           max(deployment_duration_ms) AS duration_ms,
           min(deployment_region) AS region,
           count(DISTINCT coalesce(resource_uri, resource_name)) AS resources,
           -- ErrorCode, with the DeepErrorCode behind it: DeploymentFailed: QuotaExceeded
           string_agg(DISTINCT nullif(trim(error_code), '') || coalesce(': ' || nullif(trim(deep_error_code), ''), ''), ','
                      ORDER BY nullif(trim(error_code), '') || coalesce(': ' || nullif(trim(deep_error_code), ''), '')) AS error_codes
    FROM latest
    GROUP BY deployment_correlation_id
),
opted AS (   -- two equality joins: one join on an OR of them compares every pair of rows
    SELECT d.deployment_correlation_id
    FROM deployments d
    JOIN (SELECT DISTINCT lower(id) AS id FROM opt_out_ids WHERE kind = 'subscription') o
      ON o.id = lower(trim(d.subscription_id))
    UNION
    SELECT d.deployment_correlation_id
    FROM deployments d
    JOIN (SELECT DISTINCT lower(id) AS id FROM opt_out_ids WHERE kind = 'tenant') o
      ON o.id = lower(trim(d.customer_tenant_id))
)
SELECT d.deployment_correlation_id, d.offer_id,
       coalesce(d.publisher_id, o.partner_id) AS partner_id, p.pga_id,
       d.sku, d.deployment_status, coalesce(lower(d.deployment_status) = 'succeeded', false) AS succeeded,
       d.subscription_id, d.customer_tenant_id, d.template_type, d.start_time, d.end_time,
       d.duration_ms, d.region, d.resources, d.error_codes,
       x.deployment_correlation_id IS NOT NULL AS opted_out
FROM deployments d
LEFT JOIN (SELECT offer_id, min(partner_id) AS partner_id FROM offers GROUP BY offer_id) o ON o.offer_id = d.offer_id
LEFT JOIN (SELECT partner_id, min(pga_id) AS pga_id FROM partners GROUP BY partner_id) p
       ON p.partner_id = coalesce(d.publisher_id, o.partner_id)
LEFT JOIN opted x ON x.deployment_correlation_id = d.deployment_correlation_id;
