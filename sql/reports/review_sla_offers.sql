-- review_sla_offers: offers live for more than 4 weeks with no contact of their company since
-- going live (sla_offer_contact view): the escalation list, longest first.
-- Parameter: 1 the as-of DATE (the view is evaluated as of the last transform run).
WITH params AS (
    SELECT CAST(? AS DATE) AS as_of
),
companies AS (
    SELECT pga_id, min(company_name) AS company_name FROM partners GROUP BY pga_id
)
SELECT s.pga_id, c.company_name, s.partner_id, s.offer_id, s.offer_name, s.listing_type, s.live_date,
       s.contact_due_on, s.contacted_at, s.status,
       CAST(s.days_live_without_contact AS BIGINT) AS days_live_without_contact
FROM sla_offer_contact s
JOIN params p ON s.as_of = p.as_of
LEFT JOIN companies c USING (pga_id)
ORDER BY s.days_live_without_contact DESC, s.pga_id, s.partner_id, s.offer_id
