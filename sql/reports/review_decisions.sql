-- review_decisions: the rewards team's decisions on tier unlocks, every one ever recorded
-- (review_decisions is append-only: this is the audit trail), newest first.
-- Parameter: 1 the as-of DATE (unused: a decision stays in every later pack).
WITH params AS (
    SELECT CAST(? AS DATE) AS as_of
),
companies AS (
    SELECT pga_id, min(company_name) AS company_name FROM partners GROUP BY pga_id
)
SELECT d.decision_id, d.unlock_id, d.pga_id, c.company_name, d.tier, d.decision, d.decided_by,
       d.decided_at, d.note, d.recorded_at
FROM review_decisions d
CROSS JOIN params p
LEFT JOIN companies c USING (pga_id)
ORDER BY d.decided_at DESC, d.decision_id DESC
