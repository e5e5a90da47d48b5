-- tiers_status: the tier status of every partner global account (PGA) as of one date.
-- Parameter 1: the as-of DATE. Reads billed_sales_monthly and the tier rules of the last
-- transform run (tier_settings, tier_rules). Used by `insights tiers --as-of` and by the
-- transform (view tier_status, as of the run's date).
--
-- The window: the window_months complete calendar months ending with the last month end on
-- or before the as-of date (the as-of month itself counts only when as_of is its last day).
-- tier: the highest tier whose threshold the trailing sales met at any month end up to then
-- (a tier never re-locks after a dip). gap_usd: next tier's threshold minus the trailing
-- sales. Projection: every coming month sells the run rate (the sum of the last
-- run_rate_months months of the window / run_rate_months) while the oldest months drop out
-- of the window; the first month end whose trailing sales reach the next threshold, or
-- "not at current pace" if none within window_months months (after that the total is flat).
-- All comparisons are exact (the run rate is multiplied out, never divided).
WITH params AS (
    SELECT CAST(? AS DATE) AS as_of
),
cfg AS (
    SELECT p.as_of, window_last_month(p.as_of) AS last_month, s.window_months, s.run_rate_months
    FROM params p CROSS JOIN tier_settings s
),
pgas AS (
    SELECT pga_id FROM partners WHERE pga_id IS NOT NULL
    UNION
    SELECT pga_id FROM billed_sales_monthly
),
ttm AS (   -- macros: sql/schema/0007_tier_macros.sql
    SELECT * FROM pga_trailing_sales((SELECT last_month FROM cfg), (SELECT window_months FROM cfg))
),
best AS (
    SELECT pga_id, max(ttm) AS best_ttm FROM ttm GROUP BY pga_id
),
cur AS (
    SELECT g.pga_id,
           CAST(coalesce(sum(b.billed_sales_usd), 0) AS DECIMAL(38,2)) AS ttm,
           CAST(coalesce(sum(b.billed_sales_usd) FILTER (WHERE b.month > c.last_month - to_months(c.run_rate_months)), 0)
                AS DECIMAL(38,2)) AS recent
    FROM pgas g CROSS JOIN cfg c
    LEFT JOIN billed_sales_monthly b
           ON b.pga_id = g.pga_id AND b.month <= c.last_month AND b.month > c.last_month - to_months(c.window_months)
    GROUP BY g.pga_id
),
tiered AS (
    SELECT c.pga_id, c.ttm, c.recent,
           coalesce((SELECT max(r.tier_rank) FROM tier_rules r WHERE r.threshold_usd <= coalesce(b.best_ttm, 0)), 0) AS tier_rank
    FROM cur c LEFT JOIN best b USING (pga_id)
),
ks AS (
    SELECT unnest(range(1, window_months + 1)) AS k FROM cfg
),
drops AS (
    SELECT t.pga_id, ks.k, coalesce(sum(b.billed_sales_usd), 0) AS dropped
    FROM tiered t
    JOIN tier_rules n ON n.tier_rank = t.tier_rank + 1
    CROSS JOIN ks CROSS JOIN cfg c
    LEFT JOIN billed_sales_monthly b
           ON b.pga_id = t.pga_id
          AND b.month > c.last_month - to_months(c.window_months)
          AND b.month <= c.last_month - to_months(c.window_months) + to_months(ks.k)
    GROUP BY t.pga_id, ks.k
),
proj AS (
    SELECT t.pga_id, min(d.k) AS k
    FROM tiered t
    JOIN tier_rules n ON n.tier_rank = t.tier_rank + 1
    JOIN drops d USING (pga_id)
    CROSS JOIN cfg c
    WHERE c.run_rate_months * (t.ttm - d.dropped) + d.k * t.recent >= c.run_rate_months * n.threshold_usd
    GROUP BY t.pga_id
)
SELECT t.pga_id,
       c.as_of,
       (c.last_month - to_months(c.window_months - 1))::DATE AS window_start,
       last_day(c.last_month) AS window_end,
       CAST(t.ttm AS DECIMAL(18,2)) AS ttm_billed_sales_usd,
       r.tier,
       t.tier_rank,
       n.tier AS next_tier,
       n.threshold_usd AS next_threshold_usd,
       CAST(n.threshold_usd - t.ttm AS DECIMAL(18,2)) AS gap_usd,
       -- the run rate shown, rounded half away from zero to cents (display only)
       CAST(CAST(sign(CAST(t.recent * 100 AS HUGEINT))
                 * ((2 * abs(CAST(t.recent * 100 AS HUGEINT)) + c.run_rate_months) // (2 * c.run_rate_months))
                 AS DECIMAL(38,0)) * 0.01 AS DECIMAL(18,2)) AS run_rate_usd,
       CASE WHEN n.tier IS NULL THEN NULL
            WHEN p.k IS NULL THEN 'not at current pace'
            ELSE strftime(c.last_month + to_months(p.k), '%Y-%m') END AS projected_month,
       CASE WHEN n.tier IS NOT NULL AND p.k IS NOT NULL
            THEN last_day((c.last_month + to_months(p.k))::DATE) END AS projected_month_end
FROM tiered t
CROSS JOIN cfg c
LEFT JOIN tier_rules r ON r.tier_rank = t.tier_rank
LEFT JOIN tier_rules n ON n.tier_rank = t.tier_rank + 1
LEFT JOIN proj p USING (pga_id)
ORDER BY t.pga_id
