-- web_unlock: one tier unlock for the review desk, with its company, trailing billed sales
-- now and the company's marketing contact. Parameter 1: the unlock id.
WITH companies AS (
    SELECT pga_id, min(company_name) AS company_name FROM partners GROUP BY pga_id
)
SELECT u.unlock_id, u.pga_id, coalesce(c.company_name, '') AS company_name, u.tier,
       CAST(u.threshold_usd AS VARCHAR) AS threshold_usd, u.unlocked_on,
       CAST(u.ttm_at_unlock_usd AS VARCHAR) AS ttm_at_unlock_usd,
       coalesce(CAST(t.ttm_billed_sales_usd AS VARCHAR), '') AS ttm_billed_sales_usd,
       u.listing_types, u.benefits, CAST(u.benefit_period AS BIGINT) AS benefit_period,
       u.benefits_refreshed_on, u.next_refresh_on, u.ready, u.readiness,
       coalesce(u.latest_decision, 'pending') AS latest_decision,
       coalesce(r.contact_name, '') AS contact_name, coalesce(r.contact_email, '') AS contact_email,
       coalesce(r.contact_phone, '') AS contact_phone, coalesce(r.contact_language, '') AS contact_language,
       r.contact_assigned_at
FROM tier_unlocks u
LEFT JOIN companies c USING (pga_id)
LEFT JOIN tier_status t ON t.pga_id = u.pga_id
LEFT JOIN tier_readiness r ON r.pga_id = u.pga_id
WHERE u.unlock_id = ?
ORDER BY u.unlock_id
