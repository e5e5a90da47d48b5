-- reporting_partners: every registered partner (publisher profile) with its name, PGA and the
-- PGA's company name: the partners `insights report --all` and the reports job generate for.
-- No parameters.
SELECT partner_id, min(partner_name) AS partner_name, min(pga_id) AS pga_id, min(company_name) AS company_name
FROM partners
WHERE partner_id IS NOT NULL AND trim(partner_id) <> ''
GROUP BY partner_id
ORDER BY partner_id
