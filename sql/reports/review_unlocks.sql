-- review_unlocks: every tier unlock (tier_unlocks view) with its benefits, benefit period,
-- activation readiness and the rewards team's latest decision ('pending' while there is none).
-- Parameter: 1 the as-of DATE (unlocks on or before it).
WITH params AS (
    SELECT CAST(? AS DATE) AS as_of
),
companies AS (
    SELECT pga_id, min(company_name) AS company_name FROM partners GROUP BY pga_id
)
SELECT u.unlock_id, u.pga_id, c.company_name, u.tier, u.unlocked_on, u.ttm_at_unlock_usd, u.benefits,
       CAST(u.benefit_period AS BIGINT) AS benefit_period, u.benefits_refreshed_on, u.next_refresh_on,
       u.readiness, u.contact_email, coalesce(u.latest_decision, 'pending') AS latest_decision, u.latest_decision_by, u.latest_decision_at,
       u.latest_decision_note, CAST(u.decisions AS BIGINT) AS decisions
FROM tier_unlocks u
JOIN params p ON u.unlocked_on <= p.as_of
LEFT JOIN companies c USING (pga_id)
ORDER BY u.unlocked_on DESC, u.unlock_id
