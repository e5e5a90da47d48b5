-- report_deployments_facts: deployments attributed to the partner's tracking IDs and the usage
-- they attribute, per month and slice, each figure defined here once (deployments_monthly,
-- deployments_by_slice, offers and summary select from it). slice_no 0 'All', 1–6 the slices of
-- deployments_by_slice (usage only has 1–4), 9 'Offer ID' (raw offer id; deployments only), and
-- apart from the attributed ones, 11–14 the marketplace deployments of the partner's own offers
-- from the Quality of service report (marketplace_deployment_summary, 040_marketplace_deployments.sql):
-- status, error code, duration, offer; one deployment per correlation id, no usage.
--   deployments, succeeded_deployments, subscriptions   distinct attributed deployments, those that
--                        succeeded, distinct Azure subscriptions
--   attributed_usage_rows, attributed_normalized_usage, attributed_metered_quantity   the usage rows
--                        attributed to the partner (a row attributed to several of the partner's
--                        IDs with the same slice value counts once); NULL where no usage
-- The attributed usage is counted first, into a temporary table: in one statement with the
-- deployment counts, DuckDB ran the two large aggregations at once and spilled, and the step
-- took 61-68 s at scale 100 instead of 28 s (same rows).
-- Only the usage lines that appear more than once for a partner and month (a line attributed to
-- several of its IDs) can repeat a slice value: the DISTINCT runs over those alone (shared);
-- every other line counts once in each slice, so those lines are summed per (partner, month,
-- offer, channel, tracking ID, plan) before the slices multiply them by five. Which lines are
-- shared is found on a hash of the reference id (a number, cheaper to group than the string): a
-- collision only sends more lines down the exact DISTINCT path. (The DISTINCT over every sliced
-- row, then a materialised copy of the sliced rows, were most of the step's time; no line is
-- shared in the generated marketplace.)
CREATE OR REPLACE TEMP TABLE report_deployments_usage AS
WITH offer_names AS (
    SELECT offer_id, min(offer_name) AS offer_name FROM offers GROUP BY offer_id
),
lines AS NOT MATERIALIZED (
    SELECT partner_id, reference_id, month, normalized_usage, metered_usage, offer_id, channel, tracking_id, plan_id
    FROM attributed_usage
    WHERE partner_id IS NOT NULL AND month IS NOT NULL
),
shared_keys AS (
    SELECT partner_id, month, hash(reference_id) AS ref_hash
    FROM lines
    WHERE reference_id IS NOT NULL
    GROUP BY ALL
    HAVING count(*) > 1
),
cells AS (   -- unshared lines summed per cell; a shared line is a cell of its own (ref set)
    SELECT u.partner_id, u.month, u.offer_id, u.channel, u.tracking_id, u.plan_id,
           CASE WHEN s.ref_hash IS NOT NULL THEN u.reference_id END AS ref,
           CASE WHEN s.ref_hash IS NOT NULL THEN u.normalized_usage END AS ref_normalized_usage,
           CASE WHEN s.ref_hash IS NOT NULL THEN u.metered_usage END AS ref_metered_usage,
           s.ref_hash IS NOT NULL AS shared,
           count(*) AS usage_rows, sum(u.normalized_usage) AS normalized_usage, sum(u.metered_usage) AS metered_quantity
    FROM lines u
    LEFT JOIN shared_keys s
           ON u.reference_id IS NOT NULL
          AND s.partner_id = u.partner_id AND s.month = u.month AND s.ref_hash = hash(u.reference_id)
    GROUP BY ALL
),
usage_sliced AS (
    SELECT u.partner_id, u.month, u.shared, u.ref, u.ref_normalized_usage, u.ref_metered_usage,
           u.usage_rows, u.normalized_usage, u.metered_quantity,
           unnest([
               {'slice_no': 0, 'slice': 'All', 'value': 'All'},
               {'slice_no': 1, 'slice': 'Offer', 'value': coalesce(o.offer_name, u.offer_id)},
               {'slice_no': 2, 'slice': 'Channel', 'value': u.channel},
               {'slice_no': 3, 'slice': 'Tracking ID', 'value': u.tracking_id},
               {'slice_no': 4, 'slice': 'Plan', 'value': u.plan_id}
           ], recursive := true)
    FROM cells u
    LEFT JOIN offer_names o ON o.offer_id = u.offer_id
)
SELECT partner_id, slice_no, slice, value, month, sum(usage_rows) AS usage_rows,
       sum(normalized_usage) AS normalized_usage, sum(metered_quantity) AS metered_quantity
FROM (SELECT partner_id, slice_no, slice, coalesce(nullif(trim(value), ''), '(none)') AS value,
             month, usage_rows, normalized_usage, metered_quantity
      FROM usage_sliced
      WHERE NOT shared
      UNION ALL
      SELECT partner_id, slice_no, slice, value, month, 1, ref_normalized_usage, ref_metered_usage
      FROM (SELECT DISTINCT partner_id, slice_no, slice, coalesce(nullif(trim(value), ''), '(none)') AS value,
                            month, ref, ref_normalized_usage, ref_metered_usage
            FROM usage_sliced
            WHERE shared))
GROUP BY ALL;

CREATE OR REPLACE TABLE report_deployments_facts AS
WITH offer_names AS (
    SELECT offer_id, min(offer_name) AS offer_name FROM offers GROUP BY offer_id
),
deps AS (
    SELECT d.partner_id, d.deployment_id, d.subscription_id, d.deployment_status,
           CAST(date_trunc('month', d."timestamp") AS DATE) AS month,
           unnest([
               {'slice_no': 0, 'slice': 'All', 'value': 'All'},
               {'slice_no': 1, 'slice': 'Offer', 'value': coalesce(o.offer_name, d.offer_id)},
               {'slice_no': 2, 'slice': 'Channel', 'value': d.channel},
               {'slice_no': 3, 'slice': 'Tracking ID', 'value': d.tracking_id},
               {'slice_no': 4, 'slice': 'Plan', 'value': d.plan_id},
               {'slice_no': 5, 'slice': 'Region', 'value': d.region},
               {'slice_no': 6, 'slice': 'Deployment status', 'value': d.deployment_status},
               {'slice_no': 9, 'slice': 'Offer ID', 'value': d.offer_id}
           ], recursive := true)
    FROM deployment_attribution d
    LEFT JOIN offer_names o ON o.offer_id = d.offer_id
    WHERE d.status = 'attributed' AND d.partner_id IS NOT NULL AND d."timestamp" IS NOT NULL
),
-- The distinct counts are taken in two passes, one GROUPING SETS pass that keeps each slice
-- value's distinct deployments and distinct subscriptions (whether any row of the deployment
-- succeeded), then plain counts of those rows: the same figures as count(DISTINCT) without a
-- distinct table per aggregate, which cost most of this statement's time.
dep_items AS (
    SELECT partner_id, slice_no, slice, value, month, deployment_id, subscription_id,
           bool_or(lower(deployment_status) = 'succeeded') AS succeeded
    FROM (SELECT partner_id, slice_no, slice,
                 CASE WHEN slice_no = 9 THEN value ELSE coalesce(nullif(trim(value), ''), '(none)') END AS value,
                 month, deployment_id, subscription_id, deployment_status
          FROM deps)
    GROUP BY GROUPING SETS ((partner_id, slice_no, slice, value, month, deployment_id),
                            (partner_id, slice_no, slice, value, month, subscription_id))
),
dep_counts AS (
    SELECT partner_id, slice_no, slice, value, month,
           count(deployment_id) AS deployments,
           count(deployment_id) FILTER (WHERE succeeded) AS succeeded,
           count(subscription_id) AS subscriptions
    FROM dep_items
    GROUP BY ALL
),
qos_counts AS (   -- marketplace deployments (Quality of service), apart from the attributed ones
    SELECT partner_id, slice_no, slice, value, month,
           count(deployment_correlation_id) AS deployments,
           count(deployment_correlation_id) FILTER (WHERE succeeded) AS succeeded,
           count(subscription_id) AS subscriptions
    FROM (   -- distinct deployments and subscriptions per slice value, as for dep_counts
        SELECT partner_id, slice_no, slice, value, month, deployment_correlation_id, subscription_id,
               bool_or(succeeded) AS succeeded
        FROM (
            SELECT partner_id, slice_no, slice, coalesce(nullif(trim(value), ''), '(none)') AS value, month,
                   deployment_correlation_id, subscription_id, succeeded
            FROM (
                SELECT q.partner_id, q.deployment_correlation_id, q.subscription_id, q.succeeded,
                       CAST(date_trunc('month', q.start_time) AS DATE) AS month,
                       unnest([
                           {'slice_no': 11, 'slice': 'Marketplace deployments: status',
                            'value': CASE WHEN q.succeeded THEN 'Succeeded' ELSE coalesce(q.deployment_status, '(none)') END},
                           {'slice_no': 13, 'slice': 'Marketplace deployments: duration',
                            'value': CASE WHEN q.duration_ms IS NULL THEN NULL
                                          WHEN q.duration_ms < 60000 THEN '1: under 1 min'
                                          WHEN q.duration_ms < 300000 THEN '2: 1-5 min'
                                          WHEN q.duration_ms < 900000 THEN '3: 5-15 min'
                                          ELSE '4: 15 min or more' END},
                           {'slice_no': 14, 'slice': 'Marketplace deployments: offer', 'value': coalesce(o.offer_name, q.offer_id)}
                       ], recursive := true)
                FROM marketplace_deployment_summary q
                LEFT JOIN offer_names o ON o.offer_id = q.offer_id
                WHERE q.partner_id IS NOT NULL AND q.start_time IS NOT NULL
                UNION ALL
                SELECT q.partner_id, q.deployment_correlation_id, q.subscription_id, q.succeeded,
                       CAST(date_trunc('month', q.start_time) AS DATE),
                       12, 'Marketplace deployments: error code', unnest(string_split(q.error_codes, ','))
                FROM marketplace_deployment_summary q
                WHERE q.error_codes IS NOT NULL AND q.partner_id IS NOT NULL AND q.start_time IS NOT NULL
            )
        )
        GROUP BY GROUPING SETS ((partner_id, slice_no, slice, value, month, deployment_correlation_id),
                                (partner_id, slice_no, slice, value, month, subscription_id))
    )
    GROUP BY ALL
)
SELECT coalesce(d.partner_id, u.partner_id) AS partner_id,
       coalesce(d.slice_no, u.slice_no) AS slice_no,
       coalesce(d.slice, u.slice) AS slice,
       coalesce(d.value, u.value) AS value,
       coalesce(d.month, u.month) AS month,
       CAST(coalesce(d.deployments, 0) AS BIGINT) AS deployments,
       CAST(coalesce(d.succeeded, 0) AS BIGINT) AS succeeded_deployments,
       CAST(coalesce(d.subscriptions, 0) AS BIGINT) AS subscriptions,
       CAST(u.usage_rows AS BIGINT) AS attributed_usage_rows,
       CAST(u.normalized_usage AS DECIMAL(18,6)) AS attributed_normalized_usage,
       CAST(u.metered_quantity AS DECIMAL(18,6)) AS attributed_metered_quantity
FROM (SELECT * FROM dep_counts UNION ALL SELECT * FROM qos_counts) d
FULL OUTER JOIN report_deployments_usage u
     ON u.partner_id = d.partner_id AND u.slice_no = d.slice_no AND u.value = d.value AND u.month = d.month
ORDER BY 1, 2, 4, 5;

DROP TABLE report_deployments_usage;
