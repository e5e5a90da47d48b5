-- resolved_usage: every usage row with the selling partner and its PGA resolved
-- (as for orders) and whether the customer opted out of tracking: by Azure
-- subscription, by marketplace subscription, or by tenant (CustomerId is the
-- customer's tenant id). Opted-out usage is never attributed nor shown to a partner.
CREATE OR REPLACE TABLE resolved_usage AS
WITH unique_offer_names AS (
    SELECT offer_name, any_value(offer_id) AS offer_id, any_value(partner_id) AS partner_id
    FROM offers
    GROUP BY offer_name
    HAVING count(*) = 1
),
opted_out_subscriptions AS (
    SELECT DISTINCT lower(id) AS id FROM opt_outs WHERE kind = 'subscription'
),
opted_out_tenants AS (
    SELECT DISTINCT lower(id) AS id FROM opt_outs WHERE kind = 'tenant'
)
SELECT
    u.* EXCLUDE (publisher_id, offer_id, _file_id),
    coalesce(u.offer_id, n.offer_id) AS offer_id,
    coalesce(u.publisher_id, o.partner_id, n.partner_id) AS partner_id,
    p.pga_id,
    (s1.id IS NOT NULL OR s2.id IS NOT NULL OR t.id IS NOT NULL) AS opted_out
FROM usage u
LEFT JOIN offers o ON o.offer_id = u.offer_id
LEFT JOIN unique_offer_names n ON u.offer_id IS NULL AND n.offer_name = u.offer_name
LEFT JOIN partners p ON p.partner_id = coalesce(u.publisher_id, o.partner_id, n.partner_id)
LEFT JOIN opted_out_subscriptions s1 ON s1.id = lower(u.azure_subscription_id)
LEFT JOIN opted_out_subscriptions s2 ON s2.id = lower(u.marketplace_subscription_id)
LEFT JOIN opted_out_tenants t ON t.id = lower(u.customer_id);
