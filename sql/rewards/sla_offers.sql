-- rewards/sla_offers: offers live more than 4 weeks (28 days) as of a date with no contact of
-- their company since going live (a recorded contact or the landing file's), or contacted
-- late; with the offer's owner (its publisher profile and account email). Longest first.
-- Parameters: as_of DATE.
WITH params AS (SELECT CAST(? AS DATE) AS as_of),
owners AS (
    SELECT partner_id, any_value(pga_id) AS pga_id, coalesce(min(partner_name), '') AS owner_name,
           coalesce(min(account_email), '') AS owner_email, coalesce(min(company_name), '') AS company_name
    FROM partners GROUP BY partner_id
),
checked AS (
    SELECT w.pga_id, w.company_name, o.partner_id, o.offer_id, coalesce(o.offer_name, '') AS offer_name,
           o.listing_type, o.live_date, (o.live_date + 28) AS contact_due_on,
           (SELECT min(m.contacted_at) FROM company_contact_moments m
             WHERE m.pga_id = w.pga_id AND m.contacted_at::DATE >= o.live_date
               AND m.contacted_at::DATE <= p.as_of) AS contacted_at,
           w.owner_name, w.owner_email, p.as_of
    FROM offers o
    JOIN owners w USING (partner_id)
    CROSS JOIN params p
    WHERE o.live_date IS NOT NULL AND o.live_date <= p.as_of
)
SELECT pga_id, company_name, partner_id, offer_id, offer_name, listing_type, live_date, contact_due_on,
       contacted_at, CASE WHEN contacted_at IS NULL THEN 'overdue' ELSE 'late' END AS status,
       CAST(coalesce(contacted_at::DATE, as_of) - live_date AS BIGINT) AS days_live_without_contact,
       owner_name, owner_email
FROM checked
WHERE (contacted_at IS NULL AND as_of > contact_due_on) OR contacted_at::DATE > contact_due_on
ORDER BY days_live_without_contact DESC, pga_id, partner_id, offer_id
