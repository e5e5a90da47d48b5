-- The latest tier status of a partner's PGA ($1 = partner id). Money as text, so it stays exact.
SELECT t.pga_id,
       CAST(t.as_of AS VARCHAR),
       CAST(t.ttm_billed_sales_usd AS VARCHAR),
       CAST(t.tier AS VARCHAR),
       CAST(t.next_tier AS VARCHAR),
       CAST(t.gap_usd AS VARCHAR),
       CAST(t.projected_month AS VARCHAR)
FROM tier_status t
JOIN (SELECT DISTINCT pga_id FROM partners WHERE partner_id = $1) p USING (pga_id)
ORDER BY t.as_of DESC
LIMIT 1;
