-- tiers_review: the rewards team's review list: unlocks with readiness and the decision in
-- force. Parameter 1: BOOLEAN, true = only unlocks still to decide (no decision or the latest
-- is defer), false = every unlock.
SELECT unlock_id, pga_id, tier, unlocked_on, readiness,
       coalesce(latest_decision, 'pending') AS latest_decision,
       latest_decision_by, latest_decision_at, latest_decision_note, decisions, benefits
FROM tier_unlocks
WHERE NOT CAST(? AS BOOLEAN) OR latest_decision IS NULL OR latest_decision = 'defer'
ORDER BY unlocked_on, pga_id, tier_rank
