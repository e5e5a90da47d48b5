-- tier_trend: the company's (PGA's) trailing billed sales at each of the twelve month ends up to
-- the report month, against the threshold of the tier reached by then and that of the next tier:
-- the data of the Summary's tier chart. The window and the tier rule are those of tiers_status
-- (macro pga_trailing_sales; a tier never re-locks after a dip). Company-wide, like the Summary's
-- tier rows: every publisher profile of the PGA counts. Months before the first billed month
-- show 0.
-- Parameters: 1 first partner id, 2 last partner id (inclusive), 3 first month of the window
-- (unused), 4 report month (DATEs). Rows come ordered by partner.
WITH params AS (   -- the partners from 1 to 2 (ids, inclusive), the window from 3 to 4 (first of month)
    SELECT CAST(? AS VARCHAR) AS partner_from, CAST(? AS VARCHAR) AS partner_to,
           CAST(? AS DATE) AS first_month, CAST(? AS DATE) AS last_month
),
partners_in AS (   -- every registered partner of the range, with its PGA
    SELECT r.partner_id, min(r.pga_id) AS pga_id
    FROM partners r, params p
    WHERE r.partner_id BETWEEN p.partner_from AND p.partner_to AND trim(r.partner_id) <> ''
    GROUP BY r.partner_id
),
months AS (
    SELECT CAST(p.last_month - to_months(r.k) AS DATE) AS month
    FROM params p CROSS JOIN range(0, 12) r(k)
),
ttm AS (   -- macros: sql/schema/0007_tier_macros.sql
    SELECT t.pga_id, t.month, t.ttm
    FROM pga_trailing_sales((SELECT last_month FROM params), (SELECT max(window_months) FROM tier_settings)) t
),
best AS (   -- the highest trailing sales at any month end so far: tiers never re-lock
    SELECT pga_id, month, ttm, max(ttm) OVER (PARTITION BY pga_id ORDER BY month ROWS UNBOUNDED PRECEDING) AS best_ttm
    FROM ttm
),
ranked AS (
    SELECT x.partner_id, m.month, coalesce(b.ttm, 0) AS ttm,
           coalesce((SELECT max(r.tier_rank) FROM tier_rules r WHERE r.threshold_usd <= coalesce(b.best_ttm, 0)), 0)
               AS tier_rank
    FROM partners_in x
    CROSS JOIN months m
    LEFT JOIN best b ON b.pga_id = x.pga_id AND b.month = m.month
)
SELECT r.partner_id,
       r.month,
       CAST(r.ttm AS DECIMAL(18,2)) AS ttm_billed_sales_usd,
       coalesce(t.tier, 'none yet') AS tier,
       t.threshold_usd AS tier_threshold_usd,
       n.threshold_usd AS next_threshold_usd
FROM ranked r
LEFT JOIN tier_rules t ON t.tier_rank = r.tier_rank
LEFT JOIN tier_rules n ON n.tier_rank = r.tier_rank + 1
ORDER BY r.partner_id, r.month
