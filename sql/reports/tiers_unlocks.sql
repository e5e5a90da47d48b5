-- tiers_unlocks: tier unlocks (as of the last transform run) unlocked on or after a date.
-- Parameters 1 and 2: the same DATE, or NULL for every unlock. Money as exact text.
SELECT unlock_id, pga_id, tier, unlocked_on,
       CAST(ttm_at_unlock_usd AS VARCHAR) AS ttm_at_unlock_usd,
       benefit_period, next_refresh_on, benefits, readiness,
       coalesce(latest_decision, 'pending') AS latest_decision
FROM tier_unlocks
WHERE CAST(? AS DATE) IS NULL OR unlocked_on >= CAST(? AS DATE)
ORDER BY unlocked_on, pga_id, tier_rank
