-- rewards/company_language: the language a company's partner admin (or an operator) set for the
-- company, with who set it and when; no row when none was set.
-- Parameters: pga_id.
SELECT language, changed_by, changed_at
FROM company_languages
WHERE pga_id = ?
ORDER BY changed_at DESC
LIMIT 1
