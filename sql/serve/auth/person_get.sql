-- auth/person_get: one person by id, removed or not. Parameters: person_id.
SELECT person_id, email, display_name, coalesce(pga_id, ''), role, coalesce(issuer, ''), coalesce(subject, ''),
       created_at, removed_at
FROM people
WHERE person_id = ?
ORDER BY person_id
