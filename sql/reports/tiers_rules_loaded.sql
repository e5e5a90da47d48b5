-- tiers_rules_loaded: whether a transform run has loaded the tier rules yet (the tier
-- listings read them). No parameters.
SELECT count(*) > 0 AS loaded FROM tier_settings
