-- deployments_by_slice: attributed deployments and usage per month of the report window, sliced
-- by offer, channel, tracking ID and plan (as registered with the tracking ID), Azure region and
-- deployment status. Usage has no region or status: those slices show deployments only.
-- One row per slice, value and month with any deployment or attributed usage.
-- Then, apart from them, the marketplace deployments of the partner's own offers from the Quality
-- of service report (marketplace_deployment_summary, 040_marketplace_deployments.sql): slices
-- "Marketplace deployments: status / error code / duration / offer", one deployment per
-- correlation id, no usage.
-- Parameters: 1 partner id, 2 first month of the window, 3 report month (DATEs, first of month).
-- Privacy: the attribution views never attribute opted-out customers (status opted_out).
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
offer_names AS (
    SELECT offer_id, min(offer_name) AS offer_name FROM offers GROUP BY offer_id
),
deps AS (
    SELECT d.*, CAST(date_trunc('month', d."timestamp") AS DATE) AS month,
           coalesce(o.offer_name, d.offer_id) AS offer_label
    FROM deployment_attribution d
    JOIN params p ON d.partner_id = p.partner_id
    LEFT JOIN offer_names o ON o.offer_id = d.offer_id
    WHERE d.status = 'attributed'
      AND d."timestamp" >= p.first_month
      AND d."timestamp" < p.last_month + INTERVAL 1 MONTH
),
dep_sliced AS (
    SELECT d.deployment_id, d.subscription_id, d.month,
           unnest([
               {'slice_no': 1, 'slice': 'Offer', 'value': d.offer_label},
               {'slice_no': 2, 'slice': 'Channel', 'value': d.channel},
               {'slice_no': 3, 'slice': 'Tracking ID', 'value': d.tracking_id},
               {'slice_no': 4, 'slice': 'Plan', 'value': d.plan_id},
               {'slice_no': 5, 'slice': 'Region', 'value': d.region},
               {'slice_no': 6, 'slice': 'Deployment status', 'value': d.deployment_status}
           ], recursive := true)
    FROM deps d
),
dep_counts AS (
    SELECT slice_no, slice, coalesce(nullif(trim(value), ''), '(none)') AS value, month,
           count(DISTINCT deployment_id) AS deployments,
           count(DISTINCT subscription_id) AS subscriptions
    FROM dep_sliced
    GROUP BY ALL
),
qos_counts AS (   -- marketplace deployments (Quality of service), apart from the attributed ones
    SELECT slice_no, slice, coalesce(nullif(trim(value), ''), '(none)') AS value, month,
           count(DISTINCT deployment_correlation_id) AS deployments,
           count(DISTINCT subscription_id) AS subscriptions
    FROM (
        SELECT q.deployment_correlation_id, q.subscription_id,
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
        JOIN params p ON q.partner_id = p.partner_id
        LEFT JOIN offer_names o ON o.offer_id = q.offer_id
        WHERE q.start_time >= p.first_month AND q.start_time < p.last_month + INTERVAL 1 MONTH
        UNION ALL
        SELECT q.deployment_correlation_id, q.subscription_id, CAST(date_trunc('month', q.start_time) AS DATE),
               12, 'Marketplace deployments: error code', unnest(string_split(q.error_codes, ','))
        FROM marketplace_deployment_summary q
        JOIN params p ON q.partner_id = p.partner_id
        WHERE q.error_codes IS NOT NULL
          AND q.start_time >= p.first_month AND q.start_time < p.last_month + INTERVAL 1 MONTH
    )
    GROUP BY ALL
),
usage_sliced AS (
    SELECT u.reference_id, u.month, u.normalized_usage, u.metered_usage,
           unnest([
               {'slice_no': 1, 'slice': 'Offer', 'value': coalesce(o.offer_name, u.offer_id)},
               {'slice_no': 2, 'slice': 'Channel', 'value': u.channel},
               {'slice_no': 3, 'slice': 'Tracking ID', 'value': u.tracking_id},
               {'slice_no': 4, 'slice': 'Plan', 'value': u.plan_id}
           ], recursive := true)
    FROM attributed_usage u
    JOIN params p ON u.partner_id = p.partner_id
    LEFT JOIN offer_names o ON o.offer_id = u.offer_id
    WHERE u.month >= p.first_month AND u.month <= p.last_month
),
usage_counts AS (   -- a row attributed to several IDs with the same value counts once
    SELECT slice_no, slice, value, month, count(*) AS usage_rows,
           sum(normalized_usage) AS normalized_usage, sum(metered_usage) AS metered_quantity
    FROM (SELECT DISTINCT slice_no, slice, coalesce(nullif(trim(value), ''), '(none)') AS value,
                          month, reference_id, normalized_usage, metered_usage
          FROM usage_sliced)
    GROUP BY ALL
)
SELECT coalesce(d.slice, u.slice) AS slice,
       coalesce(d.value, u.value) AS value,
       coalesce(d.month, u.month) AS month,
       CAST(coalesce(d.deployments, 0) AS BIGINT) AS deployments,
       CAST(coalesce(d.subscriptions, 0) AS BIGINT) AS subscriptions,
       CAST(u.usage_rows AS BIGINT) AS attributed_usage_rows,
       CAST(u.normalized_usage AS DECIMAL(18,6)) AS attributed_normalized_usage,
       CAST(u.metered_quantity AS DECIMAL(18,6)) AS attributed_metered_quantity
FROM (SELECT * FROM dep_counts UNION ALL SELECT * FROM qos_counts) d
FULL OUTER JOIN usage_counts u
     ON u.slice_no = d.slice_no AND u.value = d.value AND u.month = d.month
ORDER BY coalesce(d.slice_no, u.slice_no), coalesce(d.value, u.value), coalesce(d.month, u.month)
