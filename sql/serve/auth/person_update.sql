-- auth/person_update: a person's changeable fields. Parameters: person_id, display_name, role,
-- issuer, subject (NULL for both until bound), removed_at (NULL = active).
UPDATE people SET display_name = $2, role = $3, issuer = $4, subject = $5, removed_at = $6
WHERE person_id = $1
