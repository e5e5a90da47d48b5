-- rewards/contact_history: every marketing contact of a company ("" = every company), the
-- landing file's and the assignments, oldest first.
-- Parameters: pga_id, pga_id.
WITH every_contact AS (
    SELECT pga_id, coalesce(name, '') AS name, coalesce(email, '') AS email,
           coalesce(phone, '') AS phone, coalesce(language, '') AS language, assigned_at,
           'contacts file' AS source, '' AS assigned_by, 0 AS kind, _file_id AS ord
    FROM contacts
    UNION ALL
    SELECT pga_id, name, email, phone, language, assigned_at, source, assigned_by, 1, assignment_id
    FROM contact_assignments
)
SELECT pga_id, name, email, phone, language, assigned_at, source, assigned_by
FROM every_contact
WHERE ? = '' OR pga_id = ?
ORDER BY pga_id, assigned_at, kind, ord, email
