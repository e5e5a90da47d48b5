-- billed_sales_monthly_data: billed sales per PGA and month, summed over every publisher
-- profile (partner) of the PGA. Each part and the total are the exact sums of converted
-- amounts, each rounded once to cents (half away from zero); so the parts may differ from
-- the total by a cent. Sales whose partner is not resolved stay out (view
-- billed_sales_unresolved lists them).
-- The table is small (PGA x month) and rebuilt whole; an incremental run (transform/incremental.go)
-- also notes which PGA months changed (temp table tier_changed_months), so that the tiers recompute
-- only the trailing windows that include them (240_tier_unlocks.sql).
{{if .Incremental -}}
CREATE OR REPLACE TEMP TABLE billed_sales_monthly_before AS FROM billed_sales_monthly_data;
{{end -}}
DELETE FROM billed_sales_monthly_data;

INSERT INTO billed_sales_monthly_data BY NAME
SELECT pga_id, month, last_day(month) AS month_end,
       CAST(coalesce(sum(amount_usd) FILTER (WHERE part = 'orders'), 0) AS DECIMAL(18,2))        AS orders_usd,
       CAST(coalesce(sum(amount_usd) FILTER (WHERE part = 'order_refunds'), 0) AS DECIMAL(18,2)) AS order_refunds_usd,
       CAST(coalesce(sum(amount_usd) FILTER (WHERE part = 'cancellations'), 0) AS DECIMAL(18,2)) AS cancellations_usd,
       CAST(coalesce(sum(amount_usd) FILTER (WHERE part = 'usage'), 0) AS DECIMAL(18,2))         AS usage_usd,
       CAST(coalesce(sum(amount_usd) FILTER (WHERE part = 'usage_refunds'), 0) AS DECIMAL(18,2)) AS usage_refunds_usd,
       CAST(sum(amount_usd) AS DECIMAL(18,2))                                                     AS billed_sales_usd,
       coalesce(sum(source_rows) FILTER (WHERE part IN ('orders', 'order_refunds')), 0)          AS order_lines,
       coalesce(sum(source_rows) FILTER (WHERE part IN ('usage', 'usage_refunds')), 0)           AS usage_rows,
       count(DISTINCT partner_id)                                                                 AS partners
FROM billed_sales_parts
WHERE pga_id IS NOT NULL AND month IS NOT NULL
GROUP BY pga_id, month;
{{- if .Incremental}}

CREATE OR REPLACE TEMP TABLE tier_changed_months AS
SELECT DISTINCT pga_id, month
FROM ((FROM billed_sales_monthly_data EXCEPT ALL FROM billed_sales_monthly_before)
      UNION ALL
      (FROM billed_sales_monthly_before EXCEPT ALL FROM billed_sales_monthly_data));
DROP TABLE billed_sales_monthly_before;
{{- end}}
