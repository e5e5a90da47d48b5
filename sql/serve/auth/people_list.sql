-- auth/people_list: people, the rewards team first, then by company, name and id.
-- Parameters: pga_id ('' = everyone), include removed (boolean).
SELECT person_id, email, display_name, coalesce(pga_id, ''), role, coalesce(issuer, ''), coalesce(subject, ''),
       created_at, removed_at
FROM people
WHERE ($1 = '' OR pga_id = $1) AND ($2 OR removed_at IS NULL)
ORDER BY pga_id NULLS FIRST, lower(display_name), person_id
