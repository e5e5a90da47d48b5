-- web_tier_rules: the tier thresholds of the last transform run, lowest first; the lines
-- drawn across the sales charts. No parameters.
SELECT tier, CAST(threshold_usd AS VARCHAR) AS threshold_usd
FROM tier_rules
ORDER BY tier_rank, tier
