-- data watermarks (sql/schema/0030_data_watermarks.sql): which partners have data in which
-- months, and per dataset the latest date the data covers, recorded under this run.
DELETE FROM partner_data_months;

INSERT INTO partner_data_months BY NAME
SELECT partner_id, dataset, month, count(*) AS "rows"
FROM (
    SELECT partner_id, 'orders' AS dataset, month FROM partner_visible_orders
    UNION ALL
    SELECT partner_id, 'usage', month FROM partner_visible_usage
    UNION ALL
    SELECT partner_id, 'deployments', CAST(date_trunc('month', "timestamp") AS DATE)
    FROM deployment_attribution WHERE status = 'attributed'
    UNION ALL
    SELECT o.partner_id, 'clicks', CAST(date_trunc('month', c."timestamp") AS DATE)
    FROM clicks c JOIN offers o ON o.offer_id = c.offer_id
    UNION ALL
    SELECT partner_id, 'qos', CAST(date_trunc('month', start_time) AS DATE) FROM marketplace_deployments
    UNION ALL
    SELECT partner_id, 'insights', CAST(date_trunc('month', "date") AS DATE) FROM attr_insights_daily
)
WHERE partner_id IS NOT NULL AND month IS NOT NULL
GROUP BY ALL;

DELETE FROM data_watermark_history WHERE run_id = getvariable('run_id');

INSERT INTO data_watermark_history BY NAME
SELECT getvariable('run_id') AS run_id, getvariable('as_of') AS as_of,
       e.dataset, e.data_from, e.data_through, e.complete_month, coalesce(e."rows", 0) AS "rows",
       coalesce(p.partners, 0) AS partners,
       CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP) AS recorded_at
FROM data_extent() e
LEFT JOIN (
    SELECT dataset, count(DISTINCT partner_id) AS partners FROM partner_data_months GROUP BY dataset
    UNION ALL
    SELECT 'reports', count(DISTINCT partner_id) FROM partner_data_months
) p USING (dataset);
