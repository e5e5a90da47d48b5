-- auth/person_by_subject: the active person bound to an identity-provider account.
-- Parameters: issuer, subject.
SELECT person_id, email, display_name, coalesce(pga_id, ''), role, coalesce(issuer, ''), coalesce(subject, ''),
       created_at, removed_at
FROM people
WHERE issuer = ? AND subject = ? AND removed_at IS NULL
ORDER BY person_id
