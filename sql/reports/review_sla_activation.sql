-- review_sla_activation: activated benefits whose company was not contacted within 7 days
-- (sla_activation_contact view: overdue, or contacted late), most overdue first.
-- Parameter: 1 the as-of DATE (the view is evaluated as of the last transform run).
WITH params AS (
    SELECT CAST(? AS DATE) AS as_of
),
companies AS (
    SELECT pga_id, min(company_name) AS company_name FROM partners GROUP BY pga_id
)
SELECT s.unlock_id, s.pga_id, c.company_name, s.tier, s.activated_at, s.contact_due_on, s.contacted_at,
       s.status, CAST(s.days_to_contact AS BIGINT) AS days_to_contact
FROM sla_activation_contact s
JOIN params p ON s.as_of = p.as_of
LEFT JOIN companies c USING (pga_id)
ORDER BY s.days_to_contact DESC, s.unlock_id
