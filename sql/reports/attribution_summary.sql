-- attribution_summary: `insights attribution summary`, a short summary of the last transform's
-- attribution and campaigns: area, measure, value. The usage denominator applies usage_not_attributable()
-- (sql/schema/0031_attributable_usage.sql), the opt-out rule the transform applies. No parameters.
-- Money is shown with its currency's decimals (ISO 4217 minor units: JPY 0, KWD 3, most 2),
-- rounded for display only: 23840.800000 EUR reads 23840.80.
WITH last_run AS (
    SELECT run_id, as_of FROM transform_runs WHERE status = 'succeeded'
    ORDER BY finished_at DESC, run_id LIMIT 1
),
dep AS (   -- first_row: count each deployment once (the view has a row per deployment and ID)
    SELECT *, row_number() OVER (
               PARTITION BY coalesce(deployment_id, 'opted-out ' || CAST("timestamp" AS VARCHAR))
               ORDER BY tracking_id) = 1 AS first_row,
           row_number() OVER (
               PARTITION BY status, coalesce(deployment_id, 'opted-out ' || CAST("timestamp" AS VARCHAR))
               ORDER BY tracking_id) = 1 AS first_row_of_status
    FROM deployment_attribution
),
lines AS (
    SELECT 0 AS n, 'transform' AS area, 'last run' AS measure,
           coalesce((SELECT run_id || ' as of ' || strftime(as_of, '%Y-%m-%d') FROM last_run), 'none yet (run insights transform)') AS value
    UNION ALL SELECT 1, 'deployments', 'total', CAST((SELECT count(*) FROM dep WHERE first_row) AS VARCHAR)
    UNION ALL
    SELECT 2, 'deployments', 'with status ' || status,
           CAST(count(*) FILTER (first_row_of_status) AS VARCHAR) || ' deployments, ' || CAST(count(*) AS VARCHAR) || ' IDs'
    FROM dep GROUP BY status
    UNION ALL SELECT 3, 'deployments', 'with several registered IDs (multiple)',
           CAST(count(DISTINCT deployment_id) AS VARCHAR) FROM dep WHERE multiple
    UNION ALL SELECT 4, 'tracking IDs', 'attributed (partners)',
           CAST(count(DISTINCT tracking_id) AS VARCHAR) || ' (' || CAST(count(DISTINCT partner_id) AS VARCHAR) || ')'
           FROM dep WHERE status = 'attributed'
    UNION ALL SELECT 5, 'tracking IDs', 'issues: ' || status, CAST(count(*) AS VARCHAR)
           FROM tracking_id_issues GROUP BY status
    UNION ALL SELECT 6, 'usage', 'usage rows attributed / not opted out',
           CAST((SELECT count(*) FROM (SELECT DISTINCT reference_id, usage_date, marketplace_subscription_id,
                                               meter_id, estimated_extended_charge_pc FROM attributed_usage)) AS VARCHAR)
           || ' / ' || CAST((SELECT count(*) FROM resolved_usage u
                             WHERE NOT usage_not_attributable(u.opted_out, u.azure_subscription_id, u.marketplace_subscription_id)) AS VARCHAR)
    UNION ALL SELECT 7, 'usage', 'attributed charges ' || coalesce(payout_currency_pc, '?') || ' (a shared row once per ID)',
           CASE WHEN upper(trim(payout_currency_pc)) IN ('BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG',
                                                          'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF')
                THEN CAST(CAST(sum(estimated_extended_charge_pc) AS DECIMAL(38,0)) AS VARCHAR)
                WHEN upper(trim(payout_currency_pc)) IN ('BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND')
                THEN CAST(CAST(sum(estimated_extended_charge_pc) AS DECIMAL(38,3)) AS VARCHAR)
                ELSE CAST(CAST(sum(estimated_extended_charge_pc) AS DECIMAL(38,2)) AS VARCHAR) END
           FROM attributed_usage_monthly GROUP BY payout_currency_pc
    UNION ALL SELECT 8, 'campaigns', 'clicks with campaign ' || campaign_status,
           CAST(count(*) AS VARCHAR) || ' (' || CAST(count(DISTINCT mktcmpid) AS VARCHAR) || ' campaigns)'
           FROM campaign_clicks GROUP BY campaign_status
    UNION ALL SELECT 9, 'campaigns', 'page visits / CTAs / consents (all months)',
           CAST(sum(page_visits) AS VARCHAR) || ' / ' || CAST(sum(ctas) AS VARCHAR) || ' / ' || CAST(sum(consents) AS VARCHAR)
           FROM campaign_performance WHERE period = 'month'
    UNION ALL SELECT 10, 'campaigns', 'top campaign by page visits',
           (SELECT mktcmpid || ': ' || CAST(sum(page_visits) AS VARCHAR) FROM campaign_performance
            WHERE period = 'month' AND campaign_status = 'valid'
            GROUP BY mktcmpid ORDER BY sum(page_visits) DESC, mktcmpid LIMIT 1)
)
SELECT area, measure, coalesce(value, '') AS value FROM lines ORDER BY n, measure
