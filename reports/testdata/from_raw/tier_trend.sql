-- tier_trend: the company's (PGA's) trailing billed sales at each of the twelve month ends up to
-- the report month, against the threshold of the tier reached by then and that of the next tier:
-- the data of the Summary's tier chart. The window and the tier rule are those of tiers_status
-- (macro pga_trailing_sales; a tier never re-locks after a dip). Company-wide, like the Summary's
-- tier rows: every publisher profile of the PGA counts. Months before the first billed month
-- show 0.
-- Parameters: 1 partner id, 2 first month of the window (unused), 3 report month (DATEs).
WITH params AS (
    SELECT CAST(? AS VARCHAR) AS partner_id, CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
pga AS (
    SELECT min(pt.pga_id) AS pga_id FROM partners pt JOIN params p ON pt.partner_id = p.partner_id
),
months AS (
    SELECT CAST(p.last_month - to_months(r.k) AS DATE) AS month
    FROM params p CROSS JOIN range(0, 12) r(k)
),
ttm AS (   -- macros: sql/schema/0007_tier_macros.sql
    SELECT t.month, t.ttm
    FROM pga_trailing_sales((SELECT last_month FROM params), (SELECT max(window_months) FROM tier_settings)) t
    JOIN pga g USING (pga_id)
),
best AS (   -- the highest trailing sales at any month end so far: tiers never re-lock
    SELECT month, ttm, max(ttm) OVER (ORDER BY month ROWS UNBOUNDED PRECEDING) AS best_ttm
    FROM ttm
),
ranked AS (
    SELECT m.month, coalesce(b.ttm, 0) AS ttm,
           coalesce((SELECT max(r.tier_rank) FROM tier_rules r WHERE r.threshold_usd <= coalesce(b.best_ttm, 0)), 0)
               AS tier_rank
    FROM months m
    LEFT JOIN best b USING (month)
)
SELECT r.month,
       CAST(r.ttm AS DECIMAL(18,2)) AS ttm_billed_sales_usd,
       coalesce(t.tier, 'none yet') AS tier,
       t.threshold_usd AS tier_threshold_usd,
       n.threshold_usd AS next_threshold_usd
FROM ranked r
LEFT JOIN tier_rules t ON t.tier_rank = r.tier_rank
LEFT JOIN tier_rules n ON n.tier_rank = r.tier_rank + 1
ORDER BY r.month
