-- web_queue: the review desk's queue: unlocks waiting for a decision (none yet, or the latest
-- is defer), oldest first, with the company, the trailing billed sales now, readiness and the
-- SLA state of the company (its offers live more than 4 weeks without contact, still waiting or
-- contacted late; its activated benefits whose contact is overdue; days waiting).
-- No parameters; as of the last transform run.
WITH run AS (
    SELECT max(as_of) AS as_of FROM tier_run
),
companies AS (
    SELECT pga_id, min(company_name) AS company_name FROM partners GROUP BY pga_id
),
offer_sla AS (
    SELECT pga_id, count(*) FILTER (status = 'overdue') AS offers_overdue,
           count(*) FILTER (status = 'late') AS offers_late
    FROM sla_offer_contact GROUP BY pga_id
),
activation_sla AS (
    SELECT pga_id, count(*) AS activations_overdue FROM sla_activation_contact WHERE status = 'overdue' GROUP BY pga_id
)
SELECT u.unlock_id, u.pga_id, coalesce(c.company_name, '') AS company_name, u.tier, u.unlocked_on,
       coalesce(CAST(t.ttm_billed_sales_usd AS VARCHAR), '') AS ttm_billed_sales_usd,
       u.benefits, u.ready, u.readiness,
       coalesce(u.latest_decision, 'pending') AS latest_decision,
       CAST(coalesce(run.as_of - u.unlocked_on, 0) AS BIGINT) AS days_waiting,
       CAST(coalesce(o.offers_overdue, 0) AS BIGINT) AS offers_overdue,
       CAST(coalesce(o.offers_late, 0) AS BIGINT) AS offers_late,
       CAST(coalesce(a.activations_overdue, 0) AS BIGINT) AS activations_overdue
FROM tier_unlocks u
CROSS JOIN run
LEFT JOIN companies c USING (pga_id)
LEFT JOIN tier_status t ON t.pga_id = u.pga_id
LEFT JOIN offer_sla o ON o.pga_id = u.pga_id
LEFT JOIN activation_sla a ON a.pga_id = u.pga_id
WHERE u.latest_decision IS NULL OR u.latest_decision = 'defer'
ORDER BY u.unlocked_on, u.pga_id, u.tier_rank, u.unlock_id
