-- web_partner: a publisher profile from the reference data: name, company and PGA.
-- Parameter 1: the partner id.
SELECT partner_id, coalesce(partner_name, '') AS partner_name, coalesce(company_name, '') AS company_name, pga_id
FROM partners
WHERE partner_id = ?
ORDER BY _file_id DESC, pga_id
LIMIT 1
