-- reporting_partners: every registered partner (publisher profile) with its name, PGA, the
-- PGA's company name and the company's language (company_languages, NULL when it chose none: the
-- partner workbook is then in English): the partners `insights report --all` and the reports job
-- generate for. No parameters.
WITH p AS (
    SELECT partner_id, min(partner_name) AS partner_name, min(pga_id) AS pga_id, min(company_name) AS company_name
    FROM partners
    WHERE partner_id IS NOT NULL AND trim(partner_id) <> ''
    GROUP BY partner_id
)
SELECT p.partner_id, p.partner_name, p.pga_id, p.company_name, l.language
FROM p
LEFT JOIN company_languages l ON l.pga_id = p.pga_id
ORDER BY p.partner_id
