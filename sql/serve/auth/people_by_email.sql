-- auth/people_by_email: the active people with an email (stored in lower case). Parameters: email.
SELECT person_id, email, display_name, coalesce(pga_id, ''), role, coalesce(issuer, ''), coalesce(subject, ''),
       created_at, removed_at
FROM people
WHERE email = ? AND removed_at IS NULL
ORDER BY person_id
