-- rewards/activations: every activation with its company, contact due date (activation + 7
-- days) and the first contact that closed it, as of a date. The base of the desk's "to contact"
-- queue and of the 7-day SLA list.
-- Parameters: as_of DATE.
WITH params AS (SELECT CAST(? AS DATE) AS as_of),
companies AS (SELECT pga_id, min(company_name) AS company_name FROM partners GROUP BY pga_id)
SELECT a.activation_id, a.pga_id, coalesce(c.company_name, '') AS company_name,
       coalesce(a.unlock_id, '') AS unlock_id, coalesce(a.tier, '') AS tier,
       coalesce(a.benefit, 'every benefit of the unlock') AS benefit, a.activated_by, a.activated_at,
       a.carried_over, coalesce(a.contact_email, '') AS contact_email,
       (a.activated_at::DATE + 7) AS contact_due_on,
       (SELECT min(m.contacted_at) FROM company_contact_moments m
         WHERE m.pga_id = a.pga_id AND m.contacted_at >= a.activated_at
           AND (m.activation_id = a.activation_id OR (m.activation_id IS NULL AND m.source = 'contacts file'))
           AND m.contacted_at::DATE <= p.as_of) AS contacted_at,
       p.as_of
FROM benefit_activations a
CROSS JOIN params p
LEFT JOIN companies c USING (pga_id)
WHERE a.activated_at::DATE <= p.as_of
ORDER BY a.activated_at, a.activation_id
