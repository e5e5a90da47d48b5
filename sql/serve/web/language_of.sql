-- web_language_of: what decides a portal page's language before the browser's: the person's own
-- choice and their company's ('' when none). The company is the session's PGA, or else the
-- publisher profile's.
-- Parameters: person_id, pga_id, partner_id.
SELECT coalesce((SELECT language FROM person_languages WHERE person_id = ?), '') AS person,
       coalesce((SELECT language FROM company_languages
                 WHERE pga_id = coalesce(nullif(?, ''),
                     (SELECT pga_id FROM partners WHERE partner_id = ? ORDER BY _file_id DESC, pga_id LIMIT 1))), '') AS company
