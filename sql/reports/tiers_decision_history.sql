-- tiers_decision_history: the review decisions of one unlock, oldest first, or of every unlock,
-- grouped by unlock id and oldest first within each (`insights review history`).
-- Parameters 1 and 2: the same unlock id, '' for every unlock.
SELECT decision_id, unlock_id, pga_id, tier, decision, decided_by, decided_at, note, recorded_at
FROM review_decisions
WHERE ? = '' OR unlock_id = ?
ORDER BY unlock_id, decided_at, decision_id
