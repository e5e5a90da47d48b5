-- analytics dataset ISVTierStatus: the billed-sales tier of the partner's company (its PGA),
-- one row per as-of date (serve/analytics; not in Partner Center). $1 = partner id.
-- The amounts are the company's, across every publisher profile of the PGA.
SELECT
    t.pga_id                AS "PGAId",
    t.as_of                 AS "AsOf",
    t.window_start          AS "WindowStart",
    t.window_end            AS "WindowEnd",
    t.tier                  AS "Tier",
    t.next_tier             AS "NextTier",
    t.projected_month       AS "ProjectedMonth",
    t.projected_month_end   AS "ProjectedMonthEnd",
    t.ttm_billed_sales_usd  AS "TTMBilledSalesUSD",
    t.next_threshold_usd    AS "NextThresholdUSD",
    t.gap_usd               AS "GapUSD",
    t.run_rate_usd          AS "RunRateUSD",
    t.as_of                 AS _date
FROM tier_status t
WHERE t.pga_id IN (SELECT pga_id FROM partners WHERE partner_id = $1)
