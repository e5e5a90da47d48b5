-- review_listing_benefits: the one-time benefits of publishing List and Trial offers
-- (listing_benefits view), per company, with their expiry.
-- Parameter: 1 the as-of DATE (offers first live on or before it).
WITH params AS (
    SELECT CAST(? AS DATE) AS as_of
),
companies AS (
    SELECT pga_id, min(company_name) AS company_name FROM partners GROUP BY pga_id
)
SELECT b.pga_id, c.company_name, b.listing_type, b.first_live_on, b.benefit, b.expires_on
FROM listing_benefits b
JOIN params p ON b.first_live_on <= p.as_of
LEFT JOIN companies c USING (pga_id)
ORDER BY b.pga_id, b.listing_type, b.benefit, b.first_live_on
