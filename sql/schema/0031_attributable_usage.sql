-- usage_not_attributable(opted_out, azure_subscription_id, marketplace_subscription_id): the
-- opt-out rule of usage attribution, defined once for the transform (step 120_attribute_usage)
-- and the attribution summary (`insights attribution summary`): a resolved usage row (step
-- 020_resolved_usage) is never attributed when its customer opted out of tracking (opted_out),
-- or when it is in a subscription whose deployments come from an opted-out tenant.
CREATE MACRO tenant_opted_subscriptions() AS TABLE
SELECT DISTINCT lower(trim(d.subscription_id)) AS sub_key
FROM deployments d
JOIN opt_out_ids o ON o.kind = 'tenant' AND lower(trim(o.id)) = lower(trim(d.customer_tenant_id))
WHERE d.subscription_id IS NOT NULL;

CREATE MACRO usage_not_attributable(opted_out, azure_subscription_id, marketplace_subscription_id) AS
    opted_out
    OR lower(trim(coalesce(azure_subscription_id, marketplace_subscription_id)))
       IN (SELECT sub_key FROM tenant_opted_subscriptions());
