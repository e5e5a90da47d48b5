-- Usage attribution. Each usage row (resolved_usage, not opted out, and not in a subscription whose
-- deployments come from an opted-out tenant: usage_not_attributable, sql/schema/0031_attributable_usage.sql)
-- is tagged with the tracking ID(s) of the most recent
-- attributed deployment on or before the usage date (the deployment's timestamp before the end of
-- the usage day, UTC) in the usage's subscription — azure_subscription_id, else
-- marketplace_subscription_id — and:
-- * when the usage row names a resource group: a deployment in that resource group; failing that, a
--   subscription-level deployment (one without a resource group). A deployment in another resource
--   group never tags it.
-- * when it does not: any deployment of the subscription.
-- Deployments at the same instant all count; a deployment with several attributed IDs tags the
-- usage with each of them (multiple = true). Failed or canceled deployments never tag usage.

-- attr_usage and attr_usage_monthly are partitioned by usage month. An incremental run
-- (transform/incremental.go) replaces the months in transform_scope 'attr_usage': the changed usage
-- months, the months from the first changed tagging deployment on (110_attribute_deployments.sql),
-- and the months of usage in subscriptions that joined or left tenant_opted_subscriptions().
{{if .Incremental -}}
INSERT INTO transform_scope
SELECT 'attr_usage', month FROM transform_scope WHERE scope = 'usage'
UNION
SELECT DISTINCT 'attr_usage', CAST(date_trunc('month', u.usage_date) AS DATE)
FROM resolved_usage u
JOIN ((SELECT sub_key FROM tenant_opted_subscriptions() EXCEPT SELECT sub_key FROM attr_opted_subscriptions)
      UNION
      (SELECT sub_key FROM attr_opted_subscriptions EXCEPT SELECT sub_key FROM tenant_opted_subscriptions())) c
  ON c.sub_key = lower(trim(coalesce(u.azure_subscription_id, u.marketplace_subscription_id)));
DELETE FROM attr_usage WHERE month IN (SELECT month FROM transform_scope WHERE scope = 'attr_usage');
{{- else -}}
DELETE FROM attr_usage;
{{- end}}
-- What usage is matched to (the attributed deployments' instants, below) is far smaller than the
-- usage (83 thousand rows against 3 million at scale 30); it is kept in temp tables so that DuckDB knows their size and builds its hash tables on
-- them, not on the usage (as CTEs it built one of every usage row: most of the step's time).
CREATE OR REPLACE TEMP TABLE attr_tagging AS   -- attributed deployment rows that may tag usage
SELECT lower(trim(subscription_id)) AS sub_key, lower(trim(resource_group)) AS rg_key,
       "timestamp" AS ts, deployment_id, tracking_id, partner_id, pga_id, offer_id, channel, plan_id
FROM attr_deployments
WHERE tags_usage AND subscription_id IS NOT NULL;

-- What a usage row can be matched to: (level, subscription, resource group, instant) with the
-- distinct tracking IDs there. Levels: resource_group; no_rg (subscription-level deployments, for
-- usage with a resource group); any (every deployment, for usage without one).
-- Registry attributes are the same for one ID on one instant (one version per day), so min() just
-- picks that value.
CREATE OR REPLACE TEMP TABLE attr_targets AS
SELECT *, count(*) OVER (PARTITION BY level, sub_key, rg_key, ts) AS ids_at_target
FROM (
    SELECT level, sub_key, rg_key, ts, tracking_id,
           min(deployment_id) AS deployment_id, min(partner_id) AS partner_id, min(pga_id) AS pga_id,
           min(offer_id) AS offer_id, min(channel) AS channel, min(plan_id) AS plan_id
    FROM (
        SELECT 'resource_group' AS level, * FROM attr_tagging WHERE rg_key IS NOT NULL
        UNION ALL
        SELECT 'no_rg' AS level, * REPLACE (CAST(NULL AS VARCHAR) AS rg_key) FROM attr_tagging WHERE rg_key IS NULL
        UNION ALL
        SELECT 'any' AS level, * REPLACE (CAST(NULL AS VARCHAR) AS rg_key) FROM attr_tagging
    )
    GROUP BY level, sub_key, rg_key, ts, tracking_id
);

-- Each instant is in force until the next one of its scope: [ts, next_ts). A usage row takes the
-- instant in force at the end of its day: the most recent deployment on or before that day. (An
-- equality hash join plus this range is the same as an ASOF join, and does not sort the usage.)
CREATE OR REPLACE TEMP TABLE attr_by_rg AS
SELECT sub_key, rg_key, ts, lead(ts, 1, TIMESTAMP 'infinity') OVER (PARTITION BY sub_key, rg_key ORDER BY ts) AS next_ts
FROM (SELECT DISTINCT sub_key, rg_key, ts FROM attr_targets WHERE level = 'resource_group');

CREATE OR REPLACE TEMP TABLE attr_by_subscription AS
SELECT sub_key, scope, ts, lead(ts, 1, TIMESTAMP 'infinity') OVER (PARTITION BY sub_key, scope ORDER BY ts) AS next_ts
FROM (SELECT DISTINCT sub_key, level AS scope, ts FROM attr_targets WHERE level <> 'resource_group');

INSERT INTO attr_usage BY NAME
WITH u AS (
    SELECT ru.*,
           lower(trim(coalesce(ru.azure_subscription_id, ru.marketplace_subscription_id))) AS sub_key,
           lower(trim(ru.resource_group)) AS rg_key,
           CAST(ru.usage_date + INTERVAL 1 DAY AS TIMESTAMP) AS usage_day_end,
           CASE WHEN ru.resource_group IS NULL THEN 'any' ELSE 'no_rg' END AS fallback_scope
    FROM resolved_usage ru
    WHERE NOT usage_not_attributable(ru.opted_out, ru.azure_subscription_id, ru.marketplace_subscription_id)
{{- if .Incremental}}
      AND CAST(date_trunc('month', ru.usage_date) AS DATE) IN (SELECT month FROM transform_scope WHERE scope = 'attr_usage')
{{- end}}
),
picked AS (
    SELECT u.*,
           CASE WHEN a.ts IS NOT NULL THEN 'resource_group'
                WHEN b.ts IS NOT NULL THEN u.fallback_scope END AS target_level,
           CASE WHEN a.ts IS NOT NULL THEN u.rg_key END AS target_rg,
           coalesce(a.ts, b.ts) AS match_ts
    FROM u
    LEFT JOIN attr_by_rg a
           ON a.sub_key = u.sub_key AND a.rg_key = u.rg_key
          AND a.ts < u.usage_day_end AND a.next_ts >= u.usage_day_end
    LEFT JOIN attr_by_subscription b
           ON b.sub_key = u.sub_key AND b.scope = u.fallback_scope
          AND b.ts < u.usage_day_end AND b.next_ts >= u.usage_day_end
)
SELECT
    p.reference_id, p.usage_date, CAST(date_trunc('month', p.usage_date) AS DATE) AS month,
    p.marketplace_subscription_id, p.azure_subscription_id, p.resource_group,
    p.offer_id AS usage_offer_id, p.partner_id AS usage_partner_id, p.meter_id,
    p.normalized_usage, p.raw_usage, p.metered_usage, p.estimated_extended_charge_pc, p.payout_currency_pc,
    CASE p.target_level WHEN 'resource_group' THEN 'resource_group' ELSE 'subscription' END AS match_level,
    t.deployment_id, t.ts AS deployment_timestamp, t.tracking_id,
    t.ids_at_target > 1 AS multiple,
    t.partner_id, t.pga_id, t.offer_id, t.channel, t.plan_id
FROM picked p
JOIN attr_targets t
  ON t.level = p.target_level AND t.sub_key = p.sub_key AND t.ts = p.match_ts
 AND t.rg_key IS NOT DISTINCT FROM p.target_rg;
-- No ORDER BY: this table grows with the usage and sorting it would double the step's time; its
-- contents are the same on every run, read it with an ORDER BY.
DROP TABLE attr_tagging;
DROP TABLE attr_targets;
DROP TABLE attr_by_rg;
DROP TABLE attr_by_subscription;

{{if .Incremental -}}
DELETE FROM attr_usage_monthly WHERE month IN (SELECT month FROM transform_scope WHERE scope = 'attr_usage');
{{- else -}}
DELETE FROM attr_usage_monthly;
{{- end}}
INSERT INTO attr_usage_monthly BY NAME
SELECT month, partner_id, pga_id, tracking_id, offer_id, channel, plan_id, payout_currency_pc,
       count(*) AS usage_rows,
       count(*) FILTER (multiple) AS shared_usage_rows,
       count(DISTINCT marketplace_subscription_id) AS subscriptions,
       sum(normalized_usage) AS normalized_usage,
       sum(raw_usage) AS raw_usage,
       sum(metered_usage) AS metered_usage,
       sum(estimated_extended_charge_pc) AS estimated_extended_charge_pc
FROM attr_usage
{{- if .Incremental}}
WHERE month IN (SELECT month FROM transform_scope WHERE scope = 'attr_usage')
{{- end}}
GROUP BY ALL
ORDER BY month, partner_id, tracking_id, offer_id NULLS LAST, channel NULLS LAST, plan_id NULLS LAST,
         payout_currency_pc NULLS LAST;

-- What the next incremental run compares tenant_opted_subscriptions() with (above).
DELETE FROM attr_opted_subscriptions;
INSERT INTO attr_opted_subscriptions SELECT sub_key FROM tenant_opted_subscriptions() WHERE sub_key IS NOT NULL;
