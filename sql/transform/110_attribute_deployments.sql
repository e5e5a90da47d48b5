-- Deployment attribution. Inputs: deployments, tracking_ids, partners, opt_out_ids, and the tokens and
-- registry keys parsed by the Go step 105_parse_tracking_ids (attr_tokens, attr_registry_keys).
--
-- Rules (README, "Attribution"):
-- * A registration applies from the start of the UTC day of registered_at. An edit (a later row for
--   the same ID) applies from its own day on; the latest registration of one day wins.
-- * A deployment is matched on its UTC day: on or after the ID's first registration day it is
--   attributed to the version in force that day; before it, it is before_registration.
-- * GUID IDs match in canonical form (pid-<lower-case guid>); every other ID only byte-for-byte.
-- * Several IDs on one deployment: one row each; every registered one is attributed and flagged
--   multiple when there are two or more.
-- * Opted-out customers (subscription or tenant) are never attributed: status opted_out.
-- * pid-<GUID>-<suffix> (Azure Landing Zones) and pid-<GUID>_<version>_… (CAF Terraform): the whole
--   token matches exactly as registered; failing that, its GUID (attr_tokens.guid_key) when that is
--   registered, and the reason says so.
-- * Platform IDs (attr_platform_ids, from the configuration: the Terraform providers' default
--   partner ID) are status platform: never a partner's, never unregistered, never "multiple".
-- * A token the Go SDK cut to 24 characters is status truncated, with the explanation.

-- The registry as versions.
DELETE FROM attr_registry;
INSERT INTO attr_registry BY NAME
WITH regs AS (
    SELECT k.match_key AS tracking_id, t.tracking_id AS registered_as, k.kind, t.partner_id,
           t.offer_id, t.channel, t.plan_id, t.registered_at,
           CAST(t.registered_at AS DATE) AS valid_from, t._file_id
    FROM tracking_ids t
    JOIN attr_registry_keys k ON k.registered = t.tracking_id
),
per_day AS (   -- the latest registration of a day wins
    SELECT *
    FROM regs
    QUALIFY row_number() OVER (
        PARTITION BY tracking_id, valid_from
        ORDER BY registered_at DESC, _file_id DESC, partner_id, offer_id NULLS LAST,
                 channel NULLS LAST, plan_id NULLS LAST, registered_as) = 1
)
SELECT
    r.tracking_id, r.registered_as, r.kind,
    row_number() OVER (PARTITION BY r.tracking_id ORDER BY r.valid_from) AS version,
    r.partner_id, p.pga_id, r.offer_id, r.channel, r.plan_id, r.registered_at, r.valid_from,
    lead(r.valid_from) OVER (PARTITION BY r.tracking_id ORDER BY r.valid_from) AS valid_until
FROM per_day r
LEFT JOIN (SELECT partner_id, min(pga_id) AS pga_id FROM partners GROUP BY partner_id) p
       ON p.partner_id = r.partner_id
ORDER BY r.tracking_id, r.valid_from;

{{if .Incremental -}}
-- Incremental run: keep the deployments that tagged usage (what 120_attribute_usage.sql reads of
-- this table) to find the months of usage whose attribution may change (below).
CREATE OR REPLACE TEMP TABLE attr_tagging_before AS
SELECT lower(trim(subscription_id)) AS sub_key, lower(trim(resource_group)) AS rg_key,
       "timestamp" AS ts, deployment_id, tracking_id, partner_id, pga_id, offer_id, channel, plan_id
FROM attr_deployments
WHERE tags_usage AND subscription_id IS NOT NULL;
{{end -}}
DELETE FROM attr_deployments;
INSERT INTO attr_deployments BY NAME
WITH dep AS (   -- one row per deployment id (the latest delivery wins)
    SELECT deployment_id, "timestamp", CAST("timestamp" AS DATE) AS deployment_date, subscription_id,
           customer_tenant_id, resource_group, region, status AS deployment_status,
           deployment_name, user_agent, partner_id AS terraform_partner_id
    FROM deployments
    QUALIFY row_number() OVER (
        PARTITION BY deployment_id
        ORDER BY _file_id DESC, "timestamp" DESC, deployment_name NULLS LAST, user_agent NULLS LAST,
                 partner_id NULLS LAST, subscription_id NULLS LAST, resource_group NULLS LAST,
                 customer_tenant_id NULLS LAST, status NULLS LAST, region NULLS LAST) = 1
),
opted AS (   -- two equality joins: one join on an OR of them compares every pair of rows
    SELECT deployment_id,
           CASE WHEN bool_or(kind = 'subscription') THEN 'subscription' ELSE 'tenant' END AS by_kind
    FROM (
        SELECT d.deployment_id, 'subscription' AS kind
        FROM dep d
        JOIN (SELECT DISTINCT lower(trim(id)) AS id FROM opt_out_ids WHERE kind = 'subscription') o
          ON o.id = lower(trim(d.subscription_id))
        UNION ALL
        SELECT d.deployment_id, 'tenant'
        FROM dep d
        JOIN (SELECT DISTINCT lower(trim(id)) AS id FROM opt_out_ids WHERE kind = 'tenant') o
          ON o.id = lower(trim(d.customer_tenant_id))
    )
    GROUP BY deployment_id
),
found AS (
    SELECT d.deployment_id, 1 AS source_order, t.*
    FROM dep d JOIN attr_tokens t ON t.source = 'deployment_name' AND t.input = d.deployment_name
    UNION ALL
    SELECT d.deployment_id, 2, t.*
    FROM dep d JOIN attr_tokens t ON t.source = 'user_agent' AND t.input = d.user_agent
    UNION ALL
    SELECT d.deployment_id, 3, t.*
    FROM dep d JOIN attr_tokens t ON t.source = 'terraform_partner_id' AND t.input = d.terraform_partner_id
),
registered_keys AS (
    SELECT DISTINCT tracking_id FROM attr_registry
),
keyed AS (   -- the key each token matches: its own, else its GUID (see the rules above)
    SELECT f.* REPLACE (
               CASE WHEN rk.tracking_id IS NULL AND (rg.tracking_id IS NOT NULL OR pg.tracking_id IS NOT NULL)
                    THEN f.guid_key ELSE f.match_key END AS match_key),
           rk.tracking_id IS NULL AND (rg.tracking_id IS NOT NULL OR pg.tracking_id IS NOT NULL) AS by_guid
    FROM found f
    LEFT JOIN registered_keys rk ON rk.tracking_id = f.match_key
    LEFT JOIN registered_keys rg ON rg.tracking_id = f.guid_key
    LEFT JOIN (SELECT DISTINCT tracking_id FROM attr_platform_ids) pg ON pg.tracking_id = f.guid_key
),
distinct_ids AS (   -- one row per deployment and match key: the first place it was found
    SELECT *
    FROM keyed
    QUALIFY row_number() OVER (
        PARTITION BY deployment_id, match_key ORDER BY source_order, token_index) = 1
),
numbered AS (
    SELECT *,
           row_number() OVER (PARTITION BY deployment_id ORDER BY source_order, token_index, match_key) AS token_seq,
           count(*) OVER (PARTITION BY deployment_id) AS tokens_found
    FROM distinct_ids
),
first_reg AS (   -- the first registration of every ID
    SELECT tracking_id, valid_from AS first_valid_from, partner_id, pga_id, offer_id, channel, plan_id
    FROM attr_registry
    WHERE version = 1
),
dep_tokens AS (
    SELECT d.*, n.source, n.raw_token, n.kind, n.match_key, n.reason AS token_reason, n.suffix,
           coalesce(n.by_guid, false) AS by_guid,
           coalesce(n.token_seq, 1) AS token_seq, coalesce(n.tokens_found, 0) AS tokens_found,
           o.by_kind
    FROM dep d
    LEFT JOIN numbered n ON n.deployment_id = d.deployment_id
    LEFT JOIN opted o ON o.deployment_id = d.deployment_id
),
matched AS (
    SELECT r.*, v.tracking_id AS v_tracking_id, v.partner_id AS v_partner_id, v.pga_id AS v_pga_id,
           v.offer_id AS v_offer_id, v.channel AS v_channel, v.plan_id AS v_plan_id,
           v.registered_at AS v_registered_at, v.version AS v_version,
           f.first_valid_from, f.partner_id AS f_partner_id, f.pga_id AS f_pga_id,
           f.offer_id AS f_offer_id, f.channel AS f_channel, f.plan_id AS f_plan_id,
           pl.tracking_id IS NOT NULL AS is_platform, pl.description AS platform_description
    FROM dep_tokens r
    ASOF LEFT JOIN attr_registry v
           ON v.tracking_id = r.match_key AND r.deployment_date >= v.valid_from
    LEFT JOIN first_reg f ON f.tracking_id = r.match_key
    LEFT JOIN (SELECT tracking_id, min(description) AS description FROM attr_platform_ids GROUP BY 1) pl
           ON pl.tracking_id = r.match_key
),
classified AS (
    SELECT *,
           CASE
               WHEN by_kind IS NOT NULL THEN 'opted_out'
               WHEN match_key IS NULL THEN 'none'
               WHEN is_platform THEN 'platform'
               WHEN v_tracking_id IS NOT NULL THEN 'attributed'
               WHEN first_valid_from IS NOT NULL THEN 'before_registration'
               WHEN kind = 'truncated' THEN 'truncated'
               WHEN kind = 'malformed' THEN 'malformed'
               ELSE 'unregistered'
           END AS status
    FROM matched
)
SELECT
    deployment_id, "timestamp", subscription_id, customer_tenant_id, resource_group, region,
    deployment_status,
    token_seq, tokens_found, source, raw_token, kind,
    CASE WHEN kind IN ('malformed', 'truncated') AND status NOT IN ('attributed', 'before_registration') THEN NULL
         ELSE match_key END AS tracking_id,
    status,
    CASE status
        WHEN 'opted_out' THEN 'customer opted out of tracking (' || by_kind || ')'
        WHEN 'none' THEN 'no tracking ID in the deployment name, user agent or partner_id'
        WHEN 'attributed' THEN
            CASE WHEN count(*) FILTER (status = 'attributed') OVER (PARTITION BY deployment_id) > 1
                 THEN 'one of ' || count(*) FILTER (status = 'attributed') OVER (PARTITION BY deployment_id)
                      || ' registered IDs on this deployment; '
                 ELSE '' END
            || 'registration version ' || v_version || ' (from ' || strftime(v_registered_at, '%Y-%m-%d') || ')'
            || CASE WHEN kind IN ('malformed', 'truncated') THEN '; not a GUID, matched exactly as registered' ELSE '' END
            || CASE WHEN by_guid THEN '; ' || raw_token || ' is not registered but its GUID is: matched by the GUID '
                    || '(Microsoft''s templates append ' || suffix || ' to it)' ELSE '' END
        WHEN 'before_registration' THEN
            'deployed ' || strftime(deployment_date, '%Y-%m-%d') || ', registered from '
            || strftime(first_valid_from, '%Y-%m-%d')
        WHEN 'platform' THEN 'a Microsoft platform ID, not a partner''s: '
            || coalesce(platform_description, 'configured in attribution.platform_ids')
            || CASE WHEN by_guid THEN ' (found as ' || raw_token || ')' ELSE '' END
        WHEN 'malformed' THEN token_reason
        WHEN 'truncated' THEN token_reason
        ELSE CASE WHEN kind = 'partner_center' AND suffix IS NOT NULL
                  THEN 'not registered, nor is its GUID'
                  WHEN kind = 'partner_center'
                  THEN 'not registered (non-GUID IDs match only exactly as registered)'
                  ELSE 'not registered' END
    END AS reason,
    status = 'attributed'
        AND count(*) FILTER (status = 'attributed') OVER (PARTITION BY deployment_id) > 1 AS multiple,
    by_kind IS NOT NULL AS opted_out,
    CASE status WHEN 'attributed' THEN v_partner_id WHEN 'before_registration' THEN f_partner_id END AS partner_id,
    CASE status WHEN 'attributed' THEN v_pga_id WHEN 'before_registration' THEN f_pga_id END AS pga_id,
    CASE status WHEN 'attributed' THEN v_offer_id WHEN 'before_registration' THEN f_offer_id END AS offer_id,
    CASE status WHEN 'attributed' THEN v_channel WHEN 'before_registration' THEN f_channel END AS channel,
    CASE status WHEN 'attributed' THEN v_plan_id WHEN 'before_registration' THEN f_plan_id END AS plan_id,
    CASE status WHEN 'attributed' THEN v_registered_at END AS registered_at,
    status = 'attributed' AND coalesce(lower(deployment_status), '') NOT IN ('failed', 'canceled', 'cancelled') AS tags_usage
FROM classified
ORDER BY deployment_id, token_seq;
{{- if .Incremental}}

-- A usage row takes the latest tagging deployment at or before the end of its day, so a tagging
-- deployment added, removed or changed at instant ts (a new deployment, a registration that
-- re-attributes old ones) can change the attribution of usage from ts's day on: every usage month
-- from ts's month (transform_scope 'attr_usage', read by 120_attribute_usage.sql).
INSERT INTO transform_scope
WITH after AS (
SELECT lower(trim(subscription_id)) AS sub_key, lower(trim(resource_group)) AS rg_key,
       "timestamp" AS ts, deployment_id, tracking_id, partner_id, pga_id, offer_id, channel, plan_id
FROM attr_deployments
WHERE tags_usage AND subscription_id IS NOT NULL
),
changed AS (
    (SELECT * FROM attr_tagging_before EXCEPT ALL SELECT * FROM after)
    UNION ALL
    (SELECT * FROM after EXCEPT ALL SELECT * FROM attr_tagging_before)
)
SELECT DISTINCT 'attr_usage', CAST(date_trunc('month', usage_date) AS DATE)
FROM resolved_usage
WHERE usage_date >= (SELECT CAST(min(ts) AS DATE) FROM changed);
DROP TABLE attr_tagging_before;
{{- end}}
