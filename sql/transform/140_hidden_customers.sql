-- hidden_customers: customers who opted out of tracking anywhere, so that no partner report
-- ever shows them. A customer is hidden when they opted out on any subscription (marketplace or
-- Azure), or their tenant opted out (CustomerId is the tenant id; or a deployment of the tenant
-- to one of the customer's Azure subscriptions). Billed sales and tiers still count their sales,
-- in totals only. Computed once per run so that each report query does not recompute it.
CREATE OR REPLACE TABLE hidden_customers AS
WITH opted_out_subscriptions AS (
    SELECT DISTINCT lower(trim(id)) AS id FROM opt_out_ids WHERE kind = 'subscription'
),
opted_out_tenants AS (
    SELECT DISTINCT lower(trim(id)) AS id FROM opt_out_ids WHERE kind = 'tenant'
),
opted_out_tenant_subscriptions AS (
    SELECT DISTINCT lower(trim(d.subscription_id)) AS id
    FROM deployments d
    JOIN opt_out_ids t ON t.kind = 'tenant' AND lower(trim(t.id)) = lower(trim(d.customer_tenant_id))
    WHERE d.subscription_id IS NOT NULL
)
SELECT customer_id FROM resolved_usage WHERE opted_out AND customer_id IS NOT NULL
UNION
SELECT u.customer_id
FROM resolved_usage u
JOIN opted_out_tenant_subscriptions s ON s.id = lower(trim(u.azure_subscription_id))
WHERE u.customer_id IS NOT NULL
UNION
SELECT x.customer_id
FROM (SELECT customer_id, marketplace_subscription_id FROM current_orders
      UNION ALL
      SELECT customer_id, marketplace_subscription_id FROM customers) x
LEFT JOIN opted_out_subscriptions s ON s.id = lower(trim(x.marketplace_subscription_id))
LEFT JOIN opted_out_tenants t ON t.id = lower(trim(x.customer_id))
WHERE x.customer_id IS NOT NULL AND (s.id IS NOT NULL OR t.id IS NOT NULL)
ORDER BY 1;
