-- tiers_unlock_known: whether an unlock id is known: an unlock of the last transform run
-- (tier_unlocks) or one with decisions recorded (the audit trail outlives a re-computed unlock).
-- Parameters 1 and 2: the same unlock id. One row, one BOOLEAN column.
SELECT EXISTS (SELECT 1 FROM tier_unlocks WHERE unlock_id = ?)
       OR EXISTS (SELECT 1 FROM review_decisions WHERE unlock_id = ?) AS known
