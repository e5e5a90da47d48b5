-- review_tier_status: every partner global account's tier as of the last transform run (the
-- tier_status view), with its company, publisher profiles and benefit activation readiness.
-- Parameter: 1 the as-of DATE (the run's; rows of another as-of never mix in).
WITH params AS (
    SELECT CAST(? AS DATE) AS as_of
),
companies AS (
    SELECT pga_id, min(company_name) AS company_name,
           string_agg(DISTINCT partner_id, ', ' ORDER BY partner_id) AS partners
    FROM partners
    GROUP BY pga_id
)
SELECT t.pga_id, c.company_name, c.partners, t.tier, t.ttm_billed_sales_usd, t.window_start, t.window_end,
       t.next_tier, t.next_threshold_usd, t.gap_usd, t.run_rate_usd, t.projected_month,
       CASE WHEN coalesce(r.ready, false) THEN 'ready'
            ELSE 'missing: ' || coalesce(nullif(r.missing, ''), 'marketing contact') END AS readiness
FROM tier_status t
JOIN params p ON t.as_of = p.as_of
LEFT JOIN companies c USING (pga_id)
LEFT JOIN tier_readiness r USING (pga_id)
ORDER BY t.tier_rank DESC, t.ttm_billed_sales_usd DESC, t.pga_id
