-- resolved_usage: every usage row with the selling partner and its PGA resolved
-- (as for orders) and whether the customer opted out of tracking: by Azure
-- subscription, by marketplace subscription, or by tenant (CustomerId is the
-- customer's tenant id). Opted-out usage is never attributed nor shown to a partner. A customer
-- id written as <GUID>_<date> names the tenant <GUID>.
-- Usage arrives as lines with a ReferenceId (full export) or, from the system queries, without
-- one: such a row gets the reference id 'k:' || md5 of its natural key (docs/datasets.md), so
-- every row has one. Where both shapes exist for one subscription and day, the shape of the
-- latest delivery counts, so the usage is never counted twice.
-- Partitioned by usage month: a month's rows depend only on that month's usage (and on offers,
-- partners and opt-outs, whose change makes the run a full one). An incremental run
-- (transform/incremental.go) replaces only the months in transform_scope 'usage'.
-- The (subscription, day)s with a keyless row, and which shape counts there (the latest delivery's).
-- A temp table, not a CTE: DuckDB then knows how few they are (none in a full export) and builds
-- its hash tables on them; as a CTE it built one of every usage row, twice as long as the rest.
CREATE OR REPLACE TEMP TABLE usage_keyless_days AS
SELECT u.marketplace_subscription_id, u.usage_date, arg_max(u.reference_id IS NULL, u._file_id) AS keyless
FROM usage u
SEMI JOIN (SELECT DISTINCT marketplace_subscription_id, usage_date FROM usage WHERE reference_id IS NULL) k
  ON k.marketplace_subscription_id = u.marketplace_subscription_id AND k.usage_date = u.usage_date
{{- if .Incremental}}
WHERE CAST(date_trunc('month', u.usage_date) AS DATE) IN (SELECT month FROM transform_scope WHERE scope = 'usage')
{{- end}}
GROUP BY ALL;

{{if .Incremental -}}
DELETE FROM resolved_usage
WHERE CAST(date_trunc('month', usage_date) AS DATE) IN (SELECT month FROM transform_scope WHERE scope = 'usage');
INSERT INTO resolved_usage BY NAME
{{- else -}}
CREATE OR REPLACE TABLE resolved_usage AS
{{- end}}
-- Only a (subscription, day) with a keyless row can hold both shapes: the latest shape is decided
-- there alone (granularity), and every other (subscription, day) keeps its rows, which all have a
-- ReferenceId: those are read with an anti join to the keyless days, the others joined to them.
-- (Deciding it for every day grouped and joined every usage row: a third of the step.)
-- A row without a subscription or a date is no line.
WITH lines AS (
    SELECT u.*
    FROM usage u
    ANTI JOIN usage_keyless_days k
      ON k.marketplace_subscription_id = u.marketplace_subscription_id AND k.usage_date = u.usage_date
    WHERE u.reference_id IS NOT NULL AND u.marketplace_subscription_id IS NOT NULL AND u.usage_date IS NOT NULL
{{- if .Incremental}}
      AND CAST(date_trunc('month', u.usage_date) AS DATE) IN (SELECT month FROM transform_scope WHERE scope = 'usage')
{{- end}}
    UNION ALL
    SELECT u.* REPLACE (coalesce(u.reference_id, 'k:' || md5(concat_ws('|',
               u.marketplace_subscription_id, CAST(u.usage_date AS VARCHAR), coalesce(u.customer_id, ''),
               coalesce(u.offer_id, ''), coalesce(u.offer_name, ''), coalesce(u.sku, ''), coalesce(u.plan_id, ''),
               coalesce(u.vm_size, ''), coalesce(u.meter_dimension, ''), coalesce(u.usage_unit, ''),
               coalesce(u.usage_reference, '')))) AS reference_id)
    FROM usage u
    JOIN usage_keyless_days g
      ON g.marketplace_subscription_id = u.marketplace_subscription_id AND g.usage_date = u.usage_date
    WHERE g.keyless = (u.reference_id IS NULL)
),
unique_offer_names AS (
    SELECT offer_name, any_value(offer_id) AS offer_id, any_value(partner_id) AS partner_id
    FROM offers
    GROUP BY offer_name
    HAVING count(*) = 1
),
opted_out_subscriptions AS (
    SELECT DISTINCT lower(id) AS id FROM opt_out_ids WHERE kind = 'subscription'
),
opted_out_tenants AS (
    SELECT DISTINCT lower(id) AS id FROM opt_out_ids WHERE kind = 'tenant'
)
SELECT
    u.* EXCLUDE (publisher_id, offer_id, _file_id),
    coalesce(u.offer_id, n.offer_id) AS offer_id,
    coalesce(u.publisher_id, o.partner_id, n.partner_id) AS partner_id,
    p.pga_id,
    (s1.id IS NOT NULL OR s2.id IS NOT NULL OR t.id IS NOT NULL) AS opted_out
FROM lines u
LEFT JOIN offers o ON o.offer_id = u.offer_id
LEFT JOIN unique_offer_names n ON n.offer_name = CASE WHEN u.offer_id IS NULL THEN u.offer_name END
LEFT JOIN partners p ON p.partner_id = coalesce(u.publisher_id, o.partner_id, n.partner_id)
LEFT JOIN opted_out_subscriptions s1 ON s1.id = lower(u.azure_subscription_id)
LEFT JOIN opted_out_subscriptions s2 ON s2.id = lower(u.marketplace_subscription_id)
LEFT JOIN opted_out_tenants t ON t.id = lower(split_part(u.customer_id, '_', 1));

DROP TABLE usage_keyless_days;
