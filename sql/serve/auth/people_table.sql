-- auth/people_table: people as `insights people list` prints them. Parameters: pga_id ('' = everyone),
-- include removed (boolean).
SELECT person_id, email, display_name AS name, coalesce(pga_id, '(rewards team)') AS company, role,
       subject IS NOT NULL AS signed_in_once, created_at, removed_at
FROM people
WHERE ($1 = '' OR pga_id = $1) AND ($2 OR removed_at IS NULL)
ORDER BY pga_id NULLS FIRST, lower(display_name), person_id
