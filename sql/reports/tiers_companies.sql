-- tiers_companies: the company name of every partner global account (PGA) in the partners
-- reference data (the first name when its publisher profiles disagree), for `insights tiers`.
-- No parameters.
SELECT pga_id, min(nullif(trim(company_name), '')) AS company_name
FROM partners
WHERE pga_id IS NOT NULL
GROUP BY pga_id
ORDER BY pga_id
