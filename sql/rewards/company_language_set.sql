-- rewards/company_language_set: sets a company's language (one row per company: the latest
-- choice, with who made it and when).
-- Parameters: pga_id, language, changed_by, changed_at.
INSERT INTO company_languages (pga_id, language, changed_by, changed_at)
VALUES (?, ?, ?, ?)
ON CONFLICT (pga_id) DO UPDATE SET language = excluded.language, changed_by = excluded.changed_by,
    changed_at = excluded.changed_at
