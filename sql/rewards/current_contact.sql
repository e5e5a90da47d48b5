-- rewards/current_contact: a company's marketing contact in force: the latest of the landing
-- file's rows and the workspace's assignments (by assigned_at; at the same instant an
-- assignment wins). version names the row, so a form can tell that it changed.
-- Parameters: pga_id.
WITH every_contact AS (
    SELECT pga_id, coalesce(name, '') AS name, coalesce(email, '') AS email,
           coalesce(phone, '') AS phone, coalesce(language, '') AS language, assigned_at,
           'contacts file' AS source, '' AS assigned_by, 0 AS kind, _file_id AS ord,
           'file:' || _file_id || ':' || strftime(assigned_at, '%Y%m%dT%H%M%S.%f') AS version
    FROM contacts
    UNION ALL
    SELECT pga_id, name, email, phone, language, assigned_at, source, assigned_by, 1, assignment_id,
           'assignment:' || assignment_id
    FROM contact_assignments
)
SELECT name, email, phone, language, assigned_at, source, assigned_by, version
FROM every_contact
WHERE pga_id = ?
ORDER BY assigned_at DESC, kind DESC, ord DESC, email
LIMIT 1
