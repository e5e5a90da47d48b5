-- tiers_latest_decision: the decision in force on one unlock (the latest by decision time,
-- then id), if any. Parameter 1: the unlock id.
SELECT decision_id, decision, decided_by, decided_at, note
FROM review_decisions
WHERE unlock_id = ?
ORDER BY decided_at DESC, decision_id DESC
LIMIT 1
