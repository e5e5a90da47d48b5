-- tiers_decision_history: every review decision taken, oldest first, of one unlock or all of them
-- (`insights review history`). Parameters 1 and 2: the same unlock id, '' for every unlock.
SELECT decision_id, unlock_id, pga_id, tier, decision, decided_by, decided_at, note, recorded_at
FROM review_decisions
WHERE ? = '' OR unlock_id = ?
ORDER BY unlock_id, decided_at, decision_id
